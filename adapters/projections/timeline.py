"""Timelines: each partnership's events — its own, its conferences' and its
agreements' — in business-date order, each with its corrections applied and
listed, so the history reads as it is now known to have happened."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .events import LoggedEvent
from .projection import Batch, ReadModelProjection, handles
from .tables import Document, Table, set_path
from .wording import day_text, figure_text, money_text, projects_text

TIMELINE = Table(
    "timeline",
    ("position", "BIGINT"),
    (
        ("partnership_id", "TEXT"),
        ("record_id", "TEXT"),
        ("record_position", "BIGINT"),
        ("version", "BIGINT"),
        ("sorts_on", "TEXT"),
    ),
    # Undated entries sort first: as "" before every date, on both stores and
    # in the pages' comparisons alike, where NULL would sort last on
    # PostgreSQL and compare as unknown.
    lambda d: (d["partnership_id"], d["record_id"], d["record_position"], d["version"], d["sorts_on"] or ""),
    ("partnership_id, sorts_on, position",),
    # Corrections find the entries of a record by the position of its first
    # event, not by its id: most events are of records created lately, so the
    # index grows at its end instead of at a random page for every event.
    ("record_position, version",),
    cached=False,
)
RECORDS = Table("timeline_records", ("id", "TEXT"), public=False)
"""Each record's partnership, kind and date (a conference's or an agreement's)."""

_NOT_DETAILS = {"meta", "timestamp", "originator_topic"}
_EVENT_FIELD_OF_FACT = {"investment": "figures"}
"""Where an event keeps a fact that the record's state names differently."""


_FACT_DATES: dict[str, tuple[str, ...]] = {
    "Established": ("since",),
    "Held": ("held_on",),
    "Signed": ("signed_on",),
    "StageChanged": ("on",),
    "StatusChanged": ("on",),
    "InvestmentReported": ("figures", "as_of"),
    "InitiativeLaunched": ("initiative", "started"),
}
"""Where each kind of event states its own date, for those that do."""


def _fact_date(event: str, details: Document) -> str | None:
    value: Any = details
    for name in _FACT_DATES.get(event, ()):
        value = value.get(name) if isinstance(value, dict) else None
    return value if isinstance(value, str) else None


def summarise(record: str, event: str, details: Document) -> str:  # noqa: PLR0911 - one return per kind of event
    """One line for people, from the details as corrected."""
    match record, event:
        case "Partnership", "Established":
            first, second = (city["name"] for city in details["cities"])
            return f"{first} and {second} became partners ({details['stage']}), since {details['since']}"
        case "Partnership", "StageChanged":
            return f"The partnership became a {details['stage']}"
        case "Partnership", "FieldAdded":
            return f"{details['field']} became a field of cooperation"
        case "Partnership", "InvestmentReported":
            figures = details["figures"]
            amount = money_text(figures["amount"]["amount"], figures["amount"]["currency"])
            enterprises = figure_text(figures["enterprises"], figures.get("enterprises_qualifier"))
            amount = figure_text(amount, figures.get("amount_qualifier"))
            return f"{enterprises} enterprises had invested {amount}, as of {figures['as_of']}"
        case "Partnership", "InitiativeLaunched":
            return f"{details['initiative']['name']} was launched ({details['initiative']['kind']})"
        case "Partnership" | "Agreement", "StatusChanged":
            return f"The {record.lower()} became {details['status']}"
        case "Conference", "Held":
            guests = details["attendance"]
            attendance = (
                f", {figure_text(guests, details.get('attendance_qualifier'))} guests" if guests is not None else ""
            )
            return f"{details['title']} held in {details['host_city']} on {day_text(details['held_on'])}{attendance}"
        case "Conference", "ProjectIntroduced":
            return f"{details['project']['name']} was introduced"
        case "Agreement", "Signed":
            category, count, qualifier = details["category"], details["count"], details.get("count_qualifier")
            return f"{projects_text({category: count}, count, {category: qualifier} if qualifier else None)} signed"
        case "Agreement", "ProjectNamed":
            return f"{details['project']['name']} was named as a signed project"
    return f"{record} {event}"


