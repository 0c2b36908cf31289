"""A conference held within a partnership, and the projects introduced at it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from .aggregate import Aggregate, AggregateState
from .conference_facts import ConferenceFacts
from .projects import IntroducedProject
from .values import Provenance, Speaker, Text, value_of
from .vocabulary import Qualifier


class _OfPartnership(BaseModel):
    """Put last among a state's bases, so that ``partnership_id`` comes first."""

    model_config = ConfigDict(defer_build=True)  # never validated alone, see values.Value

    partnership_id: UUID


class ConferenceState(AggregateState, ConferenceFacts, _OfPartnership):
    # A state has always held these as lists; its JSON is the same either way.
    organizations: list[Text] = Field(default_factory=list)  # type: ignore[assignment]
    speakers: list[Speaker] = Field(default_factory=list)  # type: ignore[assignment]
    introduced_projects: list[IntroducedProject] = Field(default_factory=list)


class Conference(Aggregate):
    if TYPE_CHECKING:
        state: ConferenceState

    state_class = ConferenceState

    class Event(Aggregate.Event):
        """The base of this record's events (see ``Aggregate.Event``)."""

    class Held(Aggregate.Created, Event, ConferenceFacts):
        """Version 2 added ``attendance_is_approximate``; version 3 put the
        attendance's ``attendance_qualifier`` in its place ("about 200" as it
        was, "nearly 200" as it could not be)."""

        class_version: ClassVar[int] = 3

        partnership_id: UUID
        facts = ("title", "held_on", "host_city", "attendance", "attendance_qualifier", "organizations")

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["attendance_is_approximate"] = False

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            approximate = state.pop("attendance_is_approximate")
            state["attendance_qualifier"] = (Qualifier.ABOUT if approximate else Qualifier.EXACT).value

        def apply(self, aggregate: Conference) -> None:
            facts = {**self.stated(), "organizations": list(self.organizations), "speakers": list(self.speakers)}
            aggregate.state = ConferenceState.model_construct(partnership_id=self.partnership_id, **facts)

    class ProjectIntroduced(Event):
        project: IntroducedProject

        def apply(self, aggregate: Conference) -> None:
            aggregate.state.introduced_projects = [*aggregate.state.introduced_projects, self.project]

    @classmethod
    def hold(cls, *, id: UUID, partnership_id: UUID, meta: Provenance, **facts: Any) -> Conference:
        """Record a conference held for a partnership; ``facts`` are the
        Held event's (``ConferenceFacts``), checked by it."""
        return cls._create(
            cls.Held, id=id, partnership_id=partnership_id, meta=meta.about(facts.get("held_on")), **facts
        )

    def introduce_project(self, project: IntroducedProject | Mapping[str, Any], *, meta: Provenance) -> None:
        if self.has_applied(meta):
            return
        project = value_of(IntroducedProject, project, field="project")
        self.trigger_event(self.ProjectIntroduced, project=project, meta=meta)

    @property
    def partnership_id(self) -> UUID:
        return self.state.partnership_id
