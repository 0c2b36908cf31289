"""The citycoop domain model: aggregates, events, values and the rules they keep.

Pure Python and pydantic over ``eventsourcing.domain``: no I/O of any kind.
"""