class _TimelineBatch(Batch):
    def prefetch(self, events: Sequence[LoggedEvent]) -> None:
        self.records.prefetch(event.record_id for event in events)

    @property
    def timeline(self) -> Any:
        return self.tables[TIMELINE.name]

    @property
    def records(self) -> Any:
        return self.tables[RECORDS.name]

    @handles("Partnership", "Established")
    def established(self, event: LoggedEvent) -> None:
        self.created(event, event.record_id, None)

    @handles("Conference", "Held")
    def held(self, event: LoggedEvent) -> None:
        self.created(event, event.data["partnership_id"], event.data["held_on"])

    @handles("Agreement", "Signed")
    def signed(self, event: LoggedEvent) -> None:
        self.created(event, event.data["partnership_id"], event.data["signed_on"])

    def created(self, event: LoggedEvent, partnership_id: str, date: str | None) -> None:
        """Remember the record that ``event`` created (its partnership, kind,
        date and first position), then put the event on the timeline."""
        self.records.put(
            event.record_id,
            {"partnership_id": partnership_id, "kind": event.record.lower(), "date": date, "position": event.position},
        )
        self.happened(event)

    @handles("Partnership", "StageChanged", "FieldAdded", "InvestmentReported", "InitiativeLaunched", "StatusChanged")
    @handles("Conference", "ProjectIntroduced")
    @handles("Agreement", "ProjectNamed", "StatusChanged")
    def happened(self, event: LoggedEvent) -> None:
        record = self.records[event.record_id]
        details = {name: value for name, value in event.data.items() if name not in _NOT_DETAILS}
        entry = {
            "position": event.position,
            "partnership_id": record["partnership_id"],
            "record_id": event.record_id,
            "record_position": record["position"],
            "record": record["kind"],
            "version": event.version,
            "event": event.name,
            "recorded_at": event.data["timestamp"],
            "summary": summarise(event.record, event.name, details),
            "details": details,
            "actor": event.meta["actor"],
            "source": event.meta["source"],
            "corrections": [],
        }
        self.date(entry, _fact_date(event.name, details) or event.business_date, record)
        self.timeline.put(event.position, entry)

    @staticmethod
    def date(entry: Document, stated: str | None, record: Document) -> None:
        """Date the entry as the event states, else as its conference's or
        agreement's date (a project introduced at a conference, named in a
        signing), else not at all: never by the day it was recorded."""
        if stated is not None:
            entry.update(business_date=stated, business_date_kind="stated", date_derived_from=None)
        elif record["date"] is not None:
            entry.update(business_date=record["date"], business_date_kind="derived", date_derived_from=record["kind"])
        else:
            entry.update(business_date=None, business_date_kind="unknown", date_derived_from=None)
        entry["sorts_on"] = entry["business_date"]

    @handles("Partnership", "Corrected")
    @handles("Conference", "Corrected")
    @handles("Agreement", "Corrected")
    def corrected(self, event: LoggedEvent) -> None:
        data = event.data
        record = self.records.changed(event.record_id)
        # A correction of a correction corrects the same original event.
        redirects = record.setdefault("redirects", {})
        corrected_version = redirects.get(str(data["corrects_version"]), data["corrects_version"])
        redirects[str(event.version)] = corrected_version
        [entry] = self.timeline.where(record_position=record["position"], version=corrected_version)
        self.timeline.changed(entry["position"])
        root, _, rest = data["field"].partition(".")
        path = ".".join(filter(None, (_EVENT_FIELD_OF_FACT.get(root, root), rest)))
        set_path(entry["details"], path, data["value"])
        entry["summary"] = summarise(event.record, entry["event"], entry["details"])
        entry["corrections"].append(
            {
                "position": event.position,
                "field": data["field"],
                "value": data["value"],
                "previous": data["previous"],
                "reason": data["reason"],
                "actor": event.meta["actor"],
                "recorded_at": data["timestamp"],
            }
        )
        fact_date = _fact_date(entry["event"], entry["details"])
        if fact_date is None or fact_date == entry["business_date"]:
            return
        self.date(entry, fact_date, record)
        if entry["event"] in ("Held", "Signed"):
            # The record's own date moved: so do the dates derived from it.
            self.records.changed(event.record_id)["date"] = fact_date
            for derived in self.timeline.where(record_position=record["position"]):
                if derived["business_date_kind"] == "derived":
                    self.date(derived, None, record)
                    self.timeline.changed(derived["position"])


class Timeline(ReadModelProjection):
    name = "timeline"
    version = 4
    """4: every version of each row kept, valid from the position that made it (issue #16)."""
    question = "What happened in each partnership, and when?"
    tables = (TIMELINE, RECORDS)
    batch_class = _TimelineBatch
