"""The audit's one door: what the CLI's ``history``, ``log``, ``state``,
``audit``, ``export`` and ``restore`` commands ask, over the application's store."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import IO
from uuid import UUID

from eventsourcing.persistence import Notification

from ...domain.errors import InvalidValueError
from ..application.service import CityCoop
from ..projections import ReadModels, read_models_as_of
from ..projections.events import decode
from ..projections.past import partnership_read_models, partnership_records
from ..storage.errors import translated_store_errors
from ..storage.sql import RawEvent, sql_of
from . import export, global_chain, history, time_travel, verification
from .event_log import LogFilter, LogPage, read_log
from .export import Restored
from .global_chain import Head
from .history import HistoryEntry
from .storage import Storage, storage_for
from .time_travel import MomentInLog, RecordAsOf, RecordKnownOn
from .verification import Verification

_HASH = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class PastReadModels:
    position: int
    """The last position of the log they were built from."""
    as_of: datetime | None
    read_models: ReadModels


class Auditor:
    def __init__(self, app: CityCoop) -> None:
        self.app = app
        with self._store():
            self.storage: Storage = storage_for(sql_of(app.recorder))

    def history(self, record_id: UUID) -> list[HistoryEntry]:
        with self._store():
            return history.history(self.storage, self.app.mapper, record_id)

    def log(self, selection: LogFilter, *, after: int = 0, limit: int = 50) -> LogPage:
        with self._store():
            return read_log(self.storage, selection, after=after, limit=limit)

    def record(self, record_id: UUID, *, version: int | None = None, as_of: datetime | None = None) -> RecordAsOf:
        """A record as of a version, as of a recorded time, or as it is now."""
        with self._store():
            if as_of is not None:
                return time_travel.record_as_of(self.app, self.storage, record_id, as_of)
            if version is None:
                version = self.app.get_record(record_id).version
            return time_travel.record_at_version(self.app, record_id, version)

    def record_known_on(self, record_id: UUID, *, known_on: datetime, true_on: str) -> RecordKnownOn:
        with self._store():
            return time_travel.record_known_on(
                self.storage, self.app.mapper, record_id, known_on=known_on, true_on=true_on
            )

    def moment_in_log(self, moment: datetime) -> MomentInLog:
        """Where the log ended at ``moment``, and whether that can still change."""
        with self._store():
            return time_travel.moment_in_log(self.storage, moment)

    def read_models_as_of(self, *, position: int | None = None, as_of: datetime | None = None) -> PastReadModels:
        """The read models as they stood at a log position, or at a recorded
        time, rebuilt aside without touching the live projections."""
        with self._store():
            position = self._position(position, as_of)
            return PastReadModels(position, as_of, read_models_as_of(self.app, position))

    def partnership_as_of(
        self, partnership_id: UUID, *, position: int | None = None, as_of: datetime | None = None
    ) -> PastReadModels:
        """One partnership's read models (its summary, timeline, conferences and
        agreements) as they stood at a log position or a recorded time: built
        from the events of its own records, a few queries whatever the length
        of the log, once the live read models have reached that position to
        name those records; until then, from a replay of the log."""
        with self._store():
            position = self._position(position, as_of)
            records = partnership_records(self.app, partnership_id, position)
            if records is None:
                return PastReadModels(position, as_of, read_models_as_of(self.app, position))
            with self.storage.reading() as c:
                raws = [raw for record in records for raw in self.storage.record_events(c, record)]
            known = sorted((raw for raw in raws if raw.position <= position), key=lambda raw: raw.position)
            read_models = partnership_read_models([decode(_notification(raw)) for raw in known])
            return PastReadModels(position, as_of, read_models)

    def _position(self, position: int | None, as_of: datetime | None) -> int:
        if position is None:
            if as_of is None:
                raise InvalidValueError("position", "give a log position or a recorded time")
            return time_travel.moment_in_log(self.storage, as_of).position
        if position < 0:
            raise InvalidValueError("position", "must be 0 or more")
        return position

    def verify(self, *, expect: str | None = None) -> Verification:
        if expect is not None:
            expect = expect.strip().lower()
            if not _HASH.match(expect):
                raise InvalidValueError("expect", "must be the 64 hex digits that 'citycoop audit seal' printed")
        with self._store():
            return verification.verify(self.storage, self.app.chain, expect=expect)

    def seal(self) -> Head:
        """Extend the global chain to the end of the log and return its head."""
        with self._store():
            return global_chain.catch_up(self.storage, self.app.chain)

    def export(self, out: IO[str]) -> Head:
        with self._store():
            return export.export(self.storage, self.app.chain, out)

    def restore(self, lines: Iterable[str]) -> Restored:
        with self._store():
            return export.restore(self.storage, self.app.chain, self.app.mapper, lines)

    @contextmanager
    def _store(self) -> Iterator[None]:
        with translated_store_errors(self.app.location):
            yield


def _notification(raw: RawEvent) -> Notification:
    return Notification(
        id=raw.position,
        originator_id=UUID(bytes=raw.identity),
        originator_version=raw.version,
        topic=raw.topic,
        state=raw.state,
    )
