"""The read door: everything a reader asks of a store, and nothing else.

The CLI's queries and the auditors' commands, the HTTP API and the feature
steps read through it: the read models now or as they stood at a moment of
the log's past, for every partnership or one; the head of the log and the
feed; how far the projections are, and keeping them up to date; and the
audit's reads (a record's history and past states, the log, the proof that
it was not altered, the export). Each method turns a store that cannot be
used into one ``StoreUnavailableError``. Writes go through
``adapters.writes``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from threading import Event, Lock
from uuid import UUID

from eventsourcing.application import LocalNotificationLog, Section
from eventsourcing.persistence import Notification

from ...domain.aggregate import Aggregate
from ...domain.errors import InvalidValueError
from ..application.service import CityCoop
from ..audit.auditor import Auditor
from ..audit.event_log import LogFilter, LogPage
from ..audit.export import TextOut
from ..audit.global_chain import Head
from ..audit.history import HistoryEntry
from ..audit.report import Verification
from ..audit.time_travel import RecordAsOf, RecordKnownOn
from ..doors import Door
from ..projections import runner
from ..projections.catalogue import PROJECTIONS
from ..projections.follow import follow
from ..projections.projection import ReadModelProjection
from ..projections.queries import ReadModels
from ..projections.statuses import ProjectionStatus, status
from ..storage.errors import translated_store_errors
from ..storage.location import StoreLocation
from ..storage.new_store import NewStore
from .moment import Moment
from .past import PastReadModels

MAX_SECTION_SIZE = 1000
"""Events per section of the feed at most, whatever range is asked for (the library's own log serves 10)."""
PROJECTION_NAMES = tuple(projection.name for projection in PROJECTIONS)
Progress = Callable[[int, int], None]
"""Told, after each batch, the events applied so far and the number to apply."""


class Reads(Door):
    def __init__(self, app: CityCoop, new_store: NewStore | None = None) -> None:
        super().__init__(app, new_store)
        self.location: StoreLocation = app.location
        self._live: ReadModels | None = None
        self._auditor: Auditor | None = None
        self._lock = Lock()
        self._past = PastReadModels(app, self._auditor_of_store)

    # The read models --------------------------------------------------------

    def read_models(self, at: Moment | None = None, partnership: UUID | None = None) -> ReadModels:
        """The read models as they are, or as they stood at ``at``; past read
        models asked for one ``partnership`` answer for it alone, and cost only
        the events of its own records. (Live ones answer for every partnership.)"""
        with self._store():
            if at is not None:
                return self._past.read_models(at, partnership)
            with self._lock:
                self._live = self._live or ReadModels(self._app)
            return self._live

    def catch_up(
        self, names: Sequence[str] = (), *, batch_size: int = runner.BATCH_SIZE, progress: Progress | None = None
    ) -> int:
        """Bring the projections named (all by default) to the head of the log;
        returns the position they reached."""
        with self._store():
            return runner.catch_up(self._app, _projections(names), batch_size=batch_size, progress=progress)

    def rebuild(
        self,
        names: Sequence[str] = (),
        *,
        batch_size: int = runner.REBUILD_BATCH_SIZE,
        progress: Progress | None = None,
    ) -> int:
        """Build the projections named again from the start of the log while
        readers keep the old tables, then switch readers over."""
        with self._store():
            return runner.rebuild(self._app, _projections(names), batch_size=batch_size, progress=progress)

    def follow(
        self,
        names: Sequence[str] = (),
        *,
        stop: Event,
        batch_size: int = runner.BATCH_SIZE,
        caught_up: Callable[[int], None] | None = None,
    ) -> None:
        """Keep the projections named at the head of the log until ``stop`` is set."""
        with self._store():
            follow(self._app, _projections(names), stop=stop, batch_size=batch_size, caught_up=caught_up)

    def status(self) -> list[ProjectionStatus]:
        """Each projection's position, the head of the log, and the lag between them."""
        with self._store():
            return status(self._app)

    def position(self, at: Moment) -> int:
        """The log position ``at`` names, no further than the log goes: itself,
        or the last one recorded by then, found as past read models find it."""
        with self._store():
            return self._past.position(at)

    def positions(self) -> frozenset[tuple[str, int]]:
        """Where each projection's tracking stands: while none moves, every read
        model answers as it did."""
        with self._store():
            return frozenset(runner.read_model_database(self._app).positions().items())

    # The log -----------------------------------------------------------------

    def head(self) -> int:
        """The position of the newest event in the log (0 when it is empty)."""
        with self._store():
            return self._app.recorder.max_notification_id() or 0

    def recorded_at(self, position: int) -> datetime | None:
        """When the event at ``position`` was recorded; None before the first
        event and at a gap in the positions."""
        return self._auditor_of_store().recorded_at(position)

    def feed_section(self, section_id: str) -> Section:
        """A section of the log, ``"first,last"``, as the library's notification log serves it."""
        with self._store():
            return LocalNotificationLog(self._app.recorder, section_size=MAX_SECTION_SIZE)[section_id]

    def notifications(
        self, *, start: int | None, limit: int, topics: Sequence[str] = (), inclusive_of_start: bool = True
    ) -> list[Notification]:
        """Events from a position, as stored, optionally of some topics only."""
        with self._store():
            found = self._app.recorder.select_notifications(
                start=start, limit=limit, topics=topics, inclusive_of_start=inclusive_of_start
            )
        return list(found)

    # The audit's reads ----------------------------------------------------------

    def record(self, record_id: UUID, *, version: int | None = None) -> Aggregate:
        """A partnership, conference or agreement as it is, or as it was at
        ``version``: the record itself, rebuilt from its events."""
        return self._app.get_record(record_id, version=version)

    def history(self, record_id: UUID) -> list[HistoryEntry]:
        """Every event of a record, oldest first, with what each changed."""
        return self._auditor_of_store().history(record_id)

    def log(self, selection: LogFilter, *, after: int = 0, limit: int = 50) -> LogPage:
        return self._auditor_of_store().log(selection, after=after, limit=limit)

    def state(self, record_id: UUID, *, version: int | None = None, at: datetime | None = None) -> RecordAsOf:
        """A record as it is, as of a version, or as it stood at a recorded time."""
        return self._auditor_of_store().record(record_id, version=version, as_of=at)

    def state_known_on(self, record_id: UUID, *, known_on: datetime, true_on: str) -> RecordKnownOn:
        """What the register, as it stood at ``known_on``, says was true on ``true_on``."""
        return self._auditor_of_store().record_known_on(record_id, known_on=known_on, true_on=true_on)

    def verify(self, *, expect: str | None = None) -> Verification:
        """Recompute every chain over the whole log (and check that it extends ``expect``)."""
        return self._auditor_of_store().verify(expect=expect)

    def export(self, out: TextOut) -> Head:
        """Write the whole log as JSON Lines."""
        return self._auditor_of_store().export(out)

    def _auditor_of_store(self) -> Auditor:
        with self._lock:
            self._auditor = self._auditor or Auditor(self._app)
            return self._auditor

    @contextmanager
    def _store(self) -> Iterator[None]:
        with translated_store_errors(self.location):
            yield


def _projections(names: Sequence[str]) -> tuple[type[ReadModelProjection], ...]:
    """The projections of these names, or all of them."""
    known = {projection.name: projection for projection in PROJECTIONS}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise InvalidValueError("name", f"{unknown[0]!r} is not a projection; the projections are {', '.join(known)}")
    return tuple(known[name] for name in names) or PROJECTIONS
