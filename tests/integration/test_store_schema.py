"""Opening a store that has every table creates none (one look at the
catalogue); a store missing one, or whose recorded times an older release
left behind, is still made whole on opening."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from urllib.parse import parse_qs

import pytest

from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.writes import Writes


def _execute(store: str, statement: str) -> list[tuple[object, ...]]:
    """Run one statement on the store with plain SQL; ``{prefix}`` is where
    the store's table names start (nothing on SQLite, ``<schema>.citycoop_`` on PostgreSQL)."""
    if not store.startswith("postgresql://"):
        with closing(sqlite3.connect(store)) as connection, connection:
            return connection.execute(statement.format(prefix="")).fetchall()
    import psycopg

    url, _, query = store.partition("?")
    schema = parse_qs(query)["schema"][0]
    with psycopg.connect(url) as connection:
        cursor = connection.execute(statement.format(prefix=f'"{schema}".citycoop_'))
        return cursor.fetchall() if cursor.description else []


def _written(store: str) -> None:
    with Writes.open(store) as writes:
        writes.record_demo(actor="clerk-li")


def _schema_ready(store: str) -> bool:
    app = CityCoop(store)
    try:
        return app.sql.schema_ready
    finally:
        app.close()


def test_a_new_store_is_created_and_a_complete_one_is_opened_as_it_is(store: str) -> None:
    assert not _schema_ready(store)
    _written(store)
    assert _schema_ready(store)
    _written(store)  # the demo again, harmlessly, through a store opened without creating anything
    assert _execute(store, "SELECT COUNT(*) FROM {prefix}audit_key_check") == [(1,)]


def test_a_store_missing_one_of_its_tables_gets_it_again_on_opening(store: str) -> None:
    _written(store)
    _execute(store, "DROP TABLE {prefix}audit_key_check")
    assert not _schema_ready(store)
    _written(store)
    assert _execute(store, "SELECT COUNT(*) FROM {prefix}audit_key_check") in ([(0,)], [(1,)])
    assert _schema_ready(store)


@pytest.mark.parametrize("rows_left", [0, 3])
def test_recorded_times_left_behind_by_an_older_release_are_filled_on_opening(store: str, rows_left: int) -> None:
    _written(store)
    (before,) = _execute(store, "SELECT COUNT(*) FROM {prefix}recorded_times")
    _execute(store, f"DELETE FROM {{prefix}}recorded_times WHERE position > {rows_left}")
    assert _schema_ready(store)
    assert _execute(store, "SELECT COUNT(*) FROM {prefix}recorded_times")[0][0] >= before[0]
