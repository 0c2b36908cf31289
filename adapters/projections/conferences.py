"""The conference register: every conference with its date, host city,
attendance, organizations, speakers, and the projects signed at it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .counts import EXACT, recount, requalify
from .events import LoggedEvent
from .projection import NamingBatch, ReadModelProjection, handles
from .tables import Table, set_path

CONFERENCES = Table(
    "conference_register",
    ("id", "TEXT"),
    (("partnership_id", "TEXT"), ("held_on", "TEXT")),
    lambda d: (d["partnership_id"], d["held_on"]),
    ("held_on, id", "partnership_id, held_on, id"),
)
RECORDS = Table("conference_register_records", ("id", "TEXT"), public=False)
"""A partnership's name; an agreement's conference, category and count."""


class _ConferenceBatch(NamingBatch):
    records_table = RECORDS

    def prefetch(self, events: Sequence[LoggedEvent]) -> None:
        self.records.prefetch(
            event.data["partnership_id"] if event.name == "Held" else event.record_id for event in events
        )
        self.conferences.prefetch(
            event.data["conference_id"] if event.name == "Signed" else event.record_id
            for event in events
            if event.record != "Partnership"
        )

    @property
    def conferences(self) -> Any:
        return self.tables[CONFERENCES.name]

    @handles("Conference", "Held")
    def held(self, event: LoggedEvent) -> None:
        data = event.data
        self.conferences.put(
            event.record_id,
            {
                "id": event.record_id,
                "partnership_id": data["partnership_id"],
                "partnership": self.records[data["partnership_id"]]["name"],
                "title": data["title"],
                "held_on": data["held_on"],
                "host_city": data["host_city"],
                "attendance": data["attendance"],
                "attendance_qualifier": data["attendance_qualifier"],
                "attendance_is_approximate": data["attendance_qualifier"] != EXACT,
                "organizations": data["organizations"],
                "speakers": data["speakers"],
                "introduced_projects": [],
                "projects_by_category": {},
                "projects_total": 0,
                "projects_qualifiers": {},
            },
        )

    @handles("Conference", "ProjectIntroduced")
    def project_introduced(self, event: LoggedEvent) -> None:
        self.conferences.changed(event.record_id)["introduced_projects"].append(event.data["project"])

    @handles("Conference", "Corrected")
    def corrected(self, event: LoggedEvent) -> None:
        conference = self.conferences.changed(event.record_id)
        set_path(conference, event.data["field"], event.data["value"])
        conference["attendance_is_approximate"] = conference["attendance_qualifier"] != EXACT

    @handles("Agreement", "Signed")
    def signed(self, event: LoggedEvent) -> None:
        data = event.data
        self.records.put(
            event.record_id, {"conference_id": data["conference_id"], "category": data["category"], "count": 0}
        )
        self.count(event.record_id, data["count"])
        self.qualify(event.record_id, data["count_qualifier"])

    @handles("Agreement", "Corrected")
    def agreement_corrected(self, event: LoggedEvent) -> None:
        if event.data["field"] == "count":
            self.count(event.record_id, event.data["value"])
        elif event.data["field"] == "count_qualifier":
            self.qualify(event.record_id, event.data["value"])

    def count(self, agreement_id: str, count: int) -> None:
        agreement = self.records.changed(agreement_id)
        change, agreement["count"] = count - agreement["count"], count
        recount(self.conferences.changed(agreement["conference_id"]), agreement["category"], change)

    def qualify(self, agreement_id: str, qualifier: str) -> None:
        """One agreement per conference and category: its count's qualifier is the category's."""
        agreement = self.records[agreement_id]
        requalify(self.conferences.changed(agreement["conference_id"]), agreement["category"], [qualifier])


class ConferenceRegister(ReadModelProjection):
    name = "conference_register"
    version = 3
    """3: every version of each row kept, valid from the position that made it (issue #16)."""
    question = "Which conferences were held, and what was signed at each?"
    tables = (CONFERENCES, RECORDS)
    batch_class = _ConferenceBatch
