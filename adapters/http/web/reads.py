"""Everything the auditors' pages read, in one place: the read models now or
as of a moment, a record's history, the proof, and where the log stood.

The pages read the store through the read door alone, as the JSON API does
(the worker's ``Reads``), and reuse its ``Moment`` for their ``as_of``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar
from uuid import UUID

from ....domain.errors import NotFoundError
from ...reads import (
    AgreementEntry,
    CityEntry,
    ConferenceEntry,
    HistoryEntry,
    Moment,
    PartnershipSummary,
    ReadModels,
    Reads,
    TimelineEntry,
    Verification,
)


class _Identified(Protocol):
    @property
    def id(self) -> UUID: ...


T = TypeVar("T", bound=_Identified)
BATCH = 1000
"""Items asked for at a time when a page shows all of a partnership's conferences or agreements."""


@dataclass(frozen=True)
class Shown:
    """The point of the log a page of the past shows: the moment asked for,
    the position it names (no further than the log goes), and when the event
    there was recorded."""

    asked: Moment
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
    """The questions the pages ask, answered now or as of what a page :class:`Shown`."""

    def __init__(self, reads: Reads) -> None:
        self._reads = reads

    def shown(self, as_of: Moment | None) -> Shown | None:
        """Where ``as_of`` (as the JSON API takes it) falls in the log; None for now."""
        if as_of is None:
            return None
        position = self._reads.position(as_of)
        return Shown(as_of, position, self._reads.recorded_at(position))

    def partnerships(self, shown: Shown | None, *, limit: int, after: UUID | str | None) -> list[PartnershipSummary]:
        return self._read_models(shown).partnerships(limit=limit, after=after)

    def city(self, shown: Shown | None, name: str) -> tuple[CityEntry, list[PartnershipSummary]]:
        """The city of that name (any case) or key, and its partnerships."""
        read_models = self._read_models(shown)
        city = read_models.city(name)
        return city, [read_models.partnership(partner.partnership_id) for partner in city.partners]

    def partnership(self, shown: Shown | None, partnership_id: UUID) -> PartnershipRecords:
        read_models = self._read_models(shown, partnership_id)
        return PartnershipRecords(
            summary=read_models.partnership(partnership_id),
            timeline=read_models.timeline(partnership_id),
            conferences=_all(lambda after: read_models.conferences(partnership_id, limit=BATCH, after=after)),
            agreements=_all(lambda after: read_models.agreements(partnership_id, limit=BATCH, after=after)),
        )

    def history(self, shown: Shown | None, record_id: UUID) -> list[HistoryEntry]:
        """Every event of the record up to the point shown, oldest first."""
        found = self._reads.history(record_id)
        if shown is not None:
            found = [entry for entry in found if entry.event.position <= shown.position]
            if not found:
                raise NotFoundError(f"id: no record {record_id} was on file at position {shown.position}")
        return found

    def verify(self, expect: str | None) -> Verification:
        """``citycoop audit verify [--expect HASH]``, over the whole log as it is now."""
        return self._reads.verify(expect=expect)

    def _read_models(self, shown: Shown | None, partnership: UUID | None = None) -> ReadModels:
        # The position found once for the banner, so that what the page shows is what it says.
        at = None if shown is None else Moment(position=shown.position)
        return self._reads.read_models(at, partnership=partnership)


def _all(page: Callable[[UUID | None], list[T]]) -> list[T]:
    """Every item of a list read ``BATCH`` at a time; ``page(after)`` reads one."""
    found: list[T] = []
    while True:
        batch = page(found[-1].id if found else None)
        found += batch
        if len(batch) < BATCH:
            return found
