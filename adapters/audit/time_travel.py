"""Past states, on two time axes.

*Recorded time* is when the register learnt a fact (each event's timestamp);
*business time* is when the fact happened (its provenance's business date).
"What the register said on 4 May 2023" is a question of recorded time: the
record as of its last version recorded by then, or the read models rebuilt
from the log up to the last position recorded by then. "As known on date K,
what was true on date D" asks both: the events recorded by K, of which those
in effect on D, in the order they took effect. A correction takes effect
when the fact it corrects did, so a late correction changes what is known
about the past without changing what was known before it was made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import orjson
from pydantic import TypeAdapter, ValidationError

from ...domain.aggregate import Aggregate, DomainEvent
from ...domain.dates import business_dates
from ...domain.errors import InvalidValueError, NotFoundError
from ...domain.partnership import Partnership
from ...domain.values import PartialDate
from ..storage.chain import unsealed
from ..storage.recorded_times import MomentInLog
from .history import facts, stored_event
from .storage import Storage

_PARTIAL_DATE: TypeAdapter[str] = TypeAdapter(PartialDate)


@dataclass(frozen=True)
class RecordAsOf:
    record_id: UUID
    kind: str
    version: int
    recorded_at: datetime
    """When the version shown was recorded."""
    state: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.record_id),
            "kind": self.kind,
            "version": self.version,
            "recorded_at": self.recorded_at.isoformat(),
            "state": self.state,
        }


@dataclass(frozen=True)
class RecordKnownOn:
    """What the register, as it stood at ``known_on``, says was true on ``true_on``."""

    record_id: UUID
    kind: str
    known_on: datetime
    true_on: str
    state: dict[str, Any] | None
    """None when, as far as was known, the record did not exist yet on ``true_on``."""
    versions: list[int]
    """The versions in effect, in the order they took effect."""
    undated: list[int]
    """Those of ``versions`` that no source dates, held to be in effect from
    the record's start (see ``effective_dates``)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.record_id),
            "kind": self.kind,
            "known_on": self.known_on.isoformat(),
            "true_on": self.true_on,
            "versions": self.versions,
            "undated": self.undated,
            "state": self.state,
        }


def record_at_version(app: Any, record_id: UUID, version: int) -> RecordAsOf:
    """``app`` is the application service; its repository uses snapshots."""
    if version < 1:
        raise InvalidValueError("version", "must be 1 or more")
    record: Aggregate = app.get_record(record_id, version=version)
    if record.version != version:
        raise NotFoundError(f"version: record {record_id} has {record.version} versions, not {version}")
    return RecordAsOf(record_id, type(record).__name__, record.version, record.modified_on, facts(record))


def record_as_of(app: Any, storage: Storage, record_id: UUID, moment: datetime) -> RecordAsOf:
    """The record as it stood at ``moment``: its last version in the log as
    the log stood then (``moment_in_log``), so never a version between two
    events of one transaction, and the same moment as the read models'."""
    with storage.reading() as c:
        raws = storage.record_events(c, record_id)
        position = storage.recorded_times.moment(c, moment).position
    if not raws:
        raise NotFoundError(f"id: no record {record_id} is on file")
    known = [raw.version for raw in raws if raw.position <= position]
    if not known:
        raise NotFoundError(f"as_of: record {record_id} was not yet on file at {moment.isoformat()}")
    return record_at_version(app, record_id, known[-1])


def moment_in_log(storage: Storage, moment: datetime) -> MomentInLog:
    """Where the log ended at ``moment``: at the end of the last transaction
    that began to be recorded by then (see ``storage.recorded_times``)."""
    with storage.reading() as c:
        return storage.recorded_times.moment(c, moment)


def recorded_at_position(storage: Storage, position: int) -> datetime | None:
    """When the event at ``position`` was recorded, read from that one row;
    None before the first event and where the log has no event (PostgreSQL
    leaves a gap where a transaction rolled back)."""
    if position < 1:
        return None
    with storage.reading() as c:
        rows = storage.rows(c, after=position - 1, stop=position, limit=1)
    return datetime.fromisoformat(orjson.loads(unsealed(bytes(rows[0][4])))["timestamp"]) if rows else None


def record_known_on(
    storage: Storage, mapper: Any, record_id: UUID, *, known_on: datetime, true_on: str
) -> RecordKnownOn:
    """As the register stood at ``known_on`` (the log as ``record_as_of``
    reads it then), the record as it was on ``true_on`` (a date, or a month
    or year: ``2023-05-04``, ``2023-05``, ``2023``)."""
    try:
        true_on = _PARTIAL_DATE.validate_python(true_on)
    except ValidationError as error:
        raise InvalidValueError("true_on", error.errors()[0]["msg"].removeprefix("Value error, ")) from None
    with storage.reading() as c:
        raws = storage.record_events(c, record_id)
        position = storage.recorded_times.moment(c, known_on).position
    if not raws:
        raise NotFoundError(f"id: no record {record_id} is on file")
    events: list[Any] = [mapper.to_domain_event(stored_event(raw)) for raw in raws]
    known = [event for raw, event in zip(raws, events, strict=True) if raw.position <= position]
    if not known:
        raise NotFoundError(f"as_of: record {record_id} was not yet on file at {known_on.isoformat()}")
    kind = events[0].originator_topic.rpartition(":")[2]
    effective, undated = effective_dates(known)
    created, *later = known
    if effective[1] > true_on:
        return RecordKnownOn(record_id, kind, known_on, true_on, None, [], [])
    in_effect = sorted(
        (event for event in later if effective[event.originator_version] <= true_on),
        key=lambda event: (effective[event.originator_version], event.originator_version),
    )
    record = created.mutate(None)
    for event in in_effect:
        event.apply(record)
    versions = [1, *(event.originator_version for event in in_effect)]
    return RecordKnownOn(
        record_id, kind, known_on, true_on, facts(record), versions, [v for v in versions if v in undated]
    )


def effective_dates(events: list[DomainEvent]) -> tuple[dict[int, str], list[int]]:
    """When each of one record's events took effect, by version, and which of
    them no source dates.

    An event takes effect on its business date (``business_dates``: a
    corrected date moves its fact, a correction takes effect when what it
    corrects did). One without a date takes it from the record's own: a
    project introduced at a conference or named in a signing, the
    conference's or the signing's date (as the timeline derives it); one that
    nothing dates, a field of cooperation taken up or an initiative whose
    start no source gives, is held to be in effect from the record's start,
    the earliest it can have been true, and is listed as undated. The day an
    event was recorded is never its business date."""
    dated = business_dates(events)
    start = dated.get(1) or "0000"  # every record is created on a date its event states
    effective = {version: date or start for version, date in dated.items()}
    derives_dates = bool(events) and not isinstance(events[0], Partnership.Established)
    undated = [] if derives_dates else [version for version, date in dated.items() if date is None]
    return effective, undated
