"""The names the entry points and the adapters below them must agree on,
defined once where both may import them (``tests/unit/test_layers.py``): the
environment variables by which ``citycoop serve`` hands its worker processes
the store and the deadlines, and the files an SQLite store is made of.

It imports nothing, so that the CLI importing it stays as fast as
``citycoop --help`` must be.
"""

from __future__ import annotations

STORE_VARIABLE = "CITYCOOP_STORE"
REQUEST_TIMEOUT_VARIABLE = "CITYCOOP_REQUEST_TIMEOUT"
READY_TIMEOUT_VARIABLE = "CITYCOOP_READY_TIMEOUT"
DEFAULT_REQUEST_SECONDS = 10.0
DEFAULT_READY_SECONDS = 2.0

STORE_COMPANIONS = ("", "-wal", "-shm", "-journal")
"""The suffixes of an SQLite store's files: its own and, while it is in use, these beside it."""
