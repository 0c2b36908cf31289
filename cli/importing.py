"""``citycoop import FILE``: record a YAML or JSON file of commands, all or nothing."""

from __future__ import annotations

from pathlib import Path
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

    try:
        default_source, entries = read_import_file(file)
    except InvalidInputError as error:
        raise UsageError(str(error)) from None
    with (
        writing(settings) as writes,
        Bar("Checking entries", length=len(entries), then="Writing to the store") as checking,
        Bar("Updating read models") as updating,
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
    _report(settings, "standard input" if str(file) == "-" else str(file), entries, batch)


def _report(settings: Settings, file: str, entries: list[Entry], batch: Recorded) -> None:
    rows = [
        {"entry": entry.index, "name": entry.name, "kind": entry.kind, "id": str(record_id)}
        for entry, record_id in zip(entries, batch.ids, strict=True)
    ]
    if settings.as_json:
        echo_json({"file": file, "events": batch.events, "entries": rows})
        return
    if batch.events:
        click.echo(f"Recorded {batch.events:,} new events from the {len(entries):,} entries of {file}.")
    else:
        click.echo(f"Nothing new: the {len(entries):,} entries of {file} were recorded before.")
    named = [row for row in rows if row["name"] is not None]
    if named:
        click.echo()
        echo_table(named, ["entry", "name", "kind", "id"])
