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
    Stage,
)

ProjectCounts = dict[ProjectCategory, int]
"""Projects signed, by category; categories with none are left out."""


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
    """The latest investment figures reported for a partnership."""

    enterprises: int
    amount: Amount
    as_of: str
    source: str | None = Field(None, description="Where the figures were reported")


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
    signings: list[ConferenceSignings] = Field(description="Projects signed, conference by conference, in date order")
    last_activity: str | None = Field(description="Business date of the partnership's latest event")


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
    attendance_is_approximate: bool = False
    organizations: list[str]
    speakers: list[SpeakerEntry]
    introduced_projects: list[IntroducedProjectEntry]
    projects_by_category: ProjectCounts
    projects_total: int


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


class TimelineEntry(ReadModel):
    """One event in a partnership's history, with its corrections applied."""

    position: int = Field(description="Position of the event in the log")
    partnership_id: UUID
    record_id: UUID
    record_position: int = Field(description="Position in the log of the record's first event")
    record: RecordKind
    version: int
    event: str = Field(description="What happened, e.g. InvestmentReported")
    business_date: str | None = Field(description="When it happened, if the event says")
    sorts_on: str = Field(
        description="The date the entry sorts on: its business date, else its conference's or agreement's,"
        " else the day it was recorded"
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
