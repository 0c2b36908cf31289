"""What every citycoop aggregate shares: pydantic events with a provenance
envelope, state held in one pydantic model, idempotent commands, corrections
that never erase, and snapshots that round-trip through JSON.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Self
from uuid import UUID

from eventsourcing.domain import (
    BaseAggregate,
    CanInitAggregate,
    CanMutateAggregate,
    CanSnapshotAggregate,
)
from eventsourcing.utils import get_topic, resolve_topic
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from .errors import CorrectionError, KeyReusedError
from .values import LongText, Provenance, invalid_value, validated


class Stamped(BaseModel):
    """The identity, position and recording time that the event store needs."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)  # see values.Value

    originator_id: UUID
    originator_version: int
    timestamp: datetime


class DomainEvent(Stamped):
    meta: Provenance

    facts: ClassVar[tuple[str, ...]] = ()
    """Names of the state fields this event states, so a correction can name them."""


class AggregateState(BaseModel):
    """Base of each aggregate's state model.

    A state is changed only by applying events, which checked their values as
    they were made (or as they were read from the log), so it is built and
    assigned to without checking them again; a correction checks its value
    against the fact's type before it sets it (``Aggregate.set_fact``).
    """

    model_config = ConfigDict(extra="forbid", defer_build=True)  # see values.Value

    idempotency_keys: set[str] = Field(default_factory=set)
    key_commands: dict[str, str] = Field(default_factory=dict)
    """The command each key was first given to (``Provenance.command``), for
    the keys whose events say so."""
    fact_versions: dict[str, list[int]] = Field(default_factory=dict)
    """For each correctable fact, the versions of the events that stated it."""

    @classmethod
    # pydantic's mypy plugin gives each model a model_construct typed by its fields
    def model_construct(cls, _fields_set: set[str] | None = None, **values: Any) -> Self:  # type: ignore[override]
        """pydantic's, with the empty collections of the fields not given made here.

        pydantic (2.14) reads a default factory's signature on every
        ``model_construct``, to learn whether it takes the validated data; for
        a builtin such as ``list`` that means parsing its text signature, which
        took a fifth of an import's time, more than building the state itself.
        """
        fields_set = set(values) if _fields_set is None else _fields_set
        for name, field in cls.model_fields.items():
            if name not in values and isinstance(field.default_factory, type):
                values[name] = field.default_factory()
        return super().model_construct(fields_set, **values)


