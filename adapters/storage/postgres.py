"""The PostgreSQL store: eventsourcing 9.5's factory and application
recorder, with two gaps closed, and the store's SQL (``postgres_sql``).

* Connections are bounded in time, and checked once before the pool starts
  (``postgres_connection``).
* Processes starting together (writers, projection workers, servers) create
  tables one at a time (``creating_tables``).
* PostgreSQL hangs on one insert of more than ~20k events (psycopg's pipeline
  with one huge array parameter); our recorder inserts in chunks inside the
  same transaction, so an import of any size is still all or nothing.

And each append writes its row of ``recorded_times`` (and the first the audit
key check) in its transaction,
under the table lock that gives positions in commit order.

Only a process that opens a PostgreSQL store imports this module, and with
it psycopg.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from threading import local
from typing import Any

from eventsourcing.persistence import AggregateRecorder, ApplicationRecorder, ProcessRecorder, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.postgres import PostgresFactory as LibraryPostgresFactory
from psycopg import Cursor
from psycopg.rows import DictRow

from .key_check import create_key_check_table, note_key_check
from .postgres_connection import ConnectionLimits, bound_in_time, checked_once
from .postgres_sql import PostgresSQL, creating_tables
from .recorded_times import RecordedTimes
from .sql import HasSQL

INSERT_CHUNK_SIZE = 5_000


class PostgresFactory(LibraryPostgresFactory):
    def __init__(self, env: Any) -> None:
        super().__init__(env)
        limits = ConnectionLimits.from_settings(self.env.get)
        bound_in_time(self.datastore, limits)
        checked_once(self.datastore, limits)

    def aggregate_recorder(self, purpose: str = "events") -> AggregateRecorder:
        with self._taking_turns():
            return super().aggregate_recorder(purpose)

    def application_recorder(self) -> ApplicationRecorder:
        with self._taking_turns():
            recorder = super().application_recorder()
        if self.schema_ready and isinstance(recorder, PostgresRecorder):
            recorder.sql.schema_ready = True
            recorder.recorded_times.fill_if_behind()
        return recorder

    @cached_property
    def schema_ready(self) -> bool:
        """Whether the store has every table already (``StoreSQL.check_schema``):
        then no table is created, and no turn taken to create one (the log's and
        the snapshots'; see ``sqlite.SQLiteFactory`` on tracking recorders)."""
        events = f"{self.env.name.lower() or 'stored'}_events"
        return PostgresSQL(self.datastore, events, events).check_schema()

    def env_create_table(self) -> bool:
        return super().env_create_table() and not self.schema_ready

    def tracking_recorder(self, tracking_recorder_class: Any = None) -> Any:
        with self._taking_turns():
            return super().tracking_recorder(tracking_recorder_class)

    def process_recorder(self) -> ProcessRecorder:
        with self._taking_turns():
            return super().process_recorder()

    @contextmanager
    def _taking_turns(self) -> Iterator[None]:
        if not self.env_create_table():
            yield
            return
        with creating_tables(self.datastore):
            yield


class PostgresRecorder(PostgresApplicationRecorder, HasSQL):
    _inserted = local()
    """Notification ids of the chunks inserted by this thread's current transaction."""

    @cached_property
    def sql(self) -> PostgresSQL:
        return PostgresSQL(self.datastore, self.events_table_name, self.channel_name)

    @cached_property
    def recorded_times(self) -> RecordedTimes:
        return RecordedTimes(self.sql)

    def create_table(self) -> None:
        super().create_table()
        self.recorded_times.create()
        create_key_check_table(self.sql)

    def _insert_stored_events(self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any) -> None:
        self._lock_table(curs)
        self._notify_channel(curs)
        self._inserted.ids = []
        for start in range(0, len(stored_events), INSERT_CHUNK_SIZE):
            chunk = stored_events[start : start + INSERT_CHUNK_SIZE]
            curs.execute(
                query=self.insert_events_statement,
                params=(
                    [
                        self.construct_pg_stored_event(e.originator_id, e.originator_version, e.topic, e.state)
                        for e in chunk
                    ],
                ),
            )
            self._inserted.ids.extend(row["notification_id"] for row in curs.fetchall())
        if self._inserted.ids:
            self.recorded_times.append(curs, self._inserted.ids[-1], (event.state for event in stored_events))
            if self.key_check is not None:
                note_key_check(self.sql, curs, self.key_check, self._inserted.ids[0])

    def _fetch_ids_after_insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids: list[int] = self._inserted.ids
        return ids
