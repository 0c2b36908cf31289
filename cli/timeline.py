"""``citycoop timeline``: a partnership's history in business-date order."""

from __future__ import annotations

import click

from .context import Settings, pass_settings
from .queries import caught_up, echo_documents


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
    from ..adapters.reads import when_text

    with caught_up(settings) as read_models:
        found = read_models.timeline(partnership_id, limit=limit, after=after)
    echo_documents(
        settings,
        found,
        [
            {
                "date": when_text(entry.business_date, entry.business_date_kind, entry.date_derived_from),
                "event": entry.event,
                "what happened": entry.summary + (" [corrected]" if entry.corrections else ""),
                "position": str(entry.position),
            }
            for entry in found
        ],
        ("date", "event", "what happened", "position"),
    )
