"""What a record's history page shows: each event of the record with its
metadata and the fields it changed, as ``citycoop history`` prints them, and
what the record is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from ...reads import HistoryEntry, projects_text
from .views import date_text, value_text


@dataclass(frozen=True)
class ChangeRow:
    path: str
    before: str | None
    """None where the field did not exist before (the event stated it first)."""
    after: str | None
    """None where the event removed the field."""


@dataclass(frozen=True)
class HistoryRow:
    position: int
    version: int
    event: str
    recorded_at: datetime
    business_date: str
    actor: str
    source: str
    correlation_id: str
    idempotency_key: str | None
    changes: list[ChangeRow]


def history_row(entry: HistoryEntry) -> HistoryRow:
    event = entry.event
    return HistoryRow(
        position=event.position,
        version=event.version,
        event=f"{event.record}.{event.type}",
        recorded_at=event.recorded_at,
        business_date=date_text(event.business_date),
        actor=event.actor,
        source=value_text(event.source),
        correlation_id=event.correlation_id,
        idempotency_key=event.idempotency_key,
        changes=[
            ChangeRow(
                path,
                None if change.before is None else value_text(change.before),
                None if change.after is None else value_text(change.after),
            )
            for path, change in entry.changes.items()
        ],
    )


@dataclass(frozen=True)
class RecordTitle:
    kind: str
    """Partnership, Conference or Agreement."""
    name: str
    partnership_id: UUID | None


def record_title(entries: list[HistoryEntry]) -> RecordTitle:
    """What the record is, as its first event stated it, and the partnership it belongs to."""
    first = entries[0].event
    fields = first.fields
    match first.record:
        case "Partnership":
            name = "–".join(str(city.get("name")) for city in fields.get("cities", ()))
            partnership: Any = str(first.record_id)
        case "Conference":
            name, partnership = str(fields.get("title", "")), fields.get("partnership_id")
        case _:
            count = int(fields.get("count", 0))
            name = projects_text({str(fields.get("category")): count}, count)
            partnership = fields.get("partnership_id")
    return RecordTitle(first.record, name, None if partnership is None else UUID(str(partnership)))
