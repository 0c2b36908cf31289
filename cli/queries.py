"""Questions answered from the read models: partnerships, conferences,
agreements, cities, a partnership's timeline, and the read models' JSON Schema.

Every query first brings the projections up to the head of the log, so what
was just recorded shows. ``--json`` prints the read model's own documents
(their schema is in ``schemas/``); without it, tables and fields for people.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from .context import Settings, pass_settings, reading
from .render import echo_fields, echo_json, echo_table

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ..adapters.reads import Investment, PartnershipSummary, ReadModels

limit_option = click.option(
    "--limit", type=click.IntRange(min=1), default=100, show_default=True, help="At most this many."
)
_after = click.option("--after", metavar="ID", help="Go on after this id, the last one of the previous page.")


@contextmanager
def caught_up(settings: Settings) -> Iterator[ReadModels]:
    """Open the store, catch up, and hand the read models to the block."""
    with reading(settings) as reads:
        reads.catch_up()
        yield reads.read_models()


def echo_documents(
    settings: Settings, documents: Sequence[BaseModel], rows: list[dict[str, Any]], columns: Sequence[str]
) -> None:
    if settings.as_json:
        echo_json([document.model_dump(mode="json") for document in documents])
    else:
        echo_table(rows, columns)


def summary_fields(summary: PartnershipSummary) -> dict[str, Any]:
    """A partnership summary as people read it."""
    from ..adapters.reads import day_text, projects_text

    investment = summary.investment
    return {
        "partnership": summary.name,
        "id": str(summary.id),
        "since": summary.since,
        "stage": summary.stage.value,
        "status": summary.status.value + (f" since {summary.status_since}" if summary.status_since else ""),
        "fields": [field.value for field in summary.fields],
        "conferences": summary.conferences,
        "projects": projects_text(summary.projects_by_category, summary.projects_total, summary.projects_qualifiers),
        "signed": [
            f"{projects_text(signings.projects_by_category, signings.projects_total, signings.projects_qualifiers)}"
            f" at the {day_text(signings.held_on)} conference"
            for signings in summary.signings
        ],
        "investment": investment and _investment_text(investment),
        "investment source": investment and investment.source,
        "initiatives": [f"{initiative.name} ({initiative.kind.value})" for initiative in summary.initiatives],
        "last activity": summary.last_activity,
        **({"duplicate of": str(summary.duplicate_of)} if summary.duplicate_of else {}),
    }


def _investment_text(investment: Investment) -> str:
    """``more than 700 enterprises, US$16.4 billion (USD 16400000000), as of 2023-05-05``."""
    from ..adapters.reads import exact_money_text, figure_text

    enterprises = figure_text(investment.enterprises, investment.enterprises_qualifier)
    amount = exact_money_text(investment.amount.amount, investment.amount.currency)
    amount = figure_text(amount, investment.amount_qualifier)
    corrected = " [corrected]" if investment.corrected else ""
    return f"{enterprises} enterprises, {amount}, as of {investment.as_of}{corrected}"


@click.command()
@click.argument("partnership_id", required=False, metavar="[ID]")
@limit_option
@_after
@pass_settings
def partnerships(settings: Settings, partnership_id: str | None, limit: int, after: str | None) -> None:
    """List partnerships, or show one by its id.

    \b
    Example:
      citycoop partnerships
      citycoop --json partnerships 712a8a14-4928-5786-9e6c-a9b3845f5511
    """
    from ..adapters.reads import projects_total_text

    with caught_up(settings) as read_models:
        if partnership_id is not None:
            summary = read_models.partnership(partnership_id)
            if settings.as_json:
                echo_json(summary.model_dump(mode="json"))
            else:
                echo_fields(summary_fields(summary))
            return
        found = read_models.partnerships(limit=limit, after=after)
    echo_documents(
        settings,
        found,
        [
            {
                "name": summary.name + (" (duplicate)" if summary.duplicate_of else ""),
                "since": summary.since,
                "stage": summary.stage.value,
                "status": summary.status.value,
                "conferences": str(summary.conferences),
                "projects": projects_total_text(summary.projects_total, summary.projects_qualifiers),
                "id": str(summary.id),
            }
            for summary in found
        ],
        ("name", "since", "stage", "status", "conferences", "projects", "id"),
    )


@click.command()
@click.argument("conference_id", required=False, metavar="[ID]")
@click.option("--partnership", metavar="ID", help="Only this partnership's conferences.")
@limit_option
@_after
@pass_settings
def conferences(
    settings: Settings, conference_id: str | None, partnership: str | None, limit: int, after: str | None
) -> None:
    """The conference register: every conference, by date, or one by its id.

    \b
    Example:
      citycoop conferences --partnership 712a8a14-4928-5786-9e6c-a9b3845f5511
      citycoop conferences 3f334e39-a276-50ae-81c4-3929132160f8
    """
    from ..adapters.reads import figure_text, projects_text

    with caught_up(settings) as read_models:
        if conference_id is not None:
            _echo_one(settings, read_models.conference(conference_id))
            return
        found = read_models.conferences(partnership, limit=limit, after=after)
    echo_documents(
        settings,
        found,
        [
            {
                "held on": entry.held_on,
                "partnership": entry.partnership,
                "host city": entry.host_city,
                "attendance": None
                if entry.attendance is None
                else figure_text(entry.attendance, entry.attendance_qualifier),
                "projects": projects_text(entry.projects_by_category, entry.projects_total, entry.projects_qualifiers),
                "title": entry.title,
                "id": str(entry.id),
            }
            for entry in found
        ],
        ("held on", "partnership", "host city", "attendance", "projects", "title", "id"),
    )


@click.command()
@click.argument("agreement_id", required=False, metavar="[ID]")
@click.option("--partnership", metavar="ID", help="Only signings within this partnership.")
@click.option("--conference", metavar="ID", help="Only signings at this conference.")
@click.option("--category", help="Only this category of project, e.g. strategic.")
@click.option("--status", help="Only signings with this status, e.g. in-progress.")
@limit_option
@_after
@pass_settings
def agreements(
    settings: Settings,
    *,
    agreement_id: str | None,
    partnership: str | None,
    conference: str | None,
    category: str | None,
    status: str | None,
    limit: int,
    after: str | None,
) -> None:
    """The agreement register: every signing, by date, filtered; or one by its id.

    \b
    Example:
      citycoop agreements --category strategic --status signed
      citycoop agreements --conference 3f334e39-a276-50ae-81c4-3929132160f8
    """
    from ..adapters.reads import figure_text

    with caught_up(settings) as read_models:
        if agreement_id is not None:
            _echo_one(settings, read_models.agreement(agreement_id))
            return
        found = read_models.agreements(
            partnership, conference_id=conference, category=category, status=status, limit=limit, after=after
        )
    echo_documents(
        settings,
        found,
        [
            {
                "signed on": entry.signed_on,
                "partnership": entry.partnership,
                "category": entry.category.value,
                "count": figure_text(entry.count, entry.count_qualifier),
                "named": str(len(entry.projects)),
                "status": entry.status.value,
                "conference": entry.conference,
                "id": str(entry.id),
            }
            for entry in found
        ],
        ("signed on", "partnership", "category", "count", "named", "status", "conference", "id"),
    )


def _echo_one(settings: Settings, document: BaseModel) -> None:
    if settings.as_json:
        echo_json(document.model_dump(mode="json"))
    else:
        echo_fields(document.model_dump(mode="json"))
