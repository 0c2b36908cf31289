"""Questions answered from the read models: partnerships, conferences,
agreements, cities, a partnership's timeline, and the read models' JSON Schema.

Every query first brings the projections up to the head of the log, so what
was just recorded shows. ``--json`` prints the read model's own documents
(their schema is in ``schemas/``); without it, tables and fields for people.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .context import Settings, pass_settings, run
from .render import echo_fields, echo_json, echo_table

if TYPE_CHECKING:
    from pydantic import BaseModel

    from ..adapters.projections import PartnershipSummary, ReadModels

_limit = click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True, help="At most this many.")
_after = click.option("--after", metavar="ID", help="Go on after this id, the last one of the previous page.")


@contextmanager
def _read_models(settings: Settings) -> Iterator[ReadModels]:
    """Open the store, catch up, and hand the read models to the block."""
    from ..adapters.projections import ReadModels, catch_up

    with run(settings) as app:
        catch_up(app)
        yield ReadModels(app)


def _echo_documents(
    settings: Settings, documents: Sequence[BaseModel], rows: list[dict[str, Any]], columns: Sequence[str]
) -> None:
    if settings.as_json:
        echo_json([document.model_dump(mode="json") for document in documents])
    else:
        echo_table(rows, columns)


def summary_fields(summary: PartnershipSummary) -> dict[str, Any]:
    """A partnership summary as people read it."""
    from ..adapters.projections.wording import day_text, exact_money_text, projects_text

    investment = summary.investment
    return {
        "partnership": summary.name,
        "id": str(summary.id),
        "since": summary.since,
        "stage": summary.stage.value,
        "status": summary.status.value + (f" since {summary.status_since}" if summary.status_since else ""),
        "fields": [field.value for field in summary.fields],
        "conferences": summary.conferences,
        "projects": projects_text(summary.projects_by_category, summary.projects_total),
        "signed": [
            f"{projects_text(signings.projects_by_category, signings.projects_total)}"
            f" at the {day_text(signings.held_on)} conference"
            for signings in summary.signings
        ],
        "investment": investment
        and f"{investment.enterprises} enterprises, "
        f"{exact_money_text(investment.amount.amount, investment.amount.currency)}, as of {investment.as_of}",
        "initiatives": [f"{initiative.name} ({initiative.kind.value})" for initiative in summary.initiatives],
        "last activity": summary.last_activity,
    }


@click.command()
@click.argument("partnership_id", required=False, metavar="[ID]")
@_limit
@_after
@pass_settings
def partnerships(settings: Settings, partnership_id: str | None, limit: int, after: str | None) -> None:
    """List partnerships, or show one by its id.

    \b
    Example:
      citycoop partnerships
      citycoop --json partnerships 712a8a14-4928-5786-9e6c-a9b3845f5511
    """
    with _read_models(settings) as read_models:
        if partnership_id is not None:
            summary = read_models.partnership(partnership_id)
            if settings.as_json:
                echo_json(summary.model_dump(mode="json"))
            else:
                echo_fields(summary_fields(summary))
            return
        found = read_models.partnerships(limit=limit, after=after)
    _echo_documents(
        settings,
        found,
        [
            {
                "name": summary.name,
                "since": summary.since,
                "stage": summary.stage.value,
                "status": summary.status.value,
                "conferences": str(summary.conferences),
                "projects": str(summary.projects_total),
                "id": str(summary.id),
            }
            for summary in found
        ],
        ("name", "since", "stage", "status", "conferences", "projects", "id"),
    )


@click.command()
@click.argument("conference_id", required=False, metavar="[ID]")
@click.option("--partnership", metavar="ID", help="Only this partnership's conferences.")
@_limit
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
    from ..adapters.projections.wording import projects_text

    with _read_models(settings) as read_models:
        if conference_id is not None:
            _echo_one(settings, read_models.conference(conference_id))
            return
        found = read_models.conferences(partnership, limit=limit, after=after)
    _echo_documents(
        settings,
        found,
        [
            {
                "held on": entry.held_on,
                "partnership": entry.partnership,
                "host city": entry.host_city,
                "attendance": _attendance(entry.attendance, entry.attendance_is_approximate),
                "projects": projects_text(entry.projects_by_category, entry.projects_total),
                "title": entry.title,
                "id": str(entry.id),
            }
            for entry in found
        ],
        ("held on", "partnership", "host city", "attendance", "projects", "title", "id"),
    )


def _attendance(attendance: int | None, approximate: bool) -> str | None:
    if attendance is None:
        return None
    return f"about {attendance}" if approximate else str(attendance)


@click.command()
@click.argument("agreement_id", required=False, metavar="[ID]")
@click.option("--partnership", metavar="ID", help="Only signings within this partnership.")
@click.option("--conference", metavar="ID", help="Only signings at this conference.")
@click.option("--category", help="Only this category of project, e.g. strategic.")
@click.option("--status", help="Only signings with this status, e.g. in-progress.")
@_limit
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
    with _read_models(settings) as read_models:
        if agreement_id is not None:
            _echo_one(settings, read_models.agreement(agreement_id))
            return
        found = read_models.agreements(
            partnership, conference_id=conference, category=category, status=status, limit=limit, after=after
        )
    _echo_documents(
        settings,
        found,
        [
            {
                "signed on": entry.signed_on,
                "partnership": entry.partnership,
                "category": entry.category.value,
                "count": str(entry.count),
                "named": str(len(entry.projects)),
                "status": entry.status.value,
                "conference": entry.conference,
                "id": str(entry.id),
            }
            for entry in found
        ],
        ("signed on", "partnership", "category", "count", "named", "status", "conference", "id"),
    )


@click.command()
@click.argument("name", required=False)
@_limit
@click.option("--after", metavar="KEY", help="Go on after this city key, the last one of the previous page.")
@pass_settings
def cities(settings: Settings, name: str | None, limit: int, after: str | None) -> None:
    """The city directory: each city with its partners and the projects it
    shares with each; or one city by its name.

    \b
    Example:
      citycoop cities
      citycoop cities Wuxi
    """
    with _read_models(settings) as read_models:
        found = [read_models.city(name)] if name is not None else read_models.cities(limit=limit, after=after)
    if name is not None and settings.as_json:
        echo_json(found[0].model_dump(mode="json"))
        return
    _echo_documents(
        settings,
        found,
        [
            {
                "city": city.name,
                "country": city.country,
                "partner": partner.name,
                "partnership": partner.partnership,
                "status": partner.status.value,
                "projects": str(partner.projects_shared),
            }
            for city in found
            for partner in city.partners
        ],
        ("city", "country", "partner", "partnership", "status", "projects"),
    )


@click.command()
@click.argument("partnership_id", metavar="PARTNERSHIP_ID")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many events.")
@click.option("--after", type=int, metavar="POSITION", help="Go on after the event at this log position.")
@pass_settings
def timeline(settings: Settings, partnership_id: str, limit: int | None, after: int | None) -> None:
    """A partnership's history in business-date order, corrections applied.

    \b
    Example:
      citycoop timeline 712a8a14-4928-5786-9e6c-a9b3845f5511
    """
    with _read_models(settings) as read_models:
        found = read_models.timeline(partnership_id, limit=limit, after=after)
    _echo_documents(
        settings,
        found,
        [
            {
                "date": entry.business_date or f"({entry.sorts_on})",
                "event": entry.event,
                "what happened": entry.summary + (" [corrected]" if entry.corrections else ""),
                "position": str(entry.position),
            }
            for entry in found
        ],
        ("date", "event", "what happened", "position"),
    )


def _echo_one(settings: Settings, document: BaseModel) -> None:
    if settings.as_json:
        echo_json(document.model_dump(mode="json"))
    else:
        echo_fields(document.model_dump(mode="json"))


@click.command()
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write one <Model>.schema.json file per read model into this folder instead of printing.",
)
def schema(output: Path | None) -> None:
    """Print the read models' JSON Schema, the contract other services rely on.

    \b
    Example:
      citycoop schema
      citycoop schema --output schemas
    """
    from ..adapters.projections.schemas import schema_files

    files = schema_files()
    if output is None:
        echo_json({name.removesuffix(".schema.json"): document for name, document in files.items()})
        return
    import json

    output.mkdir(parents=True, exist_ok=True)
    for name, document in files.items():
        (output / name).write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        click.echo(output / name)


QUERY_COMMANDS: tuple[click.Command, ...] = (partnerships, conferences, agreements, cities, timeline, schema)
