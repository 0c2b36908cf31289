"""A partnership between two cities: how it began, how formal it is, what it
covers, what it has achieved, and whether it is still going."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from pydantic import Field

from .aggregate import Aggregate, AggregateState
from .bounds import QualifierTerm
from .dates import guard_not_before, is_before
from .errors import (
    DateOrderError,
    DuplicateError,
    FieldAlreadyAddedError,
    PartnershipEndedError,
    PartnershipStatusError,
    SameCityError,
    StageUnchangedError,
)
from .values import (
    City,
    LongText,
    Money,
    NonNegativeInt,
    PartialDate,
    Provenance,
    Term,
    Text,
    Value,
    guard_currency,
    value_of,
)
from .vocabulary import (
    FieldOfCooperation,
    InitiativeKind,
    PartnershipStatus,
    Qualifier,
    Stage,
    normalise_term,
)

CooperationField = Annotated[FieldOfCooperation, Term]


class InvestmentFigures(Value):
    """Cumulative investment of one city's enterprises in the other, as of a
    date; each figure as exact as its source ("more than 700 enterprises")."""

    enterprises: NonNegativeInt
    amount: Money
    as_of: PartialDate
    enterprises_qualifier: QualifierTerm = Qualifier.EXACT
    amount_qualifier: QualifierTerm = Qualifier.EXACT


class Initiative(Value):
    """A named joint project: an industrial park, an innovation city, a programme."""

    name: Text
    kind: Annotated[InitiativeKind, Term]
    started: PartialDate | None = None
    description: LongText | None = None


class PartnershipState(AggregateState):
    cities: tuple[City, City]
    since: PartialDate
    stage: Stage
    fields: list[FieldOfCooperation]
    status: PartnershipStatus = PartnershipStatus.ACTIVE
    status_since: PartialDate | None = None
    investment: InvestmentFigures | None = None
    initiatives: list[Initiative] = Field(default_factory=list)
    duplicate_of: UUID | None = None
    """The partnership of the same two cities that this one duplicates, where
    an earlier release recorded the pair twice (once per spelling)."""


class Partnership(Aggregate):
    if TYPE_CHECKING:
        state: PartnershipState

    state_class = PartnershipState

    @staticmethod
    def id_for(city_a: City, city_b: City) -> UUID:
        """One partnership per pair of cities, whichever is named first, so that
        records of the same pair from different sources meet."""
        return Partnership._id_of(city_a.key, city_b.key)

    @staticmethod
    def ids_for(city_a: City, city_b: City) -> list[UUID]:
        """The pair's id, and the id an earlier release gave the pair if it was
        typed with decomposed accents, where the two differ: a partnership on
        file under either is the pair's."""
        return list(
            dict.fromkeys(
                (Partnership.id_for(city_a, city_b), Partnership._id_of(city_a.decomposed_key, city_b.decomposed_key))
            )
        )

    @staticmethod
    def _id_of(key_a: str, key_b: str) -> UUID:
        first, second = sorted((key_a, key_b))
        return uuid5(NAMESPACE_URL, f"citycoop:partnership:{first}:{second}")

    class Event(Aggregate.Event):
        """The base of this record's events (see ``Aggregate.Event``)."""

    class Established(Aggregate.Created, Event):
        cities: tuple[City, City]
        since: PartialDate
        stage: Annotated[Stage, Term]
        fields: tuple[CooperationField, ...]
        facts = ("since",)

        def apply(self, aggregate: Partnership) -> None:
            aggregate.state = PartnershipState.model_construct(
                cities=self.cities,
                since=self.since,
                stage=self.stage,
                fields=list(dict.fromkeys(self.fields)),
            )

    class StageChanged(Event):
        stage: Annotated[Stage, Term]
        on: PartialDate

        def apply(self, aggregate: Partnership) -> None:
            aggregate.state.stage = self.stage

    class FieldAdded(Event):
        field: CooperationField

        def apply(self, aggregate: Partnership) -> None:
            aggregate.state.fields = [*aggregate.state.fields, self.field]

    class InvestmentReported(Event):
        """Version 2 added the figures' qualifiers ("more than 700 enterprises")."""

        class_version: ClassVar[int] = 2

        figures: InvestmentFigures
        facts = ("investment",)

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["figures"].update(enterprises_qualifier=Qualifier.EXACT.value, amount_qualifier=Qualifier.EXACT.value)

        def apply(self, aggregate: Partnership) -> None:
            aggregate.state.investment = self.figures

    class InitiativeLaunched(Event):
        initiative: Initiative

        def apply(self, aggregate: Partnership) -> None:
            aggregate.state.initiatives = [*aggregate.state.initiatives, self.initiative]

    class StatusChanged(Event):
        """Suspended, resumed or ended, on a date, for a reason."""

        status: PartnershipStatus
        on: PartialDate
        reason: LongText | None = None

        def apply(self, aggregate: Partnership) -> None:
            aggregate.state.status = self.status
            aggregate.state.status_since = self.on

    class MarkedDuplicate(Event):
        """This partnership is the pair's second record, made by an earlier
        release under another spelling of a name; ``of`` is the one to follow.
        Nothing is erased: its events stay, and nothing more is recorded on it."""

        of: UUID

        def apply(self, aggregate: Partnership) -> None:
            aggregate.state.duplicate_of = self.of

    @classmethod
    def establish(
        cls,
        *,
        city_a: City,
        city_b: City,
        since: str,
        stage: str,
        fields: tuple[str, ...],
        meta: Provenance,
    ) -> Partnership:
        if city_a.key == city_b.key:
            raise SameCityError(f"cities: a partnership needs two different cities, got {city_a} twice")
        return cls._create(
            cls.Established,
            id=cls.id_for(city_a, city_b),
            cities=(city_a, city_b),
            since=since,
            stage=stage,
            fields=fields,
            meta=meta.about(since),
        )

    def change_stage(self, *, stage: str, on: str, meta: Provenance) -> None:
        if self.has_applied(meta):
            return
        self.guard_may_record()
        if normalise_term(stage) == self.state.stage:
            raise StageUnchangedError(f"stage: the partnership is already at stage {self.state.stage.value!r}")
        self.guard_dated_after_it_began("on", on)
        self.trigger_event(self.StageChanged, stage=stage, on=on, meta=meta.about(on))

    def add_field(self, *, field: str, meta: Provenance) -> None:
        if self.has_applied(meta):
            return
        self.guard_may_record()
        if normalise_term(field) in self.state.fields:
            raise FieldAlreadyAddedError(f"field: {normalise_term(field)!r} is already a field of this partnership")
        self.trigger_event(self.FieldAdded, field=field, meta=meta)

    def report_investment(self, figures: InvestmentFigures | Mapping[str, Any], *, meta: Provenance) -> None:
        if self.has_applied(meta):
            return
        self.guard_may_record()
        figures = value_of(InvestmentFigures, figures, field="figures")
        guard_currency(figures.amount.currency)
        self.guard_dated_after_it_began("as_of", figures.as_of)
        self.trigger_event(self.InvestmentReported, figures=figures, meta=meta.about(figures.as_of))

    def launch_initiative(self, initiative: Initiative | Mapping[str, Any], *, meta: Provenance) -> None:
        if self.has_applied(meta):
            return
        self.guard_may_record()
        initiative = value_of(Initiative, initiative, field="initiative")
        self.guard_dated_after_it_began("started", initiative.started)
        self.trigger_event(self.InitiativeLaunched, initiative=initiative, meta=meta.about(initiative.started))

    def suspend(self, *, on: str, reason: str | None, meta: Provenance) -> None:
        self._change_status(
            PartnershipStatus.SUSPENDED, from_status=PartnershipStatus.ACTIVE, on=on, reason=reason, meta=meta
        )

    def resume(self, *, on: str, reason: str | None, meta: Provenance) -> None:
        self._change_status(
            PartnershipStatus.ACTIVE, from_status=PartnershipStatus.SUSPENDED, on=on, reason=reason, meta=meta
        )

    def end(self, *, on: str, reason: str | None, meta: Provenance) -> None:
        self._change_status(PartnershipStatus.ENDED, from_status=None, on=on, reason=reason, meta=meta)

    def _change_status(
        self,
        status: PartnershipStatus,
        *,
        from_status: PartnershipStatus | None,
        on: str,
        reason: str | None,
        meta: Provenance,
    ) -> None:
        if self.has_applied(meta):
            return
        self.guard_may_record()
        if from_status is not None and self.state.status != from_status:
            raise PartnershipStatusError(
                f"status: the partnership is {self.state.status}, so it cannot become {status}"
            )
        self.guard_dated_after_it_began("on", on)
        self.trigger_event(self.StatusChanged, status=status, on=on, reason=reason, meta=meta.about(on))

    def mark_duplicate_of(self, original: Partnership, *, meta: Provenance) -> None:
        """Record that this partnership duplicates ``original``: the same two
        cities, their names the same once composed and folded."""
        if self.has_applied(meta):
            return
        if original.id == self.id:
            raise DuplicateError("of: a partnership cannot be the duplicate of itself")
        if sorted(city.key for city in self.state.cities) != sorted(city.key for city in original.state.cities):
            raise DuplicateError(f"of: {original.name} is not a partnership of the same cities as {self.name}")
        for which, partnership in (("partnership", self), ("of", original)):
            if partnership.state.duplicate_of is not None:
                raise DuplicateError(
                    f"{which}: {partnership.id} is already marked the duplicate of {partnership.state.duplicate_of}"
                )
        self.trigger_event(self.MarkedDuplicate, of=original.id, meta=meta)

    def guard_dated_after_it_began(self, field: str, value: str | None) -> None:
        guard_not_before(field, value, self.state.since, "the partnership began")

    def guard_correction(self, field: str, value: Any) -> None:
        money = {"investment": getattr(value, "amount", None), "investment.amount": value}.get(field)
        if isinstance(money, Money):
            guard_currency(money.currency, field="value.currency")
        as_of = {"investment": getattr(value, "as_of", None), "investment.as_of": value}.get(field)
        if isinstance(as_of, str):
            self.guard_dated_after_it_began("value", as_of)
        if field == "since":
            for what, dated in self.dated_facts():
                if is_before(dated, value):
                    raise DateOrderError(f"value: the partnership cannot have begun on {value}, after {what} ({dated})")

    def dated_facts(self) -> list[tuple[str, str]]:
        """The dates of what the partnership's state says happened in it."""
        state = self.state
        dated = [("its investment figures", state.investment.as_of)] if state.investment else []
        if state.status_since is not None:
            dated.append((f"it became {state.status}", state.status_since))
        dated += [(initiative.name, initiative.started) for initiative in state.initiatives if initiative.started]
        return dated

    def guard_may_record(self) -> None:
        if self.state.duplicate_of is not None:
            raise DuplicateError(
                f"partnership: {self.id} is the duplicate of {self.state.duplicate_of}; record on that one instead"
            )
        if self.state.status == PartnershipStatus.ENDED:
            raise PartnershipEndedError(
                f"partnership: {self.name} ended on {self.state.status_since}; nothing more can be recorded on it"
            )

    @property
    def name(self) -> str:
        first, second = self.state.cities
        return f"{first.name}–{second.name}"

    @property
    def partnership_id(self) -> UUID:
        return self.id
