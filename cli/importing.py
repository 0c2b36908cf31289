"""``citycoop import FILE``: record a YAML or JSON file of commands, all or nothing."""

from __future__ import annotations

from pathlib import Path
from time import perf_counter
from typing import TYPE_CHECKING

import click

from .context import Settings, UsageError, pass_settings, writing
from .recording import Bar, warn_if_behind
from .render import echo_json, echo_table

if TYPE_CHECKING:
    from ..adapters.writes import Entry, Recorded


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@pass_settings
def import_file(settings: Settings, file: Path) -> None:
    """Record the commands in FILE (YAML or JSON; - reads YAML from standard
    input) in one transaction: all of them, or, if any is invalid or refused,
    none.

    FILE holds `entries`, a list of commands in order, each a `kind` (as the
    `citycoop record` commands are named) with that command's fields in
    snake_case, plus optionally `as` (a local name that later entries use in
    place of an id), `key` (an idempotency key: importing the file again
    records nothing new) and `source`; and optionally a `source` for all
    entries. The whole file is checked before anything is written; an error
    names the entry (its number and local name) and the field.

    \b
    Example (wuxi-singapore.yaml):
      source: "PRNewswire, Beijing, 6 May 2023"
      entries:
        - kind: establish-partnership
          as: wuxi-singapore
          key: wuxi-singapore/established
          city_a: {name: Wuxi, country: China}
          city_b: {name: Singapore, country: Singapore}
          since: "1993"
        - kind: report-investment
          partnership: wuxi-singapore
          enterprises: 700
          amount: "16400000000"
          as_of: "2023-05-05"
    \b
      citycoop import wuxi-singapore.yaml
    """
    from ..adapters.writes import read_import_file
    from ..domain.errors import InvalidInputError

    started = perf_counter()
    try:
        default_source, entries = read_import_file(file)
    except InvalidInputError as error:
        raise UsageError(str(error)) from None
    with (
        writing(settings) as writes,
        Bar("Checking entries", length=len(entries), then="Writing to the store", unit="entries") as checking,
        Bar("Updating read models", unit="events") as updating,
    ):

        def catching_up(done: int, total: int) -> None:
            checking.finish()
            updating.reach(done, total)

        batch = writes.import_entries(
            entries,
            actor=settings.actor,
            source=settings.source or default_source,
            progress=checking.advance,
            catching_up=catching_up,
        )
    warn_if_behind(batch)
    _report(settings, "standard input" if str(file) == "-" else str(file), entries, batch, perf_counter() - started)


def _report(settings: Settings, file: str, entries: list[Entry], batch: Recorded, seconds: float) -> None:
    """The records the entries named (``as``), then one line: the events, the
    records they were recorded on and the seconds the whole import took."""
    rows = [
        {"entry": entry.index, "name": entry.name, "kind": entry.kind, "id": str(record_id)}
        for entry, record_id in zip(entries, batch.ids, strict=True)
    ]
    records = len(set(batch.ids))
    if settings.as_json:
        echo_json(
            {"file": file, "events": batch.events, "records": records, "seconds": round(seconds, 3), "entries": rows}
        )
        return
    named = [row for row in rows if row["name"] is not None]
    if named:
        echo_table(named, ["entry", "name", "kind", "id"])
        click.echo()
    taken = f"in {seconds:,.2f} s"
    on = f"{records:,} record{'' if records == 1 else 's'}"
    if batch.events:
        click.echo(
            f"Recorded {batch.events:,} new events on {on} from the {len(entries):,} entries of {file} {taken}"
            f" ({batch.events / max(seconds, 1e-9):,.0f} events/s)."
        )
    else:
        click.echo(f"Nothing new: the {len(entries):,} entries of {file}, on {on}, were recorded before ({taken}).")
