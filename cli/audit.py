"""What auditors run to prove the log: ``audit verify|seal|as-of``, ``export``
and ``restore``. Each opens one of the store's doors, asks or does one thing
and prints the answer (with --json, as JSON)."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING
from uuid import UUID

import click

from .context import Settings, UsageError, pass_settings, reading, writing
from .history import moment
from .output import BlamingWriter, export_file
from .render import echo_fields, echo_json, echo_table

if TYPE_CHECKING:
    from ..adapters.reads import ReadModel, ReadModels


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
    with reading(settings) as reads:
        report = reads.verify(expect=expect)
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
    with writing(settings) as writes:
        head = writes.seal()
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
    from ..adapters.reads import Moment

    with reading(settings) as reads:
        moment_asked = Moment(position=position) if position is not None else Moment(time=moment(at, "at"))
        past = reads.read_models(moment_asked, partnership)
        if partnership is None:
            found = getattr(past, view)(limit=limit)
        else:
            found = _of_partnership(past, view, partnership, limit)
        documents = [document.model_dump(mode="json") for document in found]
    shown = position if position is not None else past.as_of
    if settings.as_json:
        echo_json({"position": shown, "as_of": at, "view": view, "documents": documents})
        return
    click.echo(f"as of position {shown}" + (f" ({at})" if at else ""))
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
@click.argument("file", type=click.Path(path_type=Path), required=False)
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists (a regular, writable file, never the store).")
@pass_settings
def export(settings: Settings, file: Path | None, force: bool) -> None:
    """Write the whole log as JSON Lines (to FILE, or to standard output):
    every event with its position, record, version, fields, provenance and
    hashes, between a header and a closing line with the chain's head.

    An existing FILE is refused unless --force is given; the store's own
    file, and anything that is not a regular file, always.

    \b
    Example:
      citycoop export citycoop-2023-05-06.jsonl
      citycoop export --force citycoop-2023-05-06.jsonl
    """
    from ..adapters.reads import StoreLocation

    if file is None:
        with reading(settings) as reads:
            reads.export(BlamingWriter(sys.stdout, "standard output"))
        return
    store_file = StoreLocation.from_environment(settings.store).sqlite_path
    with reading(settings) as reads, export_file(file, force=force, store_file=store_file) as out:
        head = reads.export(BlamingWriter(out, f"file {file}"))
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
    with lines, writing(settings) as writes:
        try:
            restored = writes.restore(lines)
        except UnicodeDecodeError as error:
            raise UsageError(f"file: {file} is not UTF-8 text ({error.reason})") from None
    document = {"events": restored.events, "position": restored.head.position, "hash": restored.head.hash}
    if settings.as_json:
        echo_json(document)
    else:
        echo_fields(document)
