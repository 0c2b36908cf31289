"""The read models as they stood at a moment of the log's past: the one path
by which every reader (the CLI's ``audit as-of``, the HTTP API's ``as_of``)
gets them, so that how they are found can change in one place.

A recorded time stands for the last position of the log recorded by then,
at the end of a transaction; finding it is one lookup in an index
(``storage.recorded_times``), and once it can no longer change (an event
recorded after it is in the log) it is kept. The read models at a position
are queries of the versions that the live read models keep
(``projections.as_of``), once those have reached it. Until then (or in an
earlier release's store, until its read models are rebuilt with versions)
those of every partnership are a replay of the log up to it, built aside:
one at a time, and the last few kept, so that a client paging through the
past pays for one. Those of one partnership are then built from the events
of its own records (``projections.past``), a few queries whatever the length
of the log, and kept apart, so that they never push out a replay that took
far longer.

Replays wait their turn in a queue of ``REPLAYS_WAITING`` at most: past that,
a reader is refused at once (``PastReadsBusyError``, a 503 with
``Retry-After`` over HTTP) rather than made to wait behind every replay asked
for before it. A replay already kept is answered without waiting.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from threading import BoundedSemaphore, Lock
from uuid import UUID

from ..application.service import CityCoop
from ..audit.auditor import Auditor
from ..projections.as_of import VersionedReadModels, versions_reach
from ..projections.past import partnership_as_of, read_models_as_of
from ..projections.queries import ReadModels
from ..projections.runner import read_model_database
from ..storage.errors import StoreUnavailableError
from .moment import Moment

REPLAYS_KEPT = 4
"""Past read models of every partnership kept, each in a temporary file of its own."""
REPLAYS_WAITING = 4
"""Replays that may wait for the one being built; a reader past them is refused."""
PARTNERSHIPS_KEPT = 16
"""Past read models of one partnership kept."""
SETTLED_MOMENTS_KEPT = 256
"""Recorded times whose log position is known for good, kept (the oldest dropped first)."""

Key = tuple[int, UUID | None]


class PastReadsBusyError(StoreUnavailableError):
    """Raised when too many replays of the log's past are already waiting their turn."""


class _Recent:
    """The past read models built last, by key, the least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._kept: OrderedDict[Key, ReadModels] = OrderedDict()
        self._lock = Lock()

    def kept(self, key: Key) -> ReadModels | None:
        with self._lock:
            return self._kept.get(key)

    def get(self, key: Key, build: Callable[[], ReadModels]) -> ReadModels:
        """The read models kept under ``key``, or those ``build`` gives (built
        without holding the lock), kept."""
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
                return found
        found = build()
        with self._lock:
            self._kept[key] = found
            self._kept.move_to_end(key)
            if len(self._kept) > self._size:
                self._kept.popitem(last=False)
        return found


class PastReadModels:
    def __init__(self, app: CityCoop, auditor: Callable[[], Auditor]) -> None:
        self._app = app
        self._auditor = auditor
        self._replays = _Recent(REPLAYS_KEPT)
        self._replaying = Lock()
        self._turns = BoundedSemaphore(REPLAYS_WAITING + 1)
        self._partnerships = _Recent(PARTNERSHIPS_KEPT)
        self._settled: dict[datetime, int] = {}
        self._lock = Lock()

    def read_models(self, at: Moment, partnership: UUID | None) -> ReadModels:
        """The read models as they stood at ``at``: read from the versions the
        live read models keep once they have reached it; else (an earlier
        release's store before its rebuild, or read models behind ``at``)
        built aside, and asked for one ``partnership``, they answer for it alone."""
        key = (self.position(at), partnership)
        database = read_model_database(self._app)
        if versions_reach(database, key[0]):
            return VersionedReadModels(database, key[0], lambda: self._replayed(key))
        return self._replayed(key)

    def _replayed(self, key: Key) -> ReadModels:
        position, partnership = key
        if partnership is not None:
            return self._partnerships.get(key, lambda: partnership_as_of(self._app, partnership, position))
        kept = self._replays.kept(key)
        if kept is not None:
            return kept
        if not self._turns.acquire(blocking=False):
            raise PastReadsBusyError(
                f"as_of: {REPLAYS_WAITING} replays of the log's past are already waiting; try again in a few seconds"
            )
        try:
            with self._replaying:
                return self._replays.get(key, lambda: read_models_as_of(self._app, position))
        finally:
            self._turns.release()

    def position(self, at: Moment) -> int:
        """The last position of the log at ``at``, no further than the log goes."""
        head = self._app.recorder.max_notification_id() or 0
        return min(self._position(at), head)

    def _position(self, at: Moment) -> int:
        if at.time is None:
            assert at.position is not None
            return at.position
        with self._lock:
            found = self._settled.get(at.time)
        if found is not None:
            return found
        position, settled = self._auditor().moment_in_log(at.time)
        if settled:
            with self._lock:
                self._settled[at.time] = position
                if len(self._settled) > SETTLED_MOMENTS_KEPT:
                    del self._settled[next(iter(self._settled))]
        return position
