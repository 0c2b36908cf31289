"""How a PostgreSQL store's connections are made: bounded in time, and
checked once when the store is opened.

*Bounded.* A server that stops answering must cost a bounded wait, not a
hang: libpq gives up connecting after ``POSTGRES_CONNECT_TIMEOUT`` seconds,
TCP keepalives and ``tcp_user_timeout`` drop a connection whose peer has gone
(``POSTGRES_SILENCE_TIMEOUT`` seconds), and the server cancels any statement
running longer than ``POSTGRES_STATEMENT_TIMEOUT`` seconds. A pool waits
``POSTGRES_CONNECT_TIMEOUT`` seconds at most for a free connection.

*Checked.* Before the pool starts, one connection is made directly
(``psycopg.Connection.connect``, with the pool's own parameters): what the
server refuses for good (an unknown role or database, a wrong password, a
schema that does not exist) is said at once, in the server's words, instead of
the pool retrying it until it times out; what can heal (the port refused, no
answer in time, a server starting up) is tried again until the connect
timeout, and then reported as what it was.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import psycopg
from eventsourcing.persistence import OperationalError
from eventsourcing.postgres import PostgresDatastore

STATEMENT_TIMEOUT = "POSTGRES_STATEMENT_TIMEOUT"
SILENCE_TIMEOUT = "POSTGRES_SILENCE_TIMEOUT"
CONNECT_TIMEOUT = "POSTGRES_CONNECT_TIMEOUT"
DEFAULTS = {STATEMENT_TIMEOUT: 120.0, SILENCE_TIMEOUT: 30.0, CONNECT_TIMEOUT: 5.0}
"""Seconds. A statement of the longest legitimate kind (a page of a rebuild,
a chunk of a big import) takes well under the statement timeout."""

_PASSING_REFUSALS = (
    "the database system is starting up",
    "the database system is shutting down",
    "the database system is in recovery mode",
    "the database system is not yet accepting connections",
    "the database system is not accepting connections",
    "sorry, too many clients already",
    "remaining connection slots are reserved",
)
"""What a server says when it answers but refuses only for now."""
_RETRY_PAUSE_SECONDS = 0.25


@dataclass(frozen=True)
class ConnectionLimits:
    statement: float
    silence: float
    connect: float

    @classmethod
    def from_settings(cls, get: Any) -> ConnectionLimits:
        """The limits from ``get(name)`` (the eventsourcing environment), each a
        number of seconds, or its default."""
        values = {}
        for name, default in DEFAULTS.items():
            given = get(name)
            try:
                values[name] = float(given) if given else default
            except ValueError:
                raise OperationalError(f"{name} must be a number of seconds more than 0, not {given!r}") from None
            if not (math.isfinite(values[name]) and values[name] > 0):
                raise OperationalError(f"{name} must be a number of seconds more than 0, not {given!r}")
        return cls(values[STATEMENT_TIMEOUT], values[SILENCE_TIMEOUT], values[CONNECT_TIMEOUT])

    def libpq_parameters(self) -> dict[str, object]:
        """libpq's connection parameters for these limits."""
        # Less than a millisecond would be 0, which PostgreSQL and the kernel take as no limit at all.
        silence_ms = max(1, int(self.silence * 1000))
        statement_ms = max(1, int(self.statement * 1000))
        return {
            # libpq counts whole seconds and takes less than 2 as 2.
            "connect_timeout": max(2, round(self.connect)),
            "keepalives": 1,
            "keepalives_idle": max(1, int(self.silence / 3)),
            "keepalives_interval": max(1, int(self.silence / 9)),
            "keepalives_count": 3,
            "tcp_user_timeout": silence_ms,
            "options": f"-c statement_timeout={statement_ms}",
        }


def bound_in_time(datastore: PostgresDatastore, limits: ConnectionLimits) -> None:
    """Give the datastore's pool (not yet open) these limits."""
    pool = datastore.pool
    assert isinstance(pool.kwargs, dict)
    pool.kwargs.update(limits.libpq_parameters())
    pool.timeout = limits.connect


def checked_once(datastore: PostgresDatastore, limits: ConnectionLimits) -> None:
    """Connect once with the pool's parameters and look for the store's
    schema; raise ``OperationalError`` with what went wrong."""
    assert isinstance(datastore.pool.kwargs, Mapping)
    parameters = dict(datastore.pool.kwargs)
    deadline = time.monotonic() + limits.connect
    while True:
        try:
            with psycopg.Connection.connect(**parameters) as connection:
                found = connection.execute(
                    "SELECT 1 FROM pg_namespace WHERE nspname = %s", (datastore.schema,)
                ).fetchone()
            break
        except psycopg.OperationalError as error:
            reason = _reason(error)
            if not _can_heal(reason) or time.monotonic() + _RETRY_PAUSE_SECONDS > deadline:
                raise OperationalError(reason) from None
            time.sleep(_RETRY_PAUSE_SECONDS)
    if found is None:
        raise OperationalError(
            f'schema "{datastore.schema}" does not exist; citycoop does not create schemas:'
            f" create it first (CREATE SCHEMA {_quoted(datastore.schema)};), or leave out ?schema= to use public"
        )


def _reason(error: psycopg.OperationalError) -> str:
    """libpq's message, first line, without its preamble; what the server
    itself said, when it answered, as ``PostgreSQL says: …``."""
    message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if "FATAL:" in message:
        return "PostgreSQL says: " + message.split("FATAL:", 1)[1].strip()
    return message.removeprefix("connection failed: ")


def _can_heal(reason: str) -> bool:
    """Anything but a refusal by the server: a port that refuses, no answer in
    time, a name not resolved; or a refusal the server lifts by itself."""
    if not reason.startswith("PostgreSQL says: "):
        return True
    return any(passing in reason for passing in _PASSING_REFUSALS)


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