class Aggregate(BaseAggregate[UUID]):
    """An aggregate whose whole state is ``self.state``, a pydantic model."""

    if TYPE_CHECKING:
        state: AggregateState
        # Annotated for the type checker only: the library makes a record class
        # with annotations a dataclass, whose ``__init__`` set this on every
        # record, and whose making cost every start.
        state_class: type[AggregateState]

    state_class = AggregateState

    class Event(DomainEvent, CanMutateAggregate[UUID]):
        """The base of every event. Each record declares its own ``Event``,
        derived from this, and derives its events from that: an event derived
        from anything else the library makes again, as a second class of the
        same name derived from both, which is a second pydantic model to make
        at every start (about a millisecond each). Its ``Created`` and
        ``Corrected`` are made by the library."""

        def mutate(self, aggregate: Any) -> Any:
            aggregate = super().mutate(aggregate)
            state = aggregate.state
            for fact in self.facts:
                state.fact_versions.setdefault(fact, []).append(self.originator_version)
            key = self.meta.idempotency_key
            if key is not None:
                state.idempotency_keys.add(key)
                if self.meta.command is not None:
                    state.key_commands.setdefault(key, self.meta.command)
            return aggregate

    class Created(Event, CanInitAggregate[UUID]):
        originator_topic: str

    class Corrected(Event):
        """A fact recorded earlier was wrong; the earlier event stays in the log."""

        corrects_version: int
        field: str
        value: Any
        previous: Any
        reason: LongText

        def apply(self, aggregate: Aggregate) -> None:
            aggregate.set_fact(self.field, self.value)
            # A correction states the fact anew, so it can be corrected in turn.
            fact = self.field.partition(".")[0]
            aggregate.state.fact_versions.setdefault(fact, []).append(self.originator_version)

    class Snapshot(Stamped, CanSnapshotAggregate[UUID]):
        topic: str
        state: dict[str, Any]

        @classmethod
        def take(cls, aggregate: Any) -> Self:
            assert isinstance(aggregate, Aggregate)
            return cls(
                originator_id=aggregate.id,
                originator_version=aggregate.version,
                timestamp=cls.create_timestamp(),
                topic=get_topic(type(aggregate)),
                state={
                    "created_on": aggregate.created_on.isoformat(),
                    "modified_on": aggregate.modified_on.isoformat(),
                    "state": aggregate.state.model_dump(mode="json"),
                },
            )

        def mutate(self, _: None) -> Any:
            aggregate_class = resolve_topic(self.topic)
            aggregate = object.__new__(aggregate_class)
            aggregate.__base_init__(
                originator_id=self.originator_id,
                originator_version=self.originator_version,
                timestamp=datetime.fromisoformat(self.state["created_on"]),
            )
            aggregate.modified_on = datetime.fromisoformat(self.state["modified_on"])
            aggregate.state = aggregate_class.state_class.model_validate(self.state["state"])
            return aggregate

    @classmethod
    def _create(cls, event_class: type[CanInitAggregate[UUID]], *, id: UUID | None = None, **kwargs: Any) -> Self:
        try:
            return super()._create(event_class, id=id, **kwargs)
        except ValidationError as error:
            raise invalid_value(error) from None

    def trigger_event(self, event_class: type[CanMutateAggregate[UUID]], **kwargs: Any) -> None:
        """Record an event, refusing it with a domain error when a value is invalid.

        Events validate their own fields, so commands need no second copy of
        the rules that the event and value models already state.
        """
        try:
            super().trigger_event(event_class, **kwargs)
        except ValidationError as error:
            raise invalid_value(error) from None

    def has_applied(self, meta: Provenance) -> bool:
        """True when this command was recorded before under the same idempotency
        key; refused when the key was given before to another command."""
        key = meta.idempotency_key
        if key not in self.state.idempotency_keys:
            return False
        first = self.state.key_commands.get(key)
        if first is not None and meta.command is not None and first != meta.command:
            kind = first.partition(":")[0]
            raise KeyReusedError(
                f"key: {key!r} was given first to another command ({kind}) of this record; nothing was recorded"
            )
        return True

    def correct(self, *, corrects_version: int, field: str, value: object, reason: str, meta: Provenance) -> None:
        """Record that the fact ``field``, stated by the event at
        ``corrects_version``, should have been ``value``."""
        if self.has_applied(meta):
            return
        self.guard_may_record()
        adapter = self.fact_adapter(field)
        if corrects_version not in self.state.fact_versions.get(field.split(".", maxsplit=1)[0], []):
            raise CorrectionError(f"corrects_version: event {corrects_version} of this record did not state {field!r}")
        try:
            new_value = adapter.validate_python(value)
        except ValidationError as error:
            raise invalid_value(error, within="value") from None
        self.guard_correction(field, new_value)
        self.trigger_event(
            self.Corrected,
            corrects_version=corrects_version,
            field=field,
            value=adapter.dump_python(new_value, mode="json"),
            previous=adapter.dump_python(self.get_fact(field), mode="json"),
            reason=validated(_Reason, reason=reason).reason,
            meta=meta,
        )

    def fact_adapter(self, field: str) -> TypeAdapter[Any]:
        """The validator of the fact that ``field`` names: a state field stated
        by an event, or one attribute of such a field (``investment.enterprises``).

        Built once per model and field, since building one takes longer than
        most events take to apply, and every correction replayed needs one."""
        root, _, attribute = field.partition(".")
        if root not in self.correctable_facts():
            raise CorrectionError(f"field: {field!r} is not a fact that can be corrected")
        model: type[BaseModel] = type(self.state)
        if attribute:
            value = getattr(self.state, root)
            if not isinstance(value, BaseModel) or attribute not in type(value).model_fields:
                raise CorrectionError(f"field: {field!r} is not a fact that can be corrected")
            model, root = type(value), attribute
        adapter = _FACT_ADAPTERS.get((model, root))
        if adapter is None:
            # With its constraints (``ge=0``, the partial-date check), not the bare type.
            adapter = _FACT_ADAPTERS[model, root] = TypeAdapter(model.model_fields[root].rebuild_annotation())
        return adapter

    def get_fact(self, field: str) -> Any:
        value: Any = self.state
        for name in field.split("."):
            value = getattr(value, name)
        return value

    def set_fact(self, field: str, value: object) -> None:
        new_value = self.fact_adapter(field).validate_python(value)
        root, _, attribute = field.partition(".")
        if attribute:
            parent = getattr(self.state, root)
            new_value = parent.model_copy(update={attribute: new_value})
        setattr(self.state, root, new_value)

    @classmethod
    def correctable_facts(cls) -> set[str]:
        return {
            fact
            for event_class in vars(cls).values()
            if isinstance(event_class, type) and issubclass(event_class, DomainEvent)
            for fact in event_class.facts
        }

    def guard_may_record(self) -> None:
        """Overridden by aggregates that can be closed to new events."""

    def guard_correction(self, field: str, value: Any) -> None:
        """Overridden by aggregates whose facts constrain each other; ``value``
        is already validated against the fact's type."""

    @property
    def partnership_id(self) -> UUID:
        """The partnership this record belongs to."""
        raise NotImplementedError


_FACT_ADAPTERS: dict[tuple[type[BaseModel], str], TypeAdapter[Any]] = {}


class _Reason(BaseModel):
    model_config = ConfigDict(defer_build=True)  # built by the first correction, see values.Value

    reason: LongText
