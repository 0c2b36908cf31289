"""The commands a clerk can give, as validated pydantic models.

One definition serves the application service's methods, the import file
format and the CLI: a whole import file is validated against these models
before anything is written. ``kind`` is the command's name in import files.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ...domain.agreement import ProjectCount
from ...domain.values import City, LongText, NonNegativeInt, Number, PartialDate, Speaker, Term, Text
from ...domain.vocabulary import (
    AgreementStatus,
    FieldOfCooperation,
    InitiativeKind,
    ProjectCategory,
    Stage,
)

Reference = Text
"""A record's id, or in an import file the local name of an earlier entry."""


class Command(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)  # see domain.values.Value


class EstablishPartnership(Command):
    kind: Literal["establish-partnership"] = "establish-partnership"
    city_a: City
    city_b: City
    since: PartialDate
    stage: Annotated[Stage, Term] = Stage.SISTER_CITY
    fields: tuple[Annotated[FieldOfCooperation, Term], ...] = ()


class ChangeStage(Command):
    kind: Literal["change-stage"] = "change-stage"
    partnership: Reference
    stage: Annotated[Stage, Term]
    on: PartialDate


class AddField(Command):
    kind: Literal["add-field"] = "add-field"
    partnership: Reference
    field: Annotated[FieldOfCooperation, Term]


class ReportInvestment(Command):
    kind: Literal["report-investment"] = "report-investment"
    partnership: Reference
    enterprises: NonNegativeInt
    amount: Annotated[Decimal, Field(ge=0, max_digits=24, decimal_places=4)]
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "USD"
    as_of: PartialDate


class LaunchInitiative(Command):
    kind: Literal["launch-initiative"] = "launch-initiative"
    partnership: Reference
    name: Text
    initiative_kind: Annotated[InitiativeKind, Term]
    started: PartialDate | None = None
    description: LongText | None = None


class ChangeStatus(Command):
    kind: Literal["suspend-partnership", "resume-partnership", "end-partnership"]
    partnership: Reference
    on: PartialDate
    reason: LongText | None = None


class HoldConference(Command):
    kind: Literal["hold-conference"] = "hold-conference"
    partnership: Reference
    title: Text
    held_on: PartialDate
    host_city: Text
    attendance: NonNegativeInt | None = None
    attendance_is_approximate: bool = False
    organizations: tuple[Text, ...] = ()
    speakers: tuple[Speaker, ...] = ()


class IntroduceProject(Command):
    kind: Literal["introduce-project"] = "introduce-project"
    conference: Reference
    name: Text
    description: LongText | None = None


class SignProjects(Command):
    kind: Literal["sign-projects"] = "sign-projects"
    partnership: Reference
    conference: Reference
    category: Annotated[ProjectCategory, Term]
    count: ProjectCount
    signed_on: PartialDate | None = None
    """Defaults to the date the conference was held."""


class NameProject(Command):
    kind: Literal["name-project"] = "name-project"
    agreement: Reference
    name: Text
    parties: tuple[Text, ...] = ()
    description: LongText | None = None


class ChangeAgreementStatus(Command):
    kind: Literal["change-agreement-status"] = "change-agreement-status"
    agreement: Reference
    status: Annotated[AgreementStatus, Term]
    on: PartialDate


class CorrectFact(Command):
    kind: Literal["correct"] = "correct"
    record: Reference
    corrects_version: Annotated[int, Number, Field(ge=1)]
    field: Text
    value: Any
    reason: LongText


AnyCommand = Annotated[
    EstablishPartnership
    | ChangeStage
    | AddField
    | ReportInvestment
    | LaunchInitiative
    | ChangeStatus
    | HoldConference
    | IntroduceProject
    | SignProjects
    | NameProject
    | ChangeAgreementStatus
    | CorrectFact,
    Field(discriminator="kind"),
]
