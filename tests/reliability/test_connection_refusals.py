"""What a PostgreSQL server refuses for good (a role or database it does not
know, a schema that was never created) is said at once, in its own words, in
one line with the password masked, instead of the connection pool retrying it
until it gives up with "couldn't get a connection"; only what can heal (a port
that refuses, no answer) is tried again, and then reported as what it was."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from reliability.processes import citycoop, one_line_error

PASSWORD = "Wuxi-S3cret-1993"


def changed(store: str, *, user: str | None = None, database: str | None = None, schema: str | None = None) -> str:
    url = urlsplit(store)
    netloc = f"{user}:{PASSWORD}@{url.hostname}:{url.port or 5432}" if user else url.netloc
    query = f"schema={schema}" if schema else url.query
    return urlunsplit(url._replace(netloc=netloc, path=f"/{database}" if database else url.path, query=query))


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("change", "said"),
    [
        ({"user": "nobody"}, 'role "nobody" does not exist'),
        ({"database": "no_such_register"}, 'database "no_such_register" does not exist'),
    ],
    ids=["unknown role", "unknown database"],
)
def test_a_role_or_database_the_server_does_not_know_is_said_at_once_in_its_words(
    postgres_store: str, home: Path, change: dict[str, str], said: str
) -> None:
    result = citycoop("--store", changed(postgres_store, **change), "log", home=home)

    error = one_line_error(result)
    assert error.endswith(f"PostgreSQL says: {said}")
    assert PASSWORD not in result.stderr


@pytest.mark.postgres
def test_a_schema_that_does_not_exist_is_refused_saying_how_to_create_it(postgres_store: str, home: Path) -> None:
    store = changed(postgres_store, schema="no_such_schema")

    error = one_line_error(citycoop("--store", store, "demo", home=home))

    assert 'schema "no_such_schema" does not exist' in error
    assert 'CREATE SCHEMA "no_such_schema";' in error


def test_a_port_that_refuses_is_tried_again_and_then_reported_as_refused(home: Path) -> None:
    result = citycoop("--store", "postgresql://postgres@127.0.0.1:1/test", "log", home=home)

    assert one_line_error(result).endswith("port 1 failed: Connection refused")
