"""Every PostgreSQL connection is bounded in time: libpq gives up connecting,
TCP keepalives and ``tcp_user_timeout`` drop a connection whose peer has gone
silent, and the server cancels a statement that runs too long. Each limit is
a number of seconds in the environment (``POSTGRES_CONNECT_TIMEOUT``,
``POSTGRES_SILENCE_TIMEOUT``, ``POSTGRES_STATEMENT_TIMEOUT``)."""

from __future__ import annotations

import pytest
from eventsourcing.persistence import OperationalError

from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.storage.errors import StoreUnavailableError


@pytest.mark.postgres
def test_every_connection_carries_its_time_limits(postgres_store: str) -> None:
    app = CityCoop(postgres_store, env={"POSTGRES_SILENCE_TIMEOUT": "9", "POSTGRES_STATEMENT_TIMEOUT": "7"})
    try:
        with app.recorder.datastore.get_connection() as connection:  # type: ignore[attr-defined]
            parameters = connection.info.get_parameters()
            statement_timeout = connection.execute("SHOW statement_timeout").fetchone()
    finally:
        app.close()

    assert statement_timeout == {"statement_timeout": "7s"}
    assert (parameters["connect_timeout"], parameters["tcp_user_timeout"]) == ("5", "9000")
    assert (parameters["keepalives"], parameters["keepalives_idle"], parameters["keepalives_count"]) == ("1", "3", "3")


@pytest.mark.postgres
def test_a_statement_past_its_time_is_cancelled_by_the_server(postgres_store: str) -> None:
    app = CityCoop(postgres_store, env={"POSTGRES_STATEMENT_TIMEOUT": "0.5"})
    try:
        with (
            pytest.raises(OperationalError) as refusal,
            app.recorder.datastore.transaction(commit=False) as cursor,
        ):  # type: ignore[attr-defined]
            cursor.execute("SELECT pg_sleep(5)")
    finally:
        app.close()

    assert str(refusal.value).startswith("canceling statement due to statement timeout")


@pytest.mark.postgres
@pytest.mark.parametrize("given", ["abc", "0", "-1", "inf", "nan"])
def test_a_time_limit_that_is_not_a_positive_number_of_seconds_is_refused_naming_it(
    postgres_store: str, given: str
) -> None:
    with pytest.raises(StoreUnavailableError) as refusal:
        CityCoop(postgres_store, env={"POSTGRES_SILENCE_TIMEOUT": given})

    assert "\n" not in str(refusal.value)
    assert str(refusal.value).endswith(
        f"POSTGRES_SILENCE_TIMEOUT must be a number of seconds more than 0, not {given!r}"
    )
