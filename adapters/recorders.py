"""Application recorders that close two gaps in eventsourcing 9.5.

* SQLite cannot push new events, so its recorder refuses to subscribe; ours
  polls instead, which lets projections follow an SQLite store.
* PostgreSQL hangs on one insert of more than ~20k events (psycopg's pipeline
  with one huge array parameter); ours inserts in chunks inside the same
  transaction, so an import of any size is still all or nothing.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from threading import Event, Thread, local
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, ListenNotifySubscription, StoredEvent, Subscription
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import SQL, Identifier

POLL_INTERVAL_SECONDS = 0.05
INSERT_CHUNK_SIZE = 5_000
SQLITE_IDS_PER_QUERY = 500
T = TypeVar("T")


class PollingSubscription(ListenNotifySubscription[ApplicationRecorder]):
    """Wakes the library's pull loop every 50 ms instead of on a notification."""

    def __init__(self, recorder: ApplicationRecorder, gt: int | None = None, topics: Sequence[str] = ()) -> None:
        self._stopped = Event()
        super().__init__(recorder=recorder, gt=gt, topics=topics)
        self._poll_thread = Thread(target=self._poll, daemon=True)
        self._poll_thread.start()

    def stop(self) -> None:
        self._stopped.set()
        super().stop()

    def _poll(self) -> None:
        while not self._stopped.wait(POLL_INTERVAL_SECONDS):
            self._has_been_notified.set()


def existing_ids(recorder: ApplicationRecorder, ids: Collection[UUID]) -> set[UUID]:
    """Which of ``ids`` name a record on file, in a query per thousands of ids
    rather than one per id (a large import checks every new record)."""
    if isinstance(recorder, SQLiteRecorder | PostgresRecorder):
        return recorder.select_existing_ids(ids)
    return {record_id for record_id in ids if recorder.select_events(record_id, limit=1)}


def _chunks(items: list[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class SQLiteRecorder(SQLiteApplicationRecorder):
    def select_existing_ids(self, ids: Collection[UUID]) -> set[UUID]:
        found: set[UUID] = set()
        with self.datastore.transaction(commit=False) as curs:
            for chunk in _chunks([record_id.hex for record_id in ids], SQLITE_IDS_PER_QUERY):
                curs.execute(
                    f"SELECT originator_id FROM {self.events_table_name}"
                    f" WHERE originator_version = 1 AND originator_id IN ({','.join('?' * len(chunk))})",
                    chunk,
                )
                found.update(UUID(row["originator_id"]) for row in curs.fetchall())
        return found

    def subscribe(self, gt: int | None = None, topics: Sequence[str] = ()) -> Subscription[ApplicationRecorder]:
        return PollingSubscription(recorder=self, gt=gt, topics=topics)


class PostgresRecorder(PostgresApplicationRecorder):
    _inserted = local()
    """Notification ids of the chunks inserted by this thread's current transaction."""

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

    def select_existing_ids(self, ids: Collection[UUID]) -> set[UUID]:
        statement = SQL(
            "SELECT originator_id FROM {schema}.{table} WHERE originator_version = 1 AND originator_id = ANY(%s)"
        ).format(schema=Identifier(self.datastore.schema), table=Identifier(self.events_table_name))
        found: set[UUID] = set()
        with self.datastore.get_connection() as connection, connection.cursor() as curs:
            for chunk in _chunks(list(ids), INSERT_CHUNK_SIZE):
                curs.execute(statement, [chunk])
                found.update(row["originator_id"] for row in curs.fetchall())
        return found

    def _fetch_ids_after_insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids: list[int] = self._inserted.ids
        return ids
