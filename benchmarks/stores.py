"""PostgreSQL stores for the benchmarks: new schemas dropped afterwards, or schemas kept from run to run."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def throwaway_schemas(url: str, *names: str) -> Iterator[list[str]]:
    """Create the schemas ``names`` on the server at ``url`` and yield a store
    location for each (``url`` with ``schema=name``); drop them all afterwards."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        for name in names:
            connection.execute(f"CREATE SCHEMA {name}")
    separator = "&" if "?" in url else "?"
    try:
        yield [f"{url}{separator}schema={name}" for name in names]
    finally:
        with psycopg.connect(url, autocommit=True) as connection:
            for name in names:
                connection.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")


@contextmanager
def kept_schemas(url: str, *names: str) -> Iterator[list[str]]:
    """As ``throwaway_schemas``, but the schemas are kept afterwards, and
    those an earlier run kept are used as they are."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        for name in names:
            connection.execute(f"CREATE SCHEMA IF NOT EXISTS {name}")
    separator = "&" if "?" in url else "?"
    yield [f"{url}{separator}schema={name}" for name in names]
