"""The audit's SQL for a PostgreSQL store (see ``storage``); imported only
by a process that opened a PostgreSQL store."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from uuid import UUID

from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg.rows import tuple_row

from .storage import GENESIS_BYTES, Cursor, RawEvent, Storage


class PostgresStorage(Storage):
    position = "notification_id"
    identity = "uuid_send(originator_id)"
    mark = "%s"

    def __init__(self, recorder: PostgresApplicationRecorder) -> None:
        self._datastore = recorder.datastore
        schema = _quoted(recorder.datastore.schema)
        self._events_table = recorder.events_table_name
        prefix = recorder.events_table_name.removesuffix("_events")
        self.events = f"{schema}.{_quoted(recorder.events_table_name)}"
        self.chain = f"{schema}.{_quoted(prefix + '_audit_chain')}"
        self.tracking = f"{schema}.{_quoted(prefix + '_audit_tracking')}"

    @contextmanager
    def reading(self) -> Iterator[Cursor]:
        # Binary results: psycopg parses bytea and integers faster than their text.
        with (
            self._datastore.get_connection() as connection,
            connection.cursor(row_factory=tuple_row, binary=True) as cursor,
        ):
            yield cursor

    @contextmanager
    def writing(self) -> Iterator[Cursor]:
        with (
            self._datastore.get_connection() as connection,
            connection.transaction(),
            connection.cursor(row_factory=tuple_row, binary=True) as cursor,
        ):
            yield cursor

    def record_param(self, record_id: UUID) -> object:
        return record_id

    def topics_condition(self, topics: Sequence[str]) -> tuple[str, list[object]]:
        return "topic = ANY(%s)", [list(topics)]

    def to_identity(self, column: Any) -> bytes:
        return bytes(column)

    def create_tables(self) -> None:
        with self.writing() as c:
            # Two processes creating a table at once collide in the catalogue; this lock queues them.
            c.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [self.chain])
            c.execute(
                f"CREATE TABLE IF NOT EXISTS {self.chain} ("
                "position bigint PRIMARY KEY, event_hash bytea NOT NULL, chain_hash bytea NOT NULL)"
            )
            c.execute(
                f"CREATE TABLE IF NOT EXISTS {self.tracking} ("
                "id smallint PRIMARY KEY CHECK (id = 1), position bigint NOT NULL, chain_hash bytea NOT NULL)"
            )
            c.execute(f"INSERT INTO {self.tracking} VALUES (1, 0, %s) ON CONFLICT (id) DO NOTHING", [GENESIS_BYTES])

    def insert_events(self, c: Cursor, events: Sequence[RawEvent]) -> None:
        # Other writers wait while a restore fills the log, as they would for any insert.
        c.execute(f"LOCK TABLE {self.events} IN EXCLUSIVE MODE")
        c.executemany(
            f"INSERT INTO {self.events} (notification_id, originator_id, originator_version, topic, state)"
            " VALUES (%s, %s, %s, %s, %s)",
            [(e.position, UUID(bytes=e.identity), e.version, e.topic, e.state) for e in events],
        )
        c.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'notification_id'), GREATEST(MAX(notification_id), 1))"
            f" FROM {self.events}",
            [self.events],
        )


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
