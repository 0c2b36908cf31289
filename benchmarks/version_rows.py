"""The floor of a rebuild of read models versioned by log position: what any
design that can answer "as of position P" by a query must write at least.

Such a design keeps, for every key of every read model, a new row each time
an event changes it, stamped with the event's position (the row as of P is
the last one at or before P). So, beside reading and decoding each event, a
rebuild writes one row per changed key per event; the one-row-per-event
floor (``measures.row_per_event_table``) writes one in all. Which keys an
event changes follows the projections (``adapters/projections``):

- the timeline: the event's own entry, and the entry a correction corrects;
- the partnership summaries: the summary of the event's partnership;
- the conference register: a conference's entry for its own events, and
  for the signings at it (their counts) and their corrections;
- the agreement register: a signing's entry for its own events, and every
  signing at a conference whose correction changes their title or date;
- the city directory: both cities of a partnership when it is established,
  changes status or is marked a duplicate, and when a signing's count is
  set or corrected (the projects the cities share).

Each row holds the event's fields as the one-row floor's does, a document
smaller than most read-model documents: what is left out (building the
document) makes this floor lower than any real versioned design, never higher.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.persistence import Notification

CITY_EVENTS = frozenset({"Established", "StatusChanged", "MarkedDuplicate"})

Row = tuple[str, str, int, str]
"""A read model, a key of it, the position of the event that changed it, the document."""


@dataclass
class ChangedKeys:
    """What the rebuild remembers from event to event to name the keys an
    event changes: each record's partnership, each partnership's cities,
    each conference's signings, each record version's position."""

    partnership_of: dict[str, str] = field(default_factory=dict)
    conference_of: dict[str, str] = field(default_factory=dict)
    cities_of: dict[str, tuple[str, str]] = field(default_factory=dict)
    signings_at: defaultdict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    positions: dict[tuple[str, int], int] = field(default_factory=dict)

    def of(self, event: Any) -> dict[str, list[str]]:
        """The keys of each read model that ``event`` (a decoded ``LoggedEvent``) changes."""
        record_id, data, name = event.record_id, event.data, event.name
        self.positions[record_id, event.version] = event.position
        changed: dict[str, list[str]] = {"timeline": [str(event.position)]}
        if name == "Corrected":
            corrected = self.positions.get((record_id, int(data["corrects_version"])))
            if corrected is not None:
                changed["timeline"].append(str(corrected))
        if event.record == "Partnership":
            partnership = record_id
            if name == "Established":
                first, second = (f"{city['name']}|{city['country']}" for city in data["cities"])
                self.cities_of[record_id] = (first, second)
            if name in CITY_EVENTS:
                changed["cities"] = list(self.cities_of[record_id])
        elif event.record == "Conference":
            if name == "Held":
                self.partnership_of[record_id] = data["partnership_id"]
            partnership = self.partnership_of[record_id]
            changed["conferences"] = [record_id]
            if name == "Corrected":
                changed["agreements"] = list(self.signings_at[record_id])
        else:
            if name == "Signed":
                self.partnership_of[record_id] = data["partnership_id"]
                self.conference_of[record_id] = data["conference_id"]
                self.signings_at[data["conference_id"]].append(record_id)
            partnership = self.partnership_of[record_id]
            changed["agreements"] = [record_id]
            if name == "Signed" or (name == "Corrected" and data["field"] == "count"):
                changed["conferences"] = [self.conference_of[record_id]]
                changed["cities"] = list(self.cities_of[partnership])
        changed["summaries"] = [partnership]
        return changed


def version_rows(page: Sequence[Notification], keys: ChangedKeys) -> list[Row]:
    """The rows a versioned rebuild writes for ``page``."""
    from citycoop.adapters.projections.events import decode
    from citycoop.adapters.projections.tables import dump

    rows: list[Row] = []
    for event in map(decode, page):
        document = dump(event.data)
        for model, changed in keys.of(event).items():
            rows.extend((model, key, event.position, document) for key in changed)
    return rows


@contextmanager
def version_table(
    bare_table: Callable[..., Any], kind: str, location: str
) -> Iterator[Callable[[Sequence[Notification]], int]]:
    """A function that writes the version rows of a page into a new table of
    ``location``, keyed by read model, key and position, one transaction per
    page, committing as the read models do; returns the rows written.
    ``bare_table`` is ``measures._bare_table``."""
    keys = ChangedKeys()
    with bare_table(
        kind,
        location,
        "versions",
        sqlite_columns="model TEXT, key TEXT, position INTEGER, document TEXT, PRIMARY KEY (model, key, position)",
        postgres_columns="model text, key text, position bigint, document text, PRIMARY KEY (model, key, position)",
        columns="model, key, position, document",
        durable=False,
    ) as insert:

        def write(page: Sequence[Notification]) -> int:
            rows = version_rows(page, keys)
            insert(rows)
            return len(rows)

        yield write
