"""Projects signed at a conference, in one category.

A press release may give only counts ("3 strategic cooperation projects");
other sources name the projects one by one. An agreement records the count
once and lets names fill it in, so the same project is never counted twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any
from uuid import UUID, uuid5

from pydantic import Field

from .aggregate import Aggregate, AggregateState
from .dates import guard_not_before
from .errors import CorrectionError, ProjectAlreadyNamedError, ProjectCountExceededError
from .values import LongText, Number, PartialDate, Provenance, Term, Text, Value, folded, value_of
from .vocabulary import AgreementStatus, ProjectCategory

ProjectCount = Annotated[int, Number, Field(ge=1, le=100_000)]


class SignedProject(Value):
    name: Text
    parties: tuple[Text, ...] = ()
    description: LongText | None = None


class AgreementState(AggregateState):
    partnership_id: UUID
    conference_id: UUID
    category: ProjectCategory
    count: ProjectCount
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

    class Signed(Aggregate.Created):
        partnership_id: UUID
        conference_id: UUID
        category: Annotated[ProjectCategory, Term]
        count: ProjectCount
        signed_on: PartialDate
        facts = ("count", "signed_on")

        def apply(self, aggregate: Agreement) -> None:
            aggregate.state = AgreementState.model_construct(
                partnership_id=self.partnership_id,
                conference_id=self.conference_id,
                category=self.category,
                count=self.count,
                signed_on=self.signed_on,
            )

    class ProjectNamed(Aggregate.Event):
        project: SignedProject

        def apply(self, aggregate: Agreement) -> None:
            aggregate.state.projects = [*aggregate.state.projects, self.project]

    class StatusChanged(Aggregate.Event):
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
            signed_on=signed_on,
            meta=meta.about(signed_on),
        )

    def name_project(self, project: SignedProject | Mapping[str, Any], *, meta: Provenance) -> None:
        if self.has_applied(meta):
            return
        project = value_of(SignedProject, project, field="project")
        if any(folded(named.name) == folded(project.name) for named in self.state.projects):
            raise ProjectAlreadyNamedError(f"name: {project.name!r} is named already in this signing")
        if len(self.state.projects) >= self.state.count:
            raise ProjectCountExceededError(
                f"name: all {self.state.count} {self.state.category} projects of this signing are named already;"
                " correct the count first if more were signed"
            )
        self.trigger_event(self.ProjectNamed, project=project, meta=meta)

    def change_status(self, *, status: str, on: str, meta: Provenance) -> None:
        if self.has_applied(meta):
            return
        guard_not_before("on", on, self.state.signed_on, "the projects were signed")
        self.trigger_event(self.StatusChanged, status=status, on=on, meta=meta.about(on))

    def guard_correction(self, field: str, value: Any) -> None:
        if field == "count" and value < len(self.state.projects):
            raise CorrectionError(
                f"value: {len(self.state.projects)} projects are named already, so the count cannot be {value}"
            )

    @property
    def partnership_id(self) -> UUID:
        return self.state.partnership_id
