"""A conference held within a partnership, and the projects introduced at it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

from pydantic import Field

from .aggregate import Aggregate, AggregateState
from .values import LongText, NonNegativeInt, PartialDate, Provenance, Speaker, Text, Value


class IntroducedProject(Value):
    name: Text
    description: LongText | None = None


class ConferenceState(AggregateState):
    partnership_id: UUID
    title: Text
    held_on: PartialDate
    host_city: Text
    attendance: NonNegativeInt | None = None
    attendance_is_approximate: bool = False
    organizations: list[Text] = Field(default_factory=list)
    speakers: list[Speaker] = Field(default_factory=list)
    introduced_projects: list[IntroducedProject] = Field(default_factory=list)


class Conference(Aggregate):
    if TYPE_CHECKING:
        state: ConferenceState

    state_class = ConferenceState

    class Held(Aggregate.Created):
        """Version 2 added ``attendance_is_approximate`` ("nearly 200 guests")."""

        class_version: ClassVar[int] = 2

        partnership_id: UUID
        title: Text
        held_on: PartialDate
        host_city: Text
        attendance: NonNegativeInt | None
        attendance_is_approximate: bool
        organizations: tuple[Text, ...]
        speakers: tuple[Speaker, ...]
        facts = ("title", "held_on", "host_city", "attendance", "organizations")

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["attendance_is_approximate"] = False

        def apply(self, aggregate: Conference) -> None:
            aggregate.state = ConferenceState(
                partnership_id=self.partnership_id,
                title=self.title,
                held_on=self.held_on,
                host_city=self.host_city,
                attendance=self.attendance,
                attendance_is_approximate=self.attendance_is_approximate,
                organizations=list(self.organizations),
                speakers=list(self.speakers),
            )

    class ProjectIntroduced(Aggregate.Event):
        project: IntroducedProject

        def apply(self, aggregate: Conference) -> None:
            aggregate.state.introduced_projects = [*aggregate.state.introduced_projects, self.project]

    @classmethod
    def hold(
        cls,
        *,
        id: UUID,
        partnership_id: UUID,
        title: str,
        held_on: str,
        host_city: str,
        attendance: int | None,
        attendance_is_approximate: bool,
        organizations: tuple[str, ...],
        speakers: tuple[dict[str, str | None], ...],
        meta: Provenance,
    ) -> Conference:
        return cls._create(
            cls.Held,
            id=id,
            partnership_id=partnership_id,
            title=title,
            held_on=held_on,
            host_city=host_city,
            attendance=attendance,
            attendance_is_approximate=attendance_is_approximate,
            organizations=organizations,
            speakers=speakers,
            meta=meta.about(held_on),
        )

    def introduce_project(self, *, name: str, description: str | None, meta: Provenance) -> None:
        if self.has_applied(meta):
            return
        self.trigger_event(self.ProjectIntroduced, project={"name": name, "description": description}, meta=meta)

    @property
    def partnership_id(self) -> UUID:
        return self.state.partnership_id
