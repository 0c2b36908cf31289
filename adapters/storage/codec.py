"""How pydantic events become stored events and back.

The library's default mapper copies ``__dict__`` in and out, which skips
pydantic's validation and leaves nested values as plain dicts. This mapper
dumps events to canonical JSON and validates them back into models, running
the event class's upcasters (``upcast_v1_v2`` …) on the way in.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, StoredEvent, Transcoder
from eventsourcing.utils import get_topic, resolve_topic
from pydantic import BaseModel

from . import chain

_IDENTITY = {"originator_id", "originator_version"}


def canonical_json(value: Any) -> bytes:
    """One spelling for one value: sorted keys, no spaces, UTF-8 kept as is,
    so the hash chain can be recomputed byte for byte."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


class NoTranscoder(Transcoder):
    """The mapper below does its own JSON; the library insists on a transcoder."""

    def encode(self, obj: Any) -> bytes:
        raise NotImplementedError

    def decode(self, data: bytes) -> Any:
        raise NotImplementedError


class PydanticMapper(Mapper[UUID]):
    def __init__(self) -> None:
        super().__init__(transcoder=NoTranscoder())

    def to_stored_event(self, domain_event: DomainEventProtocol[UUID]) -> StoredEvent:
        assert isinstance(domain_event, BaseModel), domain_event
        event_class = type(domain_event)
        state = domain_event.model_dump(mode="json", exclude=_IDENTITY)
        class_version = getattr(event_class, "class_version", 1)
        if class_version > 1:
            state["class_version"] = class_version
        return StoredEvent(
            originator_id=domain_event.originator_id,
            originator_version=domain_event.originator_version,
            topic=get_topic(event_class),
            state=canonical_json(state),
        )

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        event_class = resolve_topic(stored_event.topic)
        state = decode_state(stored_event.state)
        from_version = state.pop("class_version", 1)
        for version in range(from_version, getattr(event_class, "class_version", 1)):
            getattr(event_class, f"upcast_v{version}_v{version + 1}")(state)
        state["originator_id"] = stored_event.originator_id
        state["originator_version"] = stored_event.originator_version
        event: DomainEventProtocol[UUID] = event_class.model_validate(state)
        return event


def decode_state(stored_state: bytes) -> dict[str, Any]:
    """The event's fields as JSON values, without the chain hash that sealed them."""
    state: dict[str, Any] = json.loads(chain.unsealed(stored_state))
    return state
