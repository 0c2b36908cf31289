"""Application recorders that close two gaps in eventsourcing 9.5.

* SQLite cannot push new events, so its recorder refuses to subscribe; ours
  polls instead, which lets projections follow an SQLite store.
* PostgreSQL hangs on one insert of more than ~20k events (psycopg's pipeline
  with one huge array parameter); ours inserts in chunks inside the same
  transaction, so an import of any size is still all or nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from threading import Event, Thread, local
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, ListenNotifySubscription, StoredEvent, Subscription
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from psycopg import Cursor
from psycopg.rows import DictRow

POLL_INTERVAL_SECONDS = 0.05
INSERT_CHUNK_SIZE = 5_000


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


class SQLiteRecorder(SQLiteApplicationRecorder):
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

    def _fetch_ids_after_insert_events(
        self, curs: Cursor[DictRow], stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        ids: list[int] = self._inserted.ids
        return ids
