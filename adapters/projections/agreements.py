"""The agreement register: every signing — the projects of one category
signed at one conference — with its count, status and named projects."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .events import LoggedEvent
from .projection import NamingBatch, ReadModelProjection, handles
from .tables import Table, set_path

AGREEMENTS = Table(
    "agreement_register",
    ("id", "TEXT"),
    (
        ("partnership_id", "TEXT"),
        ("conference_id", "TEXT"),
        ("category", "TEXT"),
        ("status", "TEXT"),
        ("signed_on", "TEXT"),
    ),
    lambda d: (d["partnership_id"], d["conference_id"], d["category"], d["status"], d["signed_on"]),
    ("signed_on, id", "partnership_id, signed_on, id"),
    ("conference_id, signed_on, id",),
)
RECORDS = Table("agreement_register_records", ("id", "TEXT"), public=False)
"""A partnership's name; a conference's title and date."""


class _AgreementBatch(NamingBatch):
    records_table = RECORDS

    def prefetch(self, events: Sequence[LoggedEvent]) -> None:
        self.records.prefetch(event.data.get("partnership_id") for event in events)
        self.records.prefetch(event.data.get("conference_id") for event in events)
        self.agreements.prefetch(event.record_id for event in events if event.record == "Agreement")

    @property
    def agreements(self) -> Any:
        return self.tables[AGREEMENTS.name]

    @handles("Conference", "Held")
    def held(self, event: LoggedEvent) -> None:
        self.records.put(event.record_id, {"title": event.data["title"], "held_on": event.data["held_on"]})

    @handles("Conference", "Corrected")
    def conference_corrected(self, event: LoggedEvent) -> None:
        field, value = event.data["field"], event.data["value"]
        if field not in ("title", "held_on"):
            return
        self.records.changed(event.record_id)[field] = value
        for agreement in self.agreements.where(conference_id=event.record_id):
            agreement["conference" if field == "title" else "conference_held_on"] = value
            self.agreements.changed(agreement["id"])

    @handles("Agreement", "Signed")
    def signed(self, event: LoggedEvent) -> None:
        data = event.data
        conference = self.records[data["conference_id"]]
        self.agreements.put(
            event.record_id,
            {
                "id": event.record_id,
                "partnership_id": data["partnership_id"],
                "partnership": self.records[data["partnership_id"]]["name"],
                "conference_id": data["conference_id"],
                "conference": conference["title"],
                "conference_held_on": conference["held_on"],
                "category": data["category"],
                "count": data["count"],
                "count_qualifier": data["count_qualifier"],
                "signed_on": data["signed_on"],
                "status": "signed",
                "status_since": None,
                "projects": [],
            },
        )

    @handles("Agreement", "ProjectNamed")
    def project_named(self, event: LoggedEvent) -> None:
        self.agreements.changed(event.record_id)["projects"].append(event.data["project"])

    @handles("Agreement", "StatusChanged")
    def status_changed(self, event: LoggedEvent) -> None:
        agreement = self.agreements.changed(event.record_id)
        agreement["status"] = event.data["status"]
        agreement["status_since"] = event.data["on"]

    @handles("Agreement", "Corrected")
    def corrected(self, event: LoggedEvent) -> None:
        set_path(self.agreements.changed(event.record_id), event.data["field"], event.data["value"])


class AgreementRegister(ReadModelProjection):
    name = "agreement_register"
    version = 3
    """3: every version of each row kept, valid from the position that made it (issue #16)."""
    question = "What was signed, where, and how far has it got?"
    tables = (AGREEMENTS, RECORDS)
    batch_class = _AgreementBatch
