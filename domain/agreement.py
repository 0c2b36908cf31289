"""Projects signed at a conference, in one category.

A press release may give only counts ("3 strategic cooperation projects");
other sources name the projects one by one. An agreement records the count
once and lets names fill it in, so the same project is never counted twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any, ClassVar
from uuid import UUID, uuid5

from pydantic import Field

from .aggregate import Aggregate, AggregateState
from .bounds import QualifierTerm, bounded, most
from .dates import guard_not_before
from .errors import CorrectionError, ProjectAlreadyNamedError, ProjectCountExceededError
from .projects import ProjectCount, SignedProject
from .values import PartialDate, Provenance, Term, folded, value_of
from .vocabulary import AgreementStatus, ProjectCategory, Qualifier


class AgreementState(AggregateState):
    partnership_id: UUID
    conference_id: UUID
    category: ProjectCategory
    count: ProjectCount
    count_qualifier: QualifierTerm = Qualifier.EXACT
    signed_on: PartialDate
    status: AgreementStatus = AgreementStatus.SIGNED
    projects: list[SignedProject] = Field(default_factory=list)


class Agreement(Aggregate):
    if TYPE_CHECKING:
        state: AgreementState

    state_class = AgreementState

    @staticmethod
    def id_for(conference_id: UUID, category: ProjectCategory) -> UUID:
        """One agreement per conference and category: signing the same category
        at the same conference twice is a mistake, not a second signing."""
        return uuid5(conference_id, f"citycoop:agreement:{category}")

    class Event(Aggregate.Event):
        """The base of this record's events (see ``Aggregate.Event``)."""

    class Signed(Aggregate.Created, Event):
        """Version 2 added the count's ``count_qualifier`` ("more than 3 projects")."""

        class_version: ClassVar[int] = 2

        partnership_id: UUID
        conference_id: UUID
        category: Annotated[ProjectCategory, Term]
        count: ProjectCount
        count_qualifier: QualifierTerm = Qualifier.EXACT
        signed_on: PartialDate
        facts = ("count", "count_qualifier", "signed_on")

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["count_qualifier"] = Qualifier.EXACT.value

        def apply(self, aggregate: Agreement) -> None:
            aggregate.state = AgreementState.model_construct(
                partnership_id=self.partnership_id,
                conference_id=self.conference_id,
                category=self.category,
                count=self.count,
                count_qualifier=self.count_qualifier,
                signed_on=self.signed_on,
            )

    class ProjectNamed(Event):
        project: SignedProject

        def apply(self, aggregate: Agreement) -> None:
            aggregate.state.projects = [*aggregate.state.projects, self.project]

    class StatusChanged(Event):
        status: Annotated[AgreementStatus, Term]
        on: PartialDate

        def apply(self, aggregate: Agreement) -> None:
            aggregate.state.status = self.status

    @classmethod
    def sign(
        cls,
        *,
        partnership_id: UUID,
        conference_id: UUID,
        category: ProjectCategory,
        count: int,
        count_qualifier: Qualifier = Qualifier.EXACT,
        signed_on: str,
        meta: Provenance,
    ) -> Agreement:
        return cls._create(
            cls.Signed,
            id=cls.id_for(conference_id, category),
            partnership_id=partnership_id,
            conference_id=conference_id,
            category=category,
            count=count,
            count_qualifier=count_qualifier,
            signed_on=signed_on,
            meta=meta.about(signed_on),
        )

    def name_project(self, project: SignedProject | Mapping[str, Any], *, meta: Provenance) -> None:
        if self.has_applied(meta):
            return
        project = value_of(SignedProject, project, field="project")
        if any(folded(named.name) == folded(project.name) for named in self.state.projects):
            raise ProjectAlreadyNamedError(f"name: {project.name!r} is named already in this signing")
        limit = most(self.state.count_qualifier, self.state.count)
        if limit is not None and len(self.state.projects) >= limit:
            signed = bounded(self.state.count_qualifier, str(self.state.count))
            raise ProjectCountExceededError(
                f"name: all {signed} {self.state.category} projects of this signing are named already;"
                " correct the count first if more were signed"
            )
        self.trigger_event(self.ProjectNamed, project=project, meta=meta)

    def change_status(self, *, status: str, on: str, meta: Provenance) -> None:
        if self.has_applied(meta):
            return
        guard_not_before("on", on, self.state.signed_on, "the projects were signed")
        self.trigger_event(self.StatusChanged, status=status, on=on, meta=meta.about(on))

    def guard_correction(self, field: str, value: Any) -> None:
        count, qualifier = self.state.count, self.state.count_qualifier
        if field == "count":
            count = value
        elif field == "count_qualifier":
            qualifier = value
        else:
            return
        limit = most(qualifier, count)
        if limit is not None and limit < len(self.state.projects):
            raise CorrectionError(
                f"value: {len(self.state.projects)} projects are named already,"
                f" so the count cannot be {bounded(qualifier, str(count))}"
            )

    @property
    def partnership_id(self) -> UUID:
        return self.state.partnership_id
