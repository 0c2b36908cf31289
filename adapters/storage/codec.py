"""How pydantic events become stored events and back.

The library's default mapper copies ``__dict__`` in and out, which skips
pydantic's validation and leaves nested values as plain dicts. This mapper
dumps events to canonical JSON and validates them back into models, running
the event class's upcasters (``upcast_v1_v2`` …) on the way in.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from enum import Enum
from types import UnionType
from typing import Annotated, Any, Literal, Union, get_args, get_origin
from uuid import UUID

import orjson
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, StoredEvent, Transcoder
from eventsourcing.utils import get_topic, resolve_topic
from pydantic import BaseModel, PlainSerializer, WrapSerializer

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


def may_hold_a_float(annotation: Any, _seen: frozenset[type[Any]] = frozenset()) -> bool:
    """Whether a value of this type (a field's annotation, a model) can be or
    hold a float once dumped as JSON: so that an event of a class none of
    whose fields can is written without looking through its values.

    Only what is known to hold none is cleared (text, integers, dates, ids,
    decimals, which pydantic writes as text, enumerations of such values, and
    models, unions, containers and literals made of them); anything else, an
    annotation this does not know included, may hold one."""
    origin = get_origin(annotation)
    if origin is None:
        return _class_may_hold_a_float(annotation, _seen)
    if origin is Annotated:
        base, *metadata = get_args(annotation)
        serialised = any(isinstance(item, PlainSerializer | WrapSerializer) for item in metadata)
        return serialised or may_hold_a_float(base, _seen)
    if origin is Literal:
        return any(isinstance(value, float) for value in get_args(annotation))
    arguments = [argument for argument in get_args(annotation) if argument is not Ellipsis]
    return origin not in _CONTAINERS or not arguments or any(may_hold_a_float(item, _seen) for item in arguments)


def _class_may_hold_a_float(annotation: Any, seen: frozenset[type[Any]]) -> bool:
    if annotation is type(None):
        return False
    if not isinstance(annotation, type) or issubclass(annotation, float):
        return True
    if issubclass(annotation, Enum):
        return any(isinstance(member.value, float) for member in annotation)
    if issubclass(annotation, BaseModel):
        return _model_may_hold_a_float(annotation, seen)
    return not issubclass(annotation, _WITHOUT_FLOATS)


def _model_may_hold_a_float(model: type[BaseModel], seen: frozenset[type[Any]]) -> bool:
    if model in seen:
        return False  # whether it may is up to its other fields
    if model.model_computed_fields:
        return True
    inner = seen | {model}
    return any(may_hold_a_float(field.annotation, inner) for field in model.model_fields.values())


_CONTAINERS = {Union, UnionType, list, tuple, set, frozenset, dict}
_WITHOUT_FLOATS = (str, int, date, UUID, Decimal)
"""Types whose values pydantic writes as JSON text or integers (bool is an int, datetime a date)."""


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
    """The event's fields as JSON values, without the chain hash that sealed them.

    orjson reads JSON four times as fast as the standard library, which an
    import spends on every event of the records it reads, and gives the same
    values, but for two things: it reads an integer beyond 64 bits as a
    float, so a state with 19 digits in a row anywhere (even in a text) is
    read by the standard library; and it refuses NaN and the infinities, which
    the standard library writes for floats and then reads."""
    state_bytes = chain.unsealed(stored_state)
    if _LONG_NUMBER.search(state_bytes) is None:
        try:
            return orjson.loads(state_bytes)  # type: ignore[no-any-return]
        except orjson.JSONDecodeError:
            pass
    state: dict[str, Any] = json.loads(state_bytes)
    return state


_LONG_NUMBER = re.compile(rb"[0-9]{19}")
"""Digits enough for an integer that may not fit in 64 bits (2**63 has 19)."""
