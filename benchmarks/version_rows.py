"""The floor of a rebuild of read models versioned by log position: what any
design that can answer "as of position P" by a query must write at least.

Such a design keeps, for every key of every read model, a new row each time
an event changes it, stamped with the event's position (the row as of P is
the last one at or before P). So, beside reading and decoding each event, a
rebuild writes one row per changed key per event; the one-row-per-event
floor (``measures.row_per_event_table``) writes one in all. Which keys an
event changes follows the projections (``adapters/projections``):

- the timeline: the event's own entry, or for a correction the entry it corrects;
- the partnership summaries: the event's partnership's, for its own events,
  a conference held or retitled or redated, a signing, and a correction of
  its count, qualifier or date (a project introduced or named, or a
  signing's status, moves only the last activity, and not always: left out);
- the conference register: a conference's entry for its own events, and
  for a signing at it and a correction of its count or qualifier;
- the agreement register: a signing's entry for its own events, and every
  signing at a conference whose correction changes their title or date;
- the city directory: both cities of a partnership when it is established,
  changes status or is marked a duplicate, and when a signing's count is
  set or corrected (the projects the cities share).

A test (``tests/benchmarks/test_version_rows.py``) holds these to the rows
the projections change on the founding story and on a generated history.

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
SIGNINGS_FIELDS = frozenset({"title", "held_on"})
"""A conference's fields that its signings' entries repeat."""
COUNT_FIELDS = frozenset({"count", "count_qualifier"})

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
        field = data.get("field") if name == "Corrected" else None
        changed: dict[str, list[str]] = {}
        if field is None:
            changed["timeline"] = [str(event.position)]
        elif (corrected := self.positions.get((record_id, int(data["corrects_version"])))) is not None:
            changed["timeline"] = [str(corrected)]
        of_record = {"Partnership": self._partnership, "Conference": self._conference, "Agreement": self._agreement}
        return changed | of_record[event.record](record_id, name, field, data)

    def _partnership(self, record_id: str, name: str, field: str | None, data: Any) -> dict[str, list[str]]:
        if name == "Established":
            first, second = (f"{city['name']}|{city['country']}" for city in data["cities"])
            self.cities_of[record_id] = (first, second)
        changed = {"summaries": [record_id]}
        if name in CITY_EVENTS:
            changed["cities"] = list(self.cities_of[record_id])
        return changed

    def _conference(self, record_id: str, name: str, field: str | None, data: Any) -> dict[str, list[str]]:
        if name == "Held":
            self.partnership_of[record_id] = data["partnership_id"]
        changed = {"conferences": [record_id]}
        if field in SIGNINGS_FIELDS:
            changed["agreements"] = list(self.signings_at[record_id])
        if name == "Held" or field in SIGNINGS_FIELDS:
            changed["summaries"] = [self.partnership_of[record_id]]
        return changed

    def _agreement(self, record_id: str, name: str, field: str | None, data: Any) -> dict[str, list[str]]:
        if name == "Signed":
            self.partnership_of[record_id] = data["partnership_id"]
            self.conference_of[record_id] = data["conference_id"]
            self.signings_at[data["conference_id"]].append(record_id)
        partnership = self.partnership_of[record_id]
        signed = name == "Signed"
        changed = {"agreements": [record_id]}
        if signed or field in COUNT_FIELDS:
            changed["conferences"] = [self.conference_of[record_id]]
        if signed or field == "count":
            changed["cities"] = list(self.cities_of[partnership])
        if signed or field in (*COUNT_FIELDS, "signed_on"):
            changed["summaries"] = [partnership]
        return changed


def version_rows(page: Sequence[Notification], keys: ChangedKeys) -> list[Row]:
    """The rows a versioned rebuild writes for ``page``."""
    from citycoop.adapters.projections.events import decode
    from citycoop.adapters.projections.patches import dump

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
    ``location``, one transaction per page, committing as the read models do;
    returns the rows written. The rows go in in log order and are indexed by
    read model, key and position once all are in, as a rebuild indexes its
    tables for readers (inserting them into that index one by one, keys in
    no order, was slower here: 15-19k events/s against 17-21k at 100k).
    ``bare_table`` is ``measures._bare_table``."""
    keys = ChangedKeys()
    with bare_table(
        kind,
        location,
        "versions",
        sqlite_columns="model TEXT, key TEXT, position INTEGER, document TEXT",
        postgres_columns="model text, key text, position bigint, document text",
        columns="model, key, position, document",
        durable=False,
        indexed_last="model, key, position",
    ) as insert:

        def write(page: Sequence[Notification]) -> int:
            rows = version_rows(page, keys)
            insert(rows)
            return len(rows)

        yield write
