"""Tables created one process at a time.

Every process that opens a store creates its tables if they are missing. Run
at the same moment (several writers, projection workers or servers starting
together), PostgreSQL's DDL fails with "tuple concurrently updated" or a
duplicate type. A session advisory lock per schema makes the openers take
turns; once the tables exist, each turn is a few catalogue lookups.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from .postgres_types import is_postgres_datastore


@contextmanager
def creating_tables(datastore: object) -> Iterator[None]:
    """Hold the schema's table-creation lock while creating tables (the read
    models' too), so processes starting together take turns. On SQLite this
    does nothing: its DDL is serialised by its write lock, and the one race
    left (the library's tracking table) is retried where it is created."""
    if not is_postgres_datastore(datastore):
        yield
        return
    lock = f"citycoop:create-tables:{datastore.schema}"
    with datastore.get_connection() as connection:
        connection.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", (lock,))
        try:
            yield
        finally:
            connection.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", (lock,))
