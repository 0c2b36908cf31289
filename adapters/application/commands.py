"""The commands a clerk can give, as validated pydantic models: each command's
fields are declared here once.

The import file format, the CLI's ``record`` commands (their options and
help are made from these fields and their descriptions) and every other
writer build these models; a whole import file is validated against them
before anything is written. ``kind`` is the command's name in import files.
A field that names a record is a ``Reference``: its id, or in an import file
the local name of an earlier entry.

Where the domain has a value for what a command states, the command's fields
have that value's types, so that once the command is valid the value can be
built from it without checking it again (``figures()``, ``initiative()`` …).
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal, Self, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from ...domain.bounds import QualifierTerm
from ...domain.conference_facts import ConferenceFacts
from ...domain.dates import date_in_correction
from ...domain.partnership import Initiative, InvestmentFigures
from ...domain.projects import IntroducedProject, ProjectCount, SignedProject
from ...domain.values import (
    Amount,
    City,
    LongText,
    Money,
    NewCurrency,
    NonNegativeInt,
    Number,
    PartialDate,
    Term,
    Text,
    validated,
)
from ...domain.vocabulary import (
    AgreementStatus,
    FieldOfCooperation,
    InitiativeKind,
    ProjectCategory,
    Qualifier,
    Stage,
)

_DATE_TYPES = (PartialDate, PartialDate | None)


class NamesARecord:
    """Marks the fields by which a command names a record it reads or changes."""


NAMES_A_RECORD = NamesARecord()
Reference = Annotated[Text, NAMES_A_RECORD]
"""A record's id, or in an import file the local name of an earlier entry."""
PartnershipReference = Annotated[Reference, Field(description="The partnership's id.")]
ConferenceReference = Annotated[Reference, Field(description="The conference's id.")]
AgreementReference = Annotated[Reference, Field(description="The agreement's id.")]


class Command(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)  # see domain.values.Value

    references: ClassVar[tuple[str, ...]] = ()
    """The fields that name records, in the order the command declares them."""
    date_fields: ClassVar[tuple[str, ...]] = ()
    """The fields that are business dates."""
    aliases: ClassVar[tuple[str, ...]] = ()
    """The fields that only restate another field (their validators fold them
    into it), so that a command's fingerprint leaves them out."""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        cls.references = tuple(name for name, field in cls.model_fields.items() if NAMES_A_RECORD in field.metadata)
        cls.date_fields = tuple(
            name for name, field in cls.model_fields.items() if field.rebuild_annotation() in _DATE_TYPES
        )

    def dates(self) -> dict[str, str]:
        """The business dates the command states, by field."""
        return {name: date for name in self.date_fields if (date := getattr(self, name)) is not None}

    @classmethod
    def validated(cls, **fields: Any) -> Self:
        """The command of these fields, or a domain error naming the first field that is wrong."""
        return validated(cls, **fields)


class EstablishPartnership(Command):
    """Two cities became partners."""

    kind: Literal["establish-partnership"] = "establish-partnership"
    city_a: City
    city_b: City
    since: PartialDate = Field(description="Year, month or day it began: 1993, 1993-05, 1993-05-06.")
    stage: Annotated[Stage, Term] = Stage.SISTER_CITY
    fields: tuple[Annotated[FieldOfCooperation, Term], ...] = Field(default=(), description="A field of cooperation.")


class ChangeStage(Command):
    """A partnership moved to another stage."""

    kind: Literal["change-stage"] = "change-stage"
    partnership: PartnershipReference
    stage: Annotated[Stage, Term]
    on: PartialDate = Field(description="When the stage changed: 1993, 1993-05 or 1993-05-06.")


class AddField(Command):
    """A partnership took up another field of cooperation."""

    kind: Literal["add-field"] = "add-field"
    partnership: PartnershipReference
    field: Annotated[FieldOfCooperation, Term]


class ReportInvestment(Command):
    """The investment figures of a partnership as of a date (``InvestmentFigures``)."""

    kind: Literal["report-investment"] = "report-investment"
    partnership: PartnershipReference
    enterprises: NonNegativeInt = Field(description="How many enterprises have invested.")
    enterprises_qualifier: QualifierTerm = Field(
        default=Qualifier.EXACT, description='How the number of enterprises bounds the truth ("more than 700").'
    )
    amount: Amount = Field(description="How much they have invested in all.")
    amount_qualifier: QualifierTerm = Field(default=Qualifier.EXACT, description="How the amount bounds the truth.")
    currency: NewCurrency = Field(default="USD", description="ISO 4217 code of the amount.")
    as_of: PartialDate = Field(description="When the figures were true.")

    def figures(self) -> InvestmentFigures:
        money = Money.model_construct(amount=self.amount, currency=self.currency)
        return InvestmentFigures.model_construct(
            enterprises=self.enterprises,
            amount=money,
            as_of=self.as_of,
            enterprises_qualifier=self.enterprises_qualifier,
            amount_qualifier=self.amount_qualifier,
        )


class LaunchInitiative(Command):
    """A partnership launched an initiative (``Initiative``)."""

    kind: Literal["launch-initiative"] = "launch-initiative"
    partnership: PartnershipReference
    name: Text = Field(description="The initiative's name.")
    initiative_kind: Annotated[InitiativeKind, Term]
    started: PartialDate | None = Field(default=None, description="When it started, if known.")
    description: LongText | None = Field(default=None, description="What it is for.")

    def initiative(self) -> Initiative:
        return Initiative.model_construct(
            name=self.name, kind=self.initiative_kind, started=self.started, description=self.description
        )


