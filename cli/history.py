"""What auditors ask of records and of the log: ``history``, ``log`` and
``state``. Each opens the store's read door, asks one question and prints the
answer (with --json, as JSON)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID

import click

from .context import Settings, UsageError, pass_settings, reading
from .render import echo_fields, echo_json, echo_table


def moment(text: str | None, option: str, *, end_of_day: bool = True) -> datetime | None:
    from ..adapters.reads import parse_time

    return None if text is None else parse_time(text, field=option, end_of_day=end_of_day)


@click.command()
@click.argument("record_id", metavar="ID", type=click.UUID)
@pass_settings
def history(settings: Settings, record_id: UUID) -> None:
    """Every event of a partnership, conference or agreement: its position in
    the log, version, type, when it was recorded, its business date, who
    recorded it from what source in which command, and what it changed.

    \b
    Example:
      citycoop history 712a8a14-4928-5786-9e6c-a9b3845f5511
    """
    with reading(settings) as reads:
        entries = reads.history(record_id)
    if settings.as_json:
        echo_json([entry.to_json() for entry in entries])
        return
    for entry in entries:
        event = entry.event
        click.echo(
            f"#{event.position}  version {event.version}  {event.record}.{event.type}"
            f"  recorded {event.recorded_at.isoformat()}  business date {event.business_date or '-'}"
        )
        click.echo(
            f"    by {event.actor}  source {event.source or '-'}  correlation {event.correlation_id}"
            + (f"  key {event.idempotency_key}" if event.idempotency_key else "")
        )
        for path, change in entry.changes.items():
            click.echo(f"    {path}: {_short(change.before)} -> {_short(change.after)}")


@click.command()
@click.option("--after", type=click.IntRange(min=0), default=0, show_default=True, help="Start after this position.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True, help="Events per page.")
@click.option("--record", "record_id", type=click.UUID, metavar="ID", help="Only this record's events.")
@click.option("--type", "types", multiple=True, help="Only events of this type (Corrected, Partnership.Established…).")
@click.option("--actor", help="Only events recorded by this actor.")
@click.option("--since", metavar="TIMESTAMP", help="Only events recorded at or after this date or time.")
@click.option("--until", metavar="TIMESTAMP", help="Only events recorded at or before this date or time.")
@pass_settings
def log(
    settings: Settings,
    *,
    after: int,
    limit: int,
    record_id: UUID | None,
    types: tuple[str, ...],
    actor: str | None,
    since: str | None,
    until: str | None,
) -> None:
    """The global log in order of position, a page at a time, filtered by
    record, event type, actor and recorded time (dates are whole days, UTC).

    \b
    Example:
      citycoop log --type Corrected --since 2023-05-01 --until 2023-05-31
      citycoop log --after 50 --limit 50
    """
    from ..adapters.reads import LogFilter

    with reading(settings) as reads:
        selection = LogFilter(
            record_id=record_id,
            types=types,
            actor=actor,
            since=moment(since, "since", end_of_day=False),
            until=moment(until, "until"),
        )
        page = reads.log(selection, after=after, limit=limit)
    if settings.as_json:
        echo_json({"entries": [entry.to_json() for entry in page.entries], "next_after": page.next_after})
        return
    rows = [
        {**entry.to_json(), "type": f"{entry.record}.{entry.type}", "recorded_at": entry.recorded_at.isoformat()}
        for entry in page.entries
    ]
    echo_table(rows, ["position", "recorded_at", "type", "record_id", "version", "actor", "business_date"])
    if page.next_after is not None:
        click.echo(f"more: citycoop log --after {page.next_after}")


@click.command()
@click.argument("record_id", metavar="ID", type=click.UUID)
@click.option("--version", type=int, help="The record as of this version.")
@click.option("--as-of", metavar="TIMESTAMP", help="The record as the register stood then (a date: its end, UTC).")
@click.option("--true-on", metavar="DATE", help="What was true on this business date, as known --as-of (or now).")
@pass_settings
def state(settings: Settings, record_id: UUID, version: int | None, as_of: str | None, true_on: str | None) -> None:
    """A record as it is, as of a version, or as the register stood at a
    recorded time; with --true-on, what was true on a business date as far as
    was known then (corrections recorded later change what is known about the past).

    \b
    Example:
      citycoop state 712a8a14-4928-5786-9e6c-a9b3845f5511 --version 2
      citycoop state 712a8a14-4928-5786-9e6c-a9b3845f5511 --as-of 2023-05-04
      citycoop state 712a8a14-4928-5786-9e6c-a9b3845f5511 --true-on 2023-05-04 --as-of 2024-01-01
    """
    from datetime import UTC

    if version is not None and (as_of is not None or true_on is not None):
        raise UsageError("--version: give either --version or --as-of/--true-on")
    with reading(settings) as reads:
        document: dict[str, Any]
        if true_on is not None:
            known_on = moment(as_of, "as_of") or datetime.now(tz=UTC)
            document = reads.state_known_on(record_id, known_on=known_on, true_on=true_on).to_json()
        else:
            document = reads.state(record_id, version=version, at=moment(as_of, "as_of")).to_json()
    if settings.as_json:
        echo_json(document)
        return
    facts = document.pop("state")
    echo_fields({**document, **(facts if facts is not None else {"state": "not on record yet on that date"})})


def _short(value: Any) -> str:
    text = "-" if value is None else value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 100 else text[:99] + "…"
