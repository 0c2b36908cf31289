"""What the register and a partnership's page show, in the words people
read: the read models turned into rows of text for the templates, with the
figures put as the CLI and the timeline put them (``wording``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from ....domain.errors import InvalidValueError
from ...reads import (
    AgreementEntry,
    ConferenceEntry,
    Investment,
    PartnershipSummary,
    TimelineEntry,
    day_text,
    figure_text,
    money_text,
    projects_text,
    when_text,
)
from .charts import Report
from .reads import Shown

NOTHING = "—"
UNDATED = "undated"


def value_text(value: Any) -> str:
    """A fact as recorded: text as it is, anything else as JSON; nothing as a dash."""
    if value is None:
        return NOTHING
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def date_text(partial_date: str | None) -> str:
    return UNDATED if partial_date is None else day_text(partial_date)


def time_text(moment: datetime) -> str:
    """``2023-05-06 10:00:01 UTC``: to the second, in the zone it was recorded in."""
    return f"{moment:%Y-%m-%d %H:%M:%S} {moment.tzname() or 'UTC'}"


def status_text(status: str, since: str | None) -> str:
    return status if since is None else f"{status} since {day_text(since)}"


def investment_text(investment: Investment | None) -> str:
    """``more than 700 enterprises, US$16.4 billion, as of 5 May 2023``, and
    whether and on whose word it was corrected."""
    if investment is None:
        return NOTHING
    enterprises = figure_text(investment.enterprises, investment.enterprises_qualifier)
    amount = figure_text(money_text(investment.amount.amount, investment.amount.currency), investment.amount_qualifier)
    text = f"{enterprises} enterprises, {amount}, as of {day_text(investment.as_of)}"
    if investment.corrected:
        text += f" (corrected, source: {value_text(investment.source)})"
    return text


def cities_text(summary: PartnershipSummary) -> str:
    return " · ".join(f"{city.name}, {city.country}" for city in summary.cities)


@dataclass(frozen=True)
class PartnershipRow:
    """A partnership as the register lists it, and as its own page sums it up."""

    id: UUID
    name: str
    cities: str
    since: str
    stage: str
    fields: str
    status: str
    projects: str
    projects_total: int
    investment: str
    conferences: int
    initiatives: list[str]
    last_activity: str


def partnership_row(summary: PartnershipSummary) -> PartnershipRow:
    return PartnershipRow(
        id=summary.id,
        name=summary.name,
        cities=cities_text(summary),
        since=day_text(summary.since),
        stage=summary.stage,
        fields=", ".join(summary.fields) or NOTHING,
        status=status_text(summary.status, summary.status_since),
        projects=projects_text(summary.projects_by_category, summary.projects_total, summary.projects_qualifiers),
        projects_total=summary.projects_total,
        investment=investment_text(summary.investment),
        conferences=summary.conferences,
        initiatives=[f"{initiative.name} ({initiative.kind})" for initiative in summary.initiatives],
        last_activity=NOTHING if summary.last_activity is None else day_text(summary.last_activity),
    )


@dataclass(frozen=True)
class CorrectionRow:
    position: int
    field: str
    previous: str
    value: str
    actor: str
    reason: str
    recorded_at: datetime


@dataclass(frozen=True)
class TimelineRow:
    position: int
    date: str
    """The business date in words, "undated", or the date it follows from."""
    summary: str
    event: str
    record_id: UUID
    actor: str
    source: str
    recorded_at: datetime
    corrections: list[CorrectionRow]


@dataclass(frozen=True)
class TimelinePage:
    rows: list[TimelineRow]
    first: int
    """The number of the first entry shown, from 1."""
    total: int
    next_after: int | None
    """The position of the last entry shown, while later ones follow."""


def timeline_page(timeline: Sequence[TimelineEntry], after: int | None, size: int) -> TimelinePage:
    """``size`` entries of the timeline from the one after the entry at position ``after``."""
    start = 0
    if after is not None:
        start = next((index + 1 for index, entry in enumerate(timeline) if entry.position == after), -1)
        if start < 0:
            raise InvalidValueError("after", f"no entry of this timeline is at position {after}")
    shown = timeline[start : start + size]
    more = start + size < len(timeline)
    return TimelinePage(
        [timeline_row(entry) for entry in shown], start + 1, len(timeline), shown[-1].position if more else None
    )


def timeline_row(entry: TimelineEntry) -> TimelineRow:
    return TimelineRow(
        position=entry.position,
        date=when_text(entry.business_date, entry.business_date_kind, entry.date_derived_from, in_words=True),
        summary=entry.summary,
        event=f"{entry.record.capitalize()}.{entry.event}",
        record_id=entry.record_id,
        actor=entry.actor,
        source=value_text(entry.source),
        recorded_at=entry.recorded_at,
        corrections=[
            CorrectionRow(
                position=note.position,
                field=note.field,
                previous=value_text(note.previous),
                value=value_text(note.value),
                actor=note.actor,
                reason=note.reason,
                recorded_at=note.recorded_at,
            )
            for note in entry.corrections
        ],
    )


@dataclass(frozen=True)
class ConferenceRow:
    id: UUID
    title: str
    held_on: str
    host_city: str
    attendance: str
    organizations: str
    speakers: list[str]
    projects: str


def conference_row(conference: ConferenceEntry) -> ConferenceRow:
    if conference.attendance is None:
        attendance = NOTHING
    else:
        attendance = figure_text(conference.attendance, conference.attendance_qualifier)
    return ConferenceRow(
        id=conference.id,
        title=conference.title,
        held_on=day_text(conference.held_on),
        host_city=conference.host_city,
        attendance=attendance,
        organizations=", ".join(conference.organizations) or NOTHING,
        speakers=[", ".join(filter(None, (speaker.name, speaker.role))) for speaker in conference.speakers],
        projects=projects_text(
            conference.projects_by_category, conference.projects_total, conference.projects_qualifiers
        ),
    )


@dataclass(frozen=True)
class AgreementRow:
    id: UUID
    projects: str
    conference: str
    signed_on: str
    status: str
    named: list[str]


def agreement_row(agreement: AgreementEntry) -> AgreementRow:
    return AgreementRow(
        id=agreement.id,
        projects=projects_text(
            {agreement.category: agreement.count}, agreement.count, {agreement.category: agreement.count_qualifier}
        ),
        conference=agreement.conference,
        signed_on=day_text(agreement.signed_on),
        status=status_text(agreement.status, agreement.status_since),
        named=[
            f"{project.name} ({', '.join(project.parties)})" if project.parties else project.name
            for project in agreement.projects
        ],
    )


def signings(agreements: Sequence[AgreementEntry]) -> list[tuple[str, str, int]]:
    """What the projects chart draws: each signing's date, category and count."""
    return [(agreement.signed_on, agreement.category, agreement.count) for agreement in agreements]


def investment_reports(timeline: Sequence[TimelineEntry]) -> list[Report]:
    """What the investment chart draws: the figures of every report on the timeline, as corrected."""
    reports = []
    for entry in timeline:
        if entry.event == "InvestmentReported":
            figures = entry.details["figures"]
            amount, currency = Decimal(figures["amount"]["amount"]), figures["amount"]["currency"]
            reports.append(
                Report(
                    figures["as_of"],
                    amount,
                    currency,
                    figures["enterprises"],
                    figures["amount_qualifier"],
                    figures["enterprises_qualifier"],
                )
            )
    return reports


def as_of_text(shown: Shown) -> str:
    """The banner of a page of the past: "As the register stood at …"."""
    if shown.asked.time is not None:
        where = f"{time_text(shown.asked.time)}, log position {shown.position}"
    else:
        where = f"log position {shown.position}"
        if shown.recorded_at is not None:
            where += f", recorded {time_text(shown.recorded_at)}"
    return f"As the register stood at {where}" + (" (before the first event)" if shown.position == 0 else "")
