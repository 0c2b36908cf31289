"""What auditors run: ``history``, ``log``, ``state``, ``audit verify|seal|as-of``,
``export`` and ``restore``. Each opens the store, asks the auditor one
question and prints the answer (with --json, as JSON)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

import click

from .context import Settings, UsageError, pass_settings, run
from .render import echo_fields, echo_json, echo_table

if TYPE_CHECKING:
    from ..adapters.audit.auditor import Auditor
    from ..adapters.projections.models import ReadModel
    from ..adapters.projections.queries import ReadModels


@contextmanager
def auditing(settings: Settings) -> Iterator[Auditor]:
    from ..adapters.audit.auditor import Auditor

    with run(settings) as app:
        yield Auditor(app)


def moment(text: str | None, option: str, *, end_of_day: bool = True) -> datetime | None:
    from ..adapters.audit.event_log import parse_moment

    return None if text is None else parse_moment(text, field=option, end_of_day=end_of_day)


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
    with auditing(settings) as auditor:
        entries = auditor.history(record_id)
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
    from ..adapters.audit.event_log import LogFilter

    with auditing(settings) as auditor:
        selection = LogFilter(
            record_id=record_id,
            types=types,
            actor=actor,
            since=moment(since, "since", end_of_day=False),
            until=moment(until, "until"),
        )
        page = auditor.log(selection, after=after, limit=limit)
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
    with auditing(settings) as auditor:
        document: dict[str, Any]
        if true_on is not None:
            known_on = moment(as_of, "as_of") or datetime.now(tz=UTC)
            document = auditor.record_known_on(record_id, known_on=known_on, true_on=true_on).to_json()
        else:
            document = auditor.record(record_id, version=version, as_of=moment(as_of, "as_of")).to_json()
    if settings.as_json:
        echo_json(document)
        return
    facts = document.pop("state")
    echo_fields({**document, **(facts if facts is not None else {"state": "not on record yet on that date"})})


@click.group()
def audit() -> None:
    """Prove that the log was not altered.

    \b
    Example:
      citycoop audit seal
      citycoop audit verify --expect 3f0c…  (the hash that seal printed)
    """


@audit.command()
@click.option("--expect", metavar="HASH", help="A head that 'audit seal' printed: the log must still extend it.")
@pass_settings
def verify(settings: Settings, expect: str | None) -> None:
    """Recompute every record's chain and the global chain over the whole
    log; report the first event that was changed, removed, inserted or
    reordered, and exit 1 if there is one (or if the log does not extend
    the expected head).

    \b
    Example:
      citycoop audit verify
      citycoop --json audit verify --expect 8d95b5518ecfba7a2291983079fd66e9e0a8ffa5b0a173a782bd87a9a3db2950
    """
    with auditing(settings) as auditor:
        report = auditor.verify(expect=expect)
    if settings.as_json:
        echo_json(report.to_json())
    else:
        click.echo(report.summary())
        for finding in report.findings[1:]:
            click.echo(f"  also at {finding}")
        if report.expected_at is not None:
            click.echo(f"the log extends the sealed head at position {report.expected_at}")
    if not report.ok:
        click.get_current_context().exit(1)


@audit.command()
@pass_settings
def seal(settings: Settings) -> None:
    """Extend the global chain to the end of the log and print its head
    (position and hash), for an auditor to keep somewhere else; 'audit verify
    --expect HASH' later proves that the log still extends it.

    \b
    Example:
      citycoop audit seal
    """
    with auditing(settings) as auditor:
        head = auditor.seal()
    if settings.as_json:
        echo_json({"position": head.position, "hash": head.hash})
    else:
        echo_fields({"position": head.position, "hash": head.hash})


_VIEWS = {
    "partnerships": ("name", "since", "conferences", "projects_total", "enterprises"),
    "conferences": ("partnership", "title", "held_on", "attendance", "projects_total"),
    "agreements": ("partnership", "conference_held_on", "category", "count", "status"),
    "cities": ("name", "country", "partners"),
}


@audit.command("as-of")
@click.option("--at", metavar="TIMESTAMP", help="As the register stood at this recorded time (a date: its end, UTC).")
@click.option("--position", type=click.IntRange(min=0), help="As the read models stood after this log position.")
@click.option("--view", type=click.Choice(list(_VIEWS)), default="partnerships", show_default=True)
@click.option(
    "--partnership",
    type=click.UUID,
    help="Only this partnership: built from its own records' events, not a replay of the log.",
)
@click.option("--limit", type=click.IntRange(min=1), default=100, show_default=True, help="At most this many.")
@pass_settings
def as_of(
    settings: Settings, *, at: str | None, position: int | None, view: str, partnership: UUID | None, limit: int
) -> None:
    """A read model as it stood at a recorded time or a log position, rebuilt
    aside from the log; the live projections are not touched.

    \b
    Example:
      citycoop audit as-of --at 2023-05-04
      citycoop --json audit as-of --position 2 --view conferences
      citycoop audit as-of --at 2023-05-05 --view agreements --partnership ID
    """
    if (at is None) == (position is None):
        raise UsageError("--at: give either --at or --position")
    if partnership is not None and view == "cities":
        raise UsageError("--partnership: the city directory spans partnerships; leave --partnership out")
    with auditing(settings) as auditor:
        if partnership is None:
            past = auditor.read_models_as_of(position=position, as_of=moment(at, "at"))
            found = getattr(past.read_models, view)(limit=limit)
        else:
            past = auditor.partnership_as_of(partnership, position=position, as_of=moment(at, "at"))
            found = _of_partnership(past.read_models, view, partnership, limit)
        documents = [document.model_dump(mode="json") for document in found]
    if settings.as_json:
        echo_json({"position": past.position, "as_of": at, "view": view, "documents": documents})
        return
    click.echo(f"as of position {past.position}" + (f" ({at})" if at else ""))
    for document in documents:
        document["enterprises"] = (document.get("investment") or {}).get("enterprises")
        document["partners"] = len(document.get("partners", []))
    echo_table(documents, _VIEWS[view])


def _of_partnership(read_models: ReadModels, view: str, partnership: UUID, limit: int) -> Sequence[ReadModel]:
    """The view's documents of one partnership: none if it was not yet on record."""
    from ..domain.errors import NotFoundError

    if view != "partnerships":
        found: Sequence[ReadModel] = getattr(read_models, view)(partnership, limit=limit)
        return found
    try:
        return [read_models.partnership(partnership)]
    except NotFoundError:
        return []


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), required=False)
@pass_settings
def export(settings: Settings, file: Path | None) -> None:
    """Write the whole log as JSON Lines (to FILE, or to standard output):
    every event with its position, record, version, fields, provenance and
    hashes, between a header and a closing line with the chain's head.

    \b
    Example:
      citycoop export citycoop-2023-05-06.jsonl
    """
    with auditing(settings) as auditor:
        if file is None:
            auditor.export(sys.stdout)
            return
        partial = file.with_name(f".{file.name}.partial")
        try:
            with partial.open("w", encoding="utf-8") as out:
                head = auditor.export(out)
            partial.replace(file)
        except OSError as error:
            raise UsageError(f"file: cannot write {file}: {error.strerror or error}") from None
        finally:
            partial.unlink(missing_ok=True)
    document = {"file": str(file), "position": head.position, "hash": head.hash}
    if settings.as_json:
        echo_json(document)
    else:
        echo_fields(document)


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@pass_settings
def restore(settings: Settings, file: Path) -> None:
    """Re-import an export into an empty store: the same events at the same
    positions, so the same states, read models and chain head. A file that
    was cut off or edited is refused with the line that is wrong, and
    nothing is written.

    \b
    Example:
      citycoop --store restored.db restore citycoop-2023-05-06.jsonl
    """
    try:
        lines = file.open(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"file: cannot read {file}: {error.strerror or error}") from None
    with lines, auditing(settings) as auditor:
        try:
            restored = auditor.restore(lines)
        except UnicodeDecodeError as error:
            raise UsageError(f"file: {file} is not UTF-8 text ({error.reason})") from None
    document = {"events": restored.events, "position": restored.head.position, "hash": restored.head.hash}
    if settings.as_json:
        echo_json(document)
    else:
        echo_fields(document)


def _short(value: Any) -> str:
    text = "-" if value is None else value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 100 else text[:99] + "…"
