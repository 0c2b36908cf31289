"""How pydantic events become stored events and back.

The library's default mapper copies ``__dict__`` in and out, which skips
pydantic's validation and leaves nested values as plain dicts. This mapper
dumps events to canonical JSON and validates them back into models, running
the event class's upcasters (``upcast_v1_v2`` …) on the way in.
"""

from __future__ import annotations

import json
from typing import Any, get_args
from uuid import UUID

import orjson
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, StoredEvent, Transcoder
from eventsourcing.utils import get_topic, resolve_topic
from pydantic import BaseModel

from . import chain

_IDENTITY = {"originator_id", "originator_version"}


def canonical_json(value: Any) -> bytes:
    """One spelling for one value: sorted keys, no spaces, UTF-8 kept as is,
    so the hash chain can be recomputed byte for byte.

    The spelling is the standard library's (``json.dumps`` with sorted keys).
    orjson writes the same bytes five times as fast for every value without a
    float (it spells 1e-07 as 1e-7 and NaN as null), so it writes those; a
    property test holds it to that. What it refuses (a key that is not text,
    an integer beyond 64 bits) the standard library writes.
    """
    return _floatless_json(value) if _without_floats(value) else _stdlib_json(value)


def _floatless_json(value: Any) -> bytes:
    """``canonical_json`` of a value known to hold no float."""
    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # a key that is not text, a big integer, a lone surrogate
        return _stdlib_json(value)


def _stdlib_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _without_floats(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_without_floats(item) for item in value.values())
    if isinstance(value, list | tuple):
        return all(_without_floats(item) for item in value)
    return not isinstance(value, float)


def may_hold_a_float(annotation: Any) -> bool:
    """Whether a value of this type (a field's annotation, a model) can be or
    hold a float once dumped as JSON: so that an event of a class none of
    whose fields can is written without looking through its values."""
    if annotation in (float, Any, object, dict, list, tuple, set, frozenset):
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return any(may_hold_a_float(field.annotation) for field in annotation.model_fields.values())
    return any(may_hold_a_float(argument) for argument in get_args(annotation) if _is_a_type(argument))


def _is_a_type(argument: Any) -> bool:
    """Whether an argument of an annotation is a type (rather than a literal
    value, or metadata of ``Annotated``)."""
    return isinstance(argument, type) or argument is Any or bool(get_args(argument))


_FLOATS: dict[type[Any], bool] = {}


def _may_hold_floats(event_class: type[Any]) -> bool:
    """``may_hold_a_float`` for an event class, worked out once."""
    found = _FLOATS.get(event_class)
    if found is None:
        found = _FLOATS[event_class] = may_hold_a_float(event_class)
    return found


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
            state=canonical_json(state) if _may_hold_floats(event_class) else _floatless_json(state),
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
