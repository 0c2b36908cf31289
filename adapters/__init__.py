"""Everything around the domain, in layers that import downward only:
``storage`` (where the log lives), ``application`` (commands recorded as
events), ``projections`` (read models) and ``audit`` (the log's proofs), with
two doors on top, ``writes`` and ``reads``, through which the entry points
(``http`` here, and the CLI beside it) and any other caller record and read.
``tests/unit/test_layers.py`` checks that the imports keep to this.
"""