class ChangeStatus(Command):
    """Suspend, resume or end a partnership: one command of three kinds."""

    kind: Literal["suspend-partnership", "resume-partnership", "end-partnership"]
    partnership: PartnershipReference
    on: PartialDate = Field(description="When it happened: 2024, 2024-01 or 2024-01-15.")
    reason: LongText | None = Field(default=None, description="Why.")


class HoldConference(Command, ConferenceFacts):
    """A conference was held for a partnership (its facts: ``ConferenceFacts``)."""

    kind: Literal["hold-conference"] = "hold-conference"
    partnership: PartnershipReference
    aliases: ClassVar[tuple[str, ...]] = ("attendance_is_approximate",)
    attendance_is_approximate: bool = Field(
        default=False, description="The attendance is approximate: the same as the attendance qualifier about."
    )

    @model_validator(mode="before")
    @classmethod
    def _approximate_is_about(cls, data: Any) -> Any:
        """Files and scripts written before qualifiers say "approximate"; it was always "about"."""
        approximate = isinstance(data, dict) and data.get("attendance_is_approximate") is True
        if approximate and data.get("attendance_qualifier") in (None, Qualifier.EXACT, Qualifier.ABOUT):
            return {**data, "attendance_qualifier": Qualifier.ABOUT}
        return data

    @field_validator("attendance_is_approximate")
    @classmethod
    def _not_another_qualifier(cls, approximate: bool, info: ValidationInfo) -> bool:
        qualifier = info.data.get("attendance_qualifier")
        if approximate and qualifier not in (None, Qualifier.ABOUT):
            raise ValueError(f"says about, but the attendance qualifier says {qualifier}")
        return approximate


class IntroduceProject(Command):
    """A project was introduced at a conference (``IntroducedProject``)."""

    kind: Literal["introduce-project"] = "introduce-project"
    conference: ConferenceReference
    name: Text = Field(description="The project's name.")
    description: LongText | None = Field(default=None, description="What it is.")

    def project(self) -> IntroducedProject:
        return IntroducedProject.model_construct(name=self.name, description=self.description)


class SignProjects(Command):
    """Projects of one category were signed at a conference, so many of them."""

    kind: Literal["sign-projects"] = "sign-projects"
    partnership: PartnershipReference
    conference: Annotated[Reference, Field(description="The conference at which they were signed's id.")]
    category: Annotated[ProjectCategory, Term]
    count: ProjectCount = Field(description="How many projects of this category were signed.")
    count_qualifier: QualifierTerm = Field(
        default=Qualifier.EXACT, description='How the count bounds the truth ("more than 3").'
    )
    signed_on: PartialDate | None = Field(default=None, description="When, if not the day the conference was held.")


class NameProject(Command):
    """One of the projects an agreement counts has a name (``SignedProject``)."""

    kind: Literal["name-project"] = "name-project"
    agreement: AgreementReference
    name: Text = Field(description="The project's name.")
    parties: tuple[Text, ...] = Field(default=(), description="Who signed it.")
    description: LongText | None = Field(default=None, description="What it is.")

    def project(self) -> SignedProject:
        return SignedProject.model_construct(name=self.name, parties=self.parties, description=self.description)


class ChangeAgreementStatus(Command):
    """Signed projects got under way, were completed or were cancelled."""

    kind: Literal["change-agreement-status"] = "change-agreement-status"
    agreement: AgreementReference
    status: Annotated[AgreementStatus, Term]
    on: PartialDate = Field(description="When: 2024, 2024-03 or 2024-03-01.")


class CorrectFact(Command):
    """A fact recorded earlier should have been another value."""

    kind: Literal["correct"] = "correct"
    record: Annotated[Reference, Field(description="The partnership, conference or agreement's id.")]
    corrects_version: Annotated[int, Number, Field(ge=1)] = Field(
        description="The version of the event that stated the fact."
    )
    field: Text = Field(description="The fact, e.g. since, attendance or investment.enterprises.")
    value: Any = Field(description="What it should have been.")
    reason: LongText = Field(description="Why the fact was wrong.")

    def dates(self) -> dict[str, str]:
        date = date_in_correction(self.field, self.value)
        return {} if date is None else {"value": date}


class MarkDuplicate(Command):
    """A partnership is the second record of a pair of cities that an earlier
    release recorded twice (once per spelling of a name): mark it the
    duplicate of the other, which is kept as the pair's record."""

    kind: Literal["mark-duplicate"] = "mark-duplicate"
    partnership: Annotated[Reference, Field(description="The duplicate partnership's id.")]
    of: Annotated[Reference, Field(description="The id of the partnership it duplicates, kept as the pair's.")]


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
    | CorrectFact
    | MarkDuplicate,
    Field(discriminator="kind"),
]

COMMANDS: dict[str, type[Command]] = {
    kind: command
    for command in get_args(get_args(AnyCommand)[0])
    for kind in get_args(command.model_fields["kind"].annotation)
}
"""Each command's model, by the kind that names it in import files (and on the command line)."""
