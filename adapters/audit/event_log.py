"""The log as an auditor reads it: every event with its position, identity,
recorded time and provenance, paged by position and filtered.

Filters on the record and the event type run in the database (the record id
and the topic are columns). The actor and the recorded time live inside the
stored state, so they are filtered after decoding each page: a side index
written with every event would change every writer's transaction for a query
that an auditor runs now and then, and a filtered scan reads the log at close
to its raw speed. ``citycoop log`` pages by position, so a scan resumes where
the last page stopped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any
from uuid import UUID

from eventsourcing.utils import TopicError, get_topic, resolve_topic

from ...domain.aggregate import DomainEvent
from ...domain.agreement import Agreement
from ...domain.conference import Conference
from ...domain.errors import InvalidValueError
from ...domain.partnership import Partnership
from ..storage import chain
from ..storage.codec import decode_state
from ..storage.recorded_times import recorded_at
from ..storage.sql import RawEvent
from .storage import Storage

RECORD_KINDS = (Partnership, Conference, Agreement)
_ENVELOPE = {"meta", "timestamp", "originator_topic", "class_version"}


@dataclass(frozen=True)
class LogEntry:
    position: int
    record_id: UUID
    version: int
    record: str
    """The kind of record: Partnership, Conference or Agreement."""
    type: str
    """The event's name within its record: Established, Held, Corrected …"""
    recorded_at: datetime
    business_date: str | None
    actor: str
    source: str | None
    correlation_id: str
    idempotency_key: str | None
    hash: str
    """The event's hash in its record's chain."""
    fields: dict[str, Any]
    """What the event states, without its envelope."""

    def to_json(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "record_id": str(self.record_id),
            "version": self.version,
            "record": self.record,
            "type": self.type,
            "recorded_at": self.recorded_at.isoformat(),
            "business_date": self.business_date,
            "actor": self.actor,
            "source": self.source,
            "correlation_id": self.correlation_id,
            "idempotency_key": self.idempotency_key,
            "hash": self.hash,
            "fields": self.fields,
        }


@dataclass(frozen=True)
class LogFilter:
    record_id: UUID | None = None
    types: tuple[str, ...] = ()
    """Event type names, as ``Corrected`` (of any record) or ``Partnership.Corrected``."""
    actor: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def topics(self) -> list[str]:
        return [topic for name in self.types for topic in topics_named(name)]

    def admits(self, entry: LogEntry) -> bool:
        return (
            (self.actor is None or entry.actor == self.actor)
            and (self.since is None or entry.recorded_at >= self.since)
            and (self.until is None or entry.recorded_at <= self.until)
        )


@dataclass(frozen=True)
class LogPage:
    entries: list[LogEntry]
    next_after: int | None
    """The position to read on from (``--after``), or None at the end of the log."""


def read_log(storage: Storage, selection: LogFilter, *, after: int = 0, limit: int = 50) -> LogPage:
    """Up to ``limit`` entries after position ``after`` that pass ``selection``."""
    if limit < 1:
        raise InvalidValueError("limit", "must be at least 1")
    found: list[LogEntry] = []
    topics = selection.topics()
    if selection.types and not topics:
        return LogPage([], None)
    for page in storage.pages(after=after, record_id=selection.record_id, topics=topics):
        for raw in page:
            logged = entry(raw)
            if selection.admits(logged):
                found.append(logged)
                if len(found) == limit:
                    return LogPage(found, raw.position)
    return LogPage(found, None)


def entry(raw: RawEvent) -> LogEntry:
    state = decode_state(raw.state)
    meta = state.get("meta", {})
    record, name = event_name(raw.topic)
    return LogEntry(
        position=raw.position,
        record_id=UUID(bytes=raw.identity),
        version=raw.version,
        record=record,
        type=name,
        recorded_at=recorded_at(state),
        business_date=meta.get("business_date"),
        actor=meta.get("actor", ""),
        source=meta.get("source"),
        correlation_id=meta.get("correlation_id", ""),
        idempotency_key=meta.get("idempotency_key"),
        hash=chain.hash_of(raw.state) if chain.is_sealed(raw.state) else "",
        fields={key: value for key, value in state.items() if key not in _ENVELOPE},
    )


@cache
def event_name(topic: str) -> tuple[str, str]:
    """The record kind and event name of a topic, e.g. ("Partnership", "Established")."""
    try:
        qualified: str = resolve_topic(topic).__qualname__
    except TopicError:  # an auditor must still see an event whose class is gone
        qualified = topic.rpartition(":")[2]
    record, _, name = qualified.rpartition(".")
    return record, name


@cache
def event_types() -> dict[str, str]:
    """Every event type a record can hold, ``Record.Event`` to its topic."""
    return {
        f"{kind.__name__}.{name}": get_topic(event_class)
        for kind in RECORD_KINDS
        for name, event_class in vars(kind).items()
        if isinstance(event_class, type) and issubclass(event_class, DomainEvent) and name not in {"Event", "Created"}
    }


def topics_named(name: str) -> list[str]:
    """The topics an event type name stands for; ``Corrected`` names one per kind of record."""
    wanted = name.strip().casefold()
    topics = [
        topic
        for qualified, topic in event_types().items()
        if wanted in (qualified.casefold(), qualified.partition(".")[2].casefold())
    ]
    if not topics:
        known = ", ".join(sorted({qualified.partition(".")[2] for qualified in event_types()}))
        raise InvalidValueError("type", f"no event type is named {name!r}; known types: {known}")
    return topics
