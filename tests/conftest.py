"""Fixtures shared by every test: a fresh store of each kind, and the app on it.

PostgreSQL tests read the server's URL from ``CITYCOOP_TEST_POSTGRES_URL``
(``.ci/run`` sets it) and skip with that reason when it is absent. Each test
gets its own schema, so test runs never see each other's events.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from benchmarks.stores import throwaway_schemas
from citycoop.adapters.application.service import CityCoop

POSTGRES_URL_VARIABLE = "CITYCOOP_TEST_POSTGRES_URL"
REQUIRE_POSTGRES_VARIABLE = "CITYCOOP_REQUIRE_POSTGRES"


def postgres_url() -> str:
    """The test server's URL, or a skip (a failure in CI) that says why not."""
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not url:
        reason = f"PostgreSQL tests need {POSTGRES_URL_VARIABLE}, e.g. postgresql://postgres@127.0.0.1:5432/test"
        if os.environ.get(REQUIRE_POSTGRES_VARIABLE):
            pytest.fail(reason)
        pytest.skip(reason)
    return url


@contextmanager
def new_postgres_schema() -> Iterator[str]:
    """A ``postgresql://`` store location in a new, empty schema, dropped afterwards."""
    with throwaway_schemas(postgres_url(), f"test_{uuid.uuid4().hex[:16]}") as (location,):
        yield location


@pytest.fixture
def postgres_store() -> Iterator[str]:
    with new_postgres_schema() as location:
        yield location


@pytest.fixture
def sqlite_store(tmp_path: Path) -> str:
    return str(tmp_path / "citycoop.db")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store(request: pytest.FixtureRequest) -> str:
    """Each test that takes this runs once per kind of store."""
    fixture_name = f"{request.param}_store"
    location: str = request.getfixturevalue(fixture_name)
    return location


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def module_store(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A store of each kind shared by the tests of one module, for tests that
    only read it (say, through a server that is slow to start)."""
    if request.param == "sqlite":
        yield str(tmp_path_factory.mktemp("store") / "citycoop.db")
        return
    with new_postgres_schema() as location:
        yield location


@pytest.fixture
def app(store: str) -> Iterator[CityCoop]:
    application = CityCoop(store)
    yield application
    application.close()


EventsTable = Callable[[], list[tuple[object, ...]]]


@pytest.fixture
def events_table(store: str) -> EventsTable:
    """Every row of the store's events table (SQLite ``stored_events``, PostgreSQL
    ``<schema>.citycoop_events``), read with plain SQL rather than through
    citycoop, so a test can show that a refused command wrote nothing. Each row
    is (notification id, originator id, originator version, topic, state)."""

    def rows() -> list[tuple[object, ...]]:
        columns = "originator_id, originator_version, topic, state"
        if not store.startswith("postgresql://"):
            with closing(sqlite3.connect(f"file:{store}?mode=ro", uri=True)) as connection:
                return connection.execute(f"SELECT rowid, {columns} FROM stored_events ORDER BY rowid").fetchall()
        import psycopg
        from psycopg import sql

        url, _, query = store.partition("?")
        schema = parse_qs(query)["schema"][0]
        statement = sql.SQL(f"SELECT notification_id, {columns} FROM {{}}.citycoop_events ORDER BY notification_id")
        statement = statement.format(sql.Identifier(schema))
        with psycopg.connect(url) as connection:
            return connection.execute(statement).fetchall()

    return rows
