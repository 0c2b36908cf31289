"""The read models: what other services and the CLI read, one pydantic model
per question. Their JSON Schema (``citycoop schema``, kept in ``schemas/``) is
the contract; the projections store exactly these documents.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from ...domain.vocabulary import (
    AgreementStatus,
    FieldOfCooperation,
    InitiativeKind,
    PartnershipStatus,
    ProjectCategory,
    Qualifier,
    Stage,
)

ProjectCounts = dict[ProjectCategory, int]
"""Projects signed, by category; categories with none are left out."""
ProjectQualifiers = dict[ProjectCategory, Qualifier]
"""The qualifier of each category's count that is not exact ("more than 3"); the others are exact."""


def _qualifier_field(of: str) -> Any:
    return Field(Qualifier.EXACT, description=f'How {of} bounds the truth, as the source says: "more-than" 700')


def _projects_qualifiers() -> Any:
    return Field(
        default_factory=dict,
        description="The qualifier of each category's count that is not exact (more-than 3 strategic projects);"
        " the others, and the total of exact counts, are exact",
    )


class ReadModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)  # see domain.values.Value


class CityName(ReadModel):
    name: str
    country: str
    wikidata_id: str | None = None


class Amount(ReadModel):
    amount: Decimal
    currency: str = Field(description="ISO 4217 code, e.g. USD")


class Investment(ReadModel):
    """The latest investment figures reported for a partnership, corrections applied."""

    enterprises: int
    enterprises_qualifier: Qualifier = _qualifier_field("the number of enterprises")
    amount: Amount
    amount_qualifier: Qualifier = _qualifier_field("the amount")
    as_of: str
    source: str | None = Field(
        None, description="The source of the figures as they stand: the latest correction's, else the report's"
    )
    reported_source: str | None = Field(None, description="Where the figures were reported")
    corrected: list[str] = Field(
        default_factory=list, description="The facts corrected since the report, in order: investment.enterprises"
    )


class InitiativeEntry(ReadModel):
    name: str
    kind: InitiativeKind
    started: str | None = None
    description: str | None = None


class ConferenceSignings(ReadModel):
    """The projects signed at one conference of a partnership."""

    conference_id: UUID
    title: str
    held_on: str
    projects_by_category: ProjectCounts
    projects_total: int
    projects_qualifiers: ProjectQualifiers = _projects_qualifiers()


class PartnershipSummary(ReadModel):
    """Where a partnership stands: who, since when, what it covers and has achieved."""

    id: UUID
    name: str = Field(description="The two cities, e.g. Wuxi–Singapore")
    cities: tuple[CityName, CityName]
    since: str
    stage: Stage
    fields: list[FieldOfCooperation]
    status: PartnershipStatus
    status_since: str | None = None
    investment: Investment | None = None
    initiatives: list[InitiativeEntry]
    conferences: int = Field(description="How many conferences were held")
    projects_by_category: ProjectCounts
    projects_total: int
    projects_qualifiers: ProjectQualifiers = _projects_qualifiers()
    signings: list[ConferenceSignings] = Field(description="Projects signed, conference by conference, in date order")
    last_activity: str | None = Field(description="Business date of the partnership's latest event")
    duplicate_of: UUID | None = Field(
        default=None,
        description="The partnership of the same two cities that this one duplicates (an earlier release recorded"
        " the pair twice, once per spelling of a name): follow that one; nothing more is recorded on this one",
    )


class SpeakerEntry(ReadModel):
    name: str
    role: str | None = None
    statement: str | None = None


class IntroducedProjectEntry(ReadModel):
    name: str
    description: str | None = None


class ConferenceEntry(ReadModel):
    """One conference in the conference register."""

    id: UUID
    partnership_id: UUID
    partnership: str = Field(description="The partnership's name, e.g. Wuxi–Singapore")
    title: str
    held_on: str
    host_city: str
    attendance: int | None = None
    attendance_qualifier: Qualifier = _qualifier_field("the attendance")
    attendance_is_approximate: bool = Field(
        False, description="The attendance is not exact; kept for older readers, attendance_qualifier says how"
    )
    organizations: list[str]
    speakers: list[SpeakerEntry]
    introduced_projects: list[IntroducedProjectEntry]
    projects_by_category: ProjectCounts
    projects_total: int
    projects_qualifiers: ProjectQualifiers = _projects_qualifiers()


class SignedProjectEntry(ReadModel):
    name: str
    parties: list[str]
    description: str | None = None


class AgreementEntry(ReadModel):
    """One signing in the agreement register: the projects of one category signed at one conference."""

    id: UUID
    partnership_id: UUID
    partnership: str
    conference_id: UUID
    conference: str = Field(description="The conference's title")
    conference_held_on: str
    category: ProjectCategory
    count: int
    count_qualifier: Qualifier = _qualifier_field("the count")
    signed_on: str
    status: AgreementStatus
    status_since: str | None = None
    projects: list[SignedProjectEntry] = Field(description="The projects named so far (at most count)")


class PartnerEntry(ReadModel):
    name: str
    country: str
    partnership_id: UUID
    partnership: str
    status: PartnershipStatus
    projects_shared: int = Field(description="Projects signed within the partnership")


class CityEntry(ReadModel):
    """One city in the city directory, with its partners."""

    key: str = Field(description="Wikidata id, or 'name|country' in lower case")
    name: str
    country: str
    wikidata_id: str | None = None
    partners: list[PartnerEntry]


class CorrectionNote(ReadModel):
    position: int
    field: str
    value: Any
    previous: Any
    reason: str
    actor: str
    recorded_at: datetime


RecordKind = Literal["partnership", "conference", "agreement"]
DateKind = Literal["stated", "derived", "unknown"]


class TimelineEntry(ReadModel):
    """One event in a partnership's history, with its corrections applied."""

    position: int = Field(description="Position of the event in the log")
    partnership_id: UUID
    record_id: UUID
    record_position: int = Field(description="Position in the log of the record's first event")
    record: RecordKind
    version: int
    event: str = Field(description="What happened, e.g. InvestmentReported")
    business_date: str | None = Field(
        description="When it happened, as the event states it or as it follows from another record"
        " (business_date_kind); null when no source says. Never the day it was recorded"
    )
    business_date_kind: DateKind = Field(
        description="stated: the event gives its date; derived: the date follows from date_derived_from"
        " (a project introduced at a conference is dated by the conference); unknown: undated"
    )
    date_derived_from: RecordKind | None = Field(
        None, description="The record a derived date follows from: this entry's conference or agreement"
    )
    sorts_on: str | None = Field(
        description="The date the entry sorts on, its business date: undated entries (null) come first,"
        " in the order they were recorded"
    )
    recorded_at: datetime
    summary: str
    details: dict[str, Any] = Field(description="The event's facts, corrections applied")
    actor: str
    source: str | None = None
    corrections: list[CorrectionNote]


READ_MODELS: tuple[type[ReadModel], ...] = (
    PartnershipSummary,
    ConferenceEntry,
    AgreementEntry,
    CityEntry,
    TimelineEntry,
)
"""The models whose JSON Schema is the contract."""
