"""Everything the auditors' pages read, in one place: the read models now or
as of a moment, a record's history, the proof, and where the log ends.

The pages reach the store through this module alone, over the objects the
JSON API uses (the worker's read models, its auditor), so that when reads get
a door of their own (issue #20) this is the one file to port.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar
from uuid import UUID

from citycoop.adapters.application import translated_store_errors
from citycoop.adapters.audit.history import HistoryEntry
from citycoop.adapters.audit.time_travel import recorded_at
from citycoop.adapters.audit.verification import Verification
from citycoop.adapters.http.dependencies import WorkerApp
from citycoop.adapters.projections import (
    AgreementEntry,
    CityEntry,
    ConferenceEntry,
    PartnershipSummary,
    ReadModels,
    TimelineEntry,
)
from citycoop.domain.errors import NotFoundError


class _Identified(Protocol):
    @property
    def id(self) -> UUID: ...


T = TypeVar("T", bound=_Identified)
BATCH = 1000
"""Items asked for at a time when a page shows all of a partnership's conferences or agreements."""


@dataclass(frozen=True)
class Moment:
    """The point of the log a page shows: what was asked, the position it
    names (no further than the log goes), and when the event there was recorded."""

    asked: int | datetime
    position: int
    recorded_at: datetime | None
    """None at position 0, before the first event, and at a gap in the
    positions (PostgreSQL leaves one where a transaction rolled back)."""


@dataclass(frozen=True)
class PartnershipRecords:
    summary: PartnershipSummary
    timeline: list[TimelineEntry]
    conferences: list[ConferenceEntry]
    agreements: list[AgreementEntry]


class PageReads:
    """The questions the pages ask, answered now or as of a :class:`Moment`."""

    def __init__(self, worker: WorkerApp) -> None:
        self._worker = worker

    def moment(self, as_of: int | datetime | None) -> Moment | None:
        """Where ``as_of`` (as the JSON API takes it) falls in the log; None for now."""
        if as_of is None:
            return None
        app = self._worker.open()
        position = self._worker.position_of(as_of)
        storage = self._worker.auditor().storage
        with translated_store_errors(app.location):
            position = min(position, app.recorder.max_notification_id() or 0)
            found = next(storage.pages(after=position - 1, stop=position), []) if position else []
        return Moment(as_of, position, recorded_at(found[0]) if found else None)

    def partnerships(self, moment: Moment | None, *, limit: int, after: UUID | str | None) -> list[PartnershipSummary]:
        return self._read_models(moment).partnerships(limit=limit, after=after)

    def city(self, moment: Moment | None, name: str) -> tuple[CityEntry, list[PartnershipSummary]]:
        """The city of that name (any case) or key, and its partnerships."""
        read_models = self._read_models(moment)
        city = read_models.city(name)
        return city, [read_models.partnership(partner.partnership_id) for partner in city.partners]

    def partnership(self, moment: Moment | None, partnership_id: UUID) -> PartnershipRecords:
        read_models = self._read_models(moment, partnership_id)
        return PartnershipRecords(
            summary=read_models.partnership(partnership_id),
            timeline=read_models.timeline(partnership_id),
            conferences=_all(lambda after: read_models.conferences(partnership_id, limit=BATCH, after=after)),
            agreements=_all(lambda after: read_models.agreements(partnership_id, limit=BATCH, after=after)),
        )

    def history(self, moment: Moment | None, record_id: UUID) -> list[HistoryEntry]:
        """Every event of the record up to the moment, oldest first."""
        found = self._worker.auditor().history(record_id)
        if moment is not None:
            found = [entry for entry in found if entry.event.position <= moment.position]
            if not found:
                raise NotFoundError(f"id: no record {record_id} was on file at position {moment.position}")
        return found

    def verify(self, expect: str | None) -> Verification:
        """``citycoop audit verify [--expect HASH]``, over the whole log as it is now."""
        return self._worker.auditor().verify(expect=expect)

    def _read_models(self, moment: Moment | None, partnership: UUID | None = None) -> ReadModels:
        return self._worker.read_models(None if moment is None else moment.position, partnership=partnership)


def _all(page: Callable[[UUID | None], list[T]]) -> list[T]:
    """Every item of a list read ``BATCH`` at a time; ``page(after)`` reads one."""
    found: list[T] = []
    while True:
        batch = page(found[-1].id if found else None)
        found += batch
        if len(batch) < BATCH:
            return found
