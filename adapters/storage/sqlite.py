"""The SQLite application recorder, with the one gap in eventsourcing 9.5
that projections need closed: SQLite cannot push new events, so the library's
recorder refuses to subscribe; ours polls instead, which lets projections
follow an SQLite store. (PostgreSQL's recorder is in ``postgres_store``.)
"""

from __future__ import annotations

from collections.abc import Sequence
from threading import Event, Thread

from eventsourcing.persistence import ApplicationRecorder, ListenNotifySubscription, Subscription
from eventsourcing.sqlite import SQLiteApplicationRecorder

POLL_INTERVAL_SECONDS = 0.05


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
