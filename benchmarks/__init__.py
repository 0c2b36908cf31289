"""Benchmarks: run on purpose (``python -m benchmarks.run_all``), never by the test suite.

Every figure is printed beside a reference measured in the same run on the
same machine, so that a ratio, not a raw number, says whether citycoop keeps
close to what the hardware allows.
"""
