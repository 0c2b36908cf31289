"""The log as projections read it: each event's fields as JSON values.

Projections do not need validated pydantic events: every stored state was
dumped from a validated model, so decoding the JSON (and running the event
class's upcasters) gives the same facts several times faster. That keeps a
rebuild close to the speed at which the log can be read at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple
from uuid import UUID

import orjson
from eventsourcing.persistence import Notification
from eventsourcing.utils import resolve_topic
from pydantic import BaseModel

from ..storage.chain import unsealed


class EventType(NamedTuple):
    record: str
    """The aggregate class's name: Partnership, Conference or Agreement."""
    name: str
    """The event class's name: Established, Held, Corrected …"""
    event_class: type[Any]
    class_version: int


@cache
def event_type(topic: str) -> EventType:
    event_class = resolve_topic(topic)
    record, _, name = event_class.__qualname__.rpartition(".")
    return EventType(record, name, event_class, getattr(event_class, "class_version", 1))


@dataclass(frozen=True, slots=True)
class LoggedEvent:
    position: int
    record_id: str
    version: int
    record: str
    name: str
    data: dict[str, Any]
    """The event's fields as stored (upcast), without its identity."""

    @property
    def meta(self) -> dict[str, Any]:
        meta: dict[str, Any] = self.data["meta"]
        return meta

    @property
    def business_date(self) -> str | None:
        date: str | None = self.meta.get("business_date")
        return date


def decode(notification: Notification) -> LoggedEvent:
    kind = event_type(notification.topic)
    data = orjson.loads(unsealed(notification.state))
    from_version = data.pop("class_version", 1)
    for version in range(from_version, kind.class_version):
        getattr(kind.event_class, f"upcast_v{version}_v{version + 1}")(data)
    return LoggedEvent(
        position=notification.id,
        record_id=str(notification.originator_id),
        version=notification.originator_version,
        record=kind.record,
        name=kind.name,
        data=data,
    )


def from_domain_event(event: BaseModel, position: int) -> LoggedEvent:
    """The same view of a domain event that was not read from the log."""
    kind = event_type(f"{type(event).__module__}:{type(event).__qualname__}")
    data = event.model_dump(mode="json", exclude={"originator_id", "originator_version"})
    originator_id: UUID = getattr(event, "originator_id")  # noqa: B009
    return LoggedEvent(
        position=position,
        record_id=str(originator_id),
        version=getattr(event, "originator_version"),  # noqa: B009
        record=kind.record,
        name=kind.name,
        data=data,
    )
