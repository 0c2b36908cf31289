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

from citycoop.cli.context import Settings, pass_settings, run
from citycoop.cli.render import echo_fields, echo_json, echo_table

if TYPE_CHECKING:
    from pydantic import BaseModel

    from citycoop.adapters.projections import PartnershipSummary, ReadModels

_limit = click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True, help="At most this many.")
_after = click.option("--after", metavar="ID", help="Go on after this id, the last one of the previous page.")


@contextmanager
def _read_models(settings: Settings) -> Iterator[ReadModels]:
    """Open the store, catch up, and hand the read models to the block."""
    from citycoop.adapters.projections import ReadModels, catch_up

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
    from citycoop.adapters.projections.wording import day_text, exact_money_text, projects_text

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
            echo_json(summary.model_dump(mode="json")) if settings.as_json else echo_fields(summary_fields(summary))
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
    from citycoop.adapters.projections.schemas import schema_files

    files = schema_files()
    if output is None:
        echo_json({name.removesuffix(".schema.json"): document for name, document in files.items()})
        return
    import json

    output.mkdir(parents=True, exist_ok=True)
    for name, document in files.items():
        (output / name).write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        click.echo(output / name)


QUERY_COMMANDS: tuple[click.Command, ...] = (partnerships, schema)
