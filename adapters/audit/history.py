"""The history of one record: each of its events with what it changed.

The record is replayed once, event by event, and its state compared before
and after each one, so a history costs one read of the record, not one
reconstruction per version.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from ...domain.aggregate import Aggregate, AggregateState
from ...domain.errors import NotFoundError
from ..storage.sql import RawEvent
from .event_log import LogEntry, entry
from .storage import Storage

BOOKKEEPING = frozenset(AggregateState.model_fields)
"""State every record keeps for itself (idempotency keys, which event stated
which fact): not facts an auditor compares."""

_ABSENT: Any = object()


@dataclass(frozen=True)
class Change:
    before: Any
    after: Any


@dataclass(frozen=True)
class HistoryEntry:
    event: LogEntry
    changes: dict[str, Change]
    """Each field the event changed, by its path (``investment.enterprises``)."""

    def to_json(self) -> dict[str, Any]:
        return {
            **self.event.to_json(),
            "changes": {path: {"before": c.before, "after": c.after} for path, c in self.changes.items()},
        }


def history(storage: Storage, mapper: Any, record_id: UUID) -> list[HistoryEntry]:
    """Every event of the record, oldest first; ``mapper`` is the application's."""
    with storage.reading() as c:
        raws = storage.record_events(c, record_id)
    if not raws:
        raise NotFoundError(f"id: no record {record_id} is on file")
    found = []
    record: Aggregate | None = None
    before: dict[str, Any] = {}
    for raw in raws:
        record = mapper.to_domain_event(stored_event(raw)).mutate(record)
        assert record is not None
        after = facts(record)
        found.append(HistoryEntry(entry(raw), changes(before, after)))
        before = after
    return found


def stored_event(raw: RawEvent) -> StoredEvent:
    return StoredEvent(UUID(bytes=raw.identity), raw.version, raw.topic, raw.state)


def facts(record: Aggregate) -> dict[str, Any]:
    """The record's state as JSON values, without its bookkeeping."""
    state: dict[str, Any] = record.state.model_dump(mode="json", exclude=set(BOOKKEEPING))
    return state


def changes(before: Any, after: Any, path: str = "") -> dict[str, Change]:
    """Field-level differences: objects field by field, lists item by item
    (``initiatives[1]``), anything else as a whole."""
    found: dict[str, Change] = {}
    if isinstance(before, dict) and isinstance(after, dict):
        for key in [*after, *(key for key in before if key not in after)]:
            found.update(changes(before.get(key, _ABSENT), after.get(key, _ABSENT), f"{path}.{key}" if path else key))
        return found
    if isinstance(before, list) and isinstance(after, list) and before != after:
        for index in range(max(len(before), len(after))):
            item_before = before[index] if index < len(before) else _ABSENT
            item_after = after[index] if index < len(after) else _ABSENT
            found.update(changes(item_before, item_after, f"{path}[{index}]"))
        return found
    before, after = (None if value is _ABSENT else value for value in (before, after))
    return {} if before == after else {path: Change(before, after)}
