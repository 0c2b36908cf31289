"""Partnership summaries: where each partnership stands — its cities, since
when, what it covers, the latest investment figures, its initiatives, and the
projects signed at its conferences."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .counts import EXACT, recount, requalify
from .events import LoggedEvent
from .projection import Batch, ReadModelProjection, handles
from .tables import Document, Table, set_path

SUMMARIES = Table("partnership_summaries", ("id", "TEXT"), (("name", "TEXT"),), lambda d: (d["name"],), ("name, id",))
RECORDS = Table(
    "partnership_summary_records",
    ("id", "TEXT"),
    (("partnership_id", "TEXT"),),
    lambda d: (d["partnership_id"],),
    lookups=("partnership_id",),
    public=False,
)
"""What the summaries need to remember of each record: a conference's title
and date, an agreement's conference, category and count, and the latest
dates of a partnership's events whose dates cannot be corrected."""

_DATE_FACTS = {"since", "investment", "held_on", "signed_on"}


def _later(first: str | None, second: str | None) -> str | None:
    return max(filter(None, (first, second)), default=None)


class _SummaryBatch(Batch):
    redate: set[str]
    """Partnerships whose last activity must be found again after a corrected date."""

    def prefetch(self, events: Sequence[LoggedEvent]) -> None:
        self.redate = set()
        self.tables[RECORDS.name].prefetch(event.record_id for event in events)
        self.tables[SUMMARIES.name].prefetch(
            event.record_id if event.record == "Partnership" else event.data.get("partnership_id") for event in events
        )

    @property
    def summaries(self) -> Any:
        return self.tables[SUMMARIES.name]

    @property
    def records(self) -> Any:
        return self.tables[RECORDS.name]

    def summary_of(self, record_id: str) -> Document:
        partnership_id = self.records[record_id]["partnership_id"]
        summary: Document = self.summaries.changed(partnership_id)
        return summary

    def happened(self, record_id: str, on: str | None) -> None:
        """Note the date of an event whose date no correction can change."""
        if on is None:
            return
        partnership_id = self.records[record_id]["partnership_id"]
        partnership = self.records.changed(partnership_id)
        partnership["latest"] = _later(partnership["latest"], on)
        summary = self.summaries.changed(partnership_id)
        summary["last_activity"] = _later(summary["last_activity"], on)

    @handles("Partnership", "Established")
    def established(self, event: LoggedEvent) -> None:
        data = event.data
        first, second = data["cities"]
        self.summaries.put(
            event.record_id,
            {
                "id": event.record_id,
                "name": f"{first['name']}–{second['name']}",
                "cities": data["cities"],
                "since": data["since"],
                "stage": data["stage"],
                "fields": list(dict.fromkeys(data["fields"])),
                "status": "active",
                "status_since": None,
                "investment": None,
                "initiatives": [],
                "conferences": 0,
                "projects_by_category": {},
                "projects_total": 0,
                "projects_qualifiers": {},
                "signings": [],
                "last_activity": data["since"],
                "duplicate_of": None,
            },
        )
        self.records.put(
            event.record_id,
            {"partnership_id": event.record_id, "latest": None, "earlier_reports": None, "qualified": {}},
        )

    @handles("Partnership", "StageChanged")
    def stage_changed(self, event: LoggedEvent) -> None:
        self.summaries.changed(event.record_id)["stage"] = event.data["stage"]
        self.happened(event.record_id, event.data["on"])

    @handles("Partnership", "FieldAdded")
    def field_added(self, event: LoggedEvent) -> None:
        self.summaries.changed(event.record_id)["fields"].append(event.data["field"])
        self.happened(event.record_id, event.business_date)

    @handles("Partnership", "InvestmentReported")
    def investment_reported(self, event: LoggedEvent) -> None:
        summary = self.summaries.changed(event.record_id)
        if summary["investment"] is not None:
            partnership = self.records.changed(event.record_id)
            partnership["earlier_reports"] = _later(partnership["earlier_reports"], summary["investment"]["as_of"])
        source = event.meta["source"]
        summary["investment"] = {**event.data["figures"], "source": source, "reported_source": source, "corrected": []}
        summary["last_activity"] = _later(summary["last_activity"], event.data["figures"]["as_of"])

    @handles("Partnership", "InitiativeLaunched")
    def initiative_launched(self, event: LoggedEvent) -> None:
        initiative = event.data["initiative"]
        self.summaries.changed(event.record_id)["initiatives"].append(initiative)
        self.happened(event.record_id, initiative["started"] or event.business_date)

    @handles("Partnership", "StatusChanged")
    def status_changed(self, event: LoggedEvent) -> None:
        summary = self.summaries.changed(event.record_id)
        summary["status"] = event.data["status"]
        summary["status_since"] = event.data["on"]
        self.happened(event.record_id, event.data["on"])

    @handles("Partnership", "MarkedDuplicate")
    def marked_duplicate(self, event: LoggedEvent) -> None:
        self.summaries.changed(event.record_id)["duplicate_of"] = event.data["of"]

    @handles("Partnership", "Corrected")
    def partnership_corrected(self, event: LoggedEvent) -> None:
        field = event.data["field"]
        summary = self.summaries.changed(event.record_id)
        set_path(summary, field, event.data["value"])
        if field.split(".")[0] == "investment":
            # The figures now stand on the correction's word.
            summary["investment"]["source"] = event.meta["source"]
            summary["investment"]["corrected"].append(field)
        if field.split(".")[0] in _DATE_FACTS:
            self.redate.add(event.record_id)

    @handles("Conference", "Held")
    def conference_held(self, event: LoggedEvent) -> None:
        data = event.data
        self.records.put(
            event.record_id,
            {"partnership_id": data["partnership_id"], "title": data["title"], "held_on": data["held_on"]},
        )
        summary = self.summaries.changed(data["partnership_id"])
        summary["conferences"] += 1
        summary["last_activity"] = _later(summary["last_activity"], data["held_on"])

    @handles("Conference", "ProjectIntroduced")
    def project_introduced(self, event: LoggedEvent) -> None:
        self.happened(event.record_id, event.business_date)

    @handles("Conference", "Corrected")
    def conference_corrected(self, event: LoggedEvent) -> None:
        field = event.data["field"]
        if field not in ("title", "held_on"):
            return
        conference = self.records.changed(event.record_id)
        conference[field] = event.data["value"]
        summary = self.summary_of(event.record_id)
        for signings in summary["signings"]:
            if signings["conference_id"] == event.record_id:
                signings[field] = event.data["value"]
        summary["signings"].sort(key=lambda signings: (signings["held_on"], signings["conference_id"]))
        self.redate.add(conference["partnership_id"])

    @handles("Agreement", "Signed")
    def signed(self, event: LoggedEvent) -> None:
        data = event.data
        agreement = {
            "partnership_id": data["partnership_id"],
            "conference_id": data["conference_id"],
            "category": data["category"],
            "count": 0,
            "signed_on": data["signed_on"],
        }
        self.records.put(event.record_id, agreement)
        self.count(event.record_id, data["count"])
        self.qualify(event.record_id, data["count_qualifier"])
        summary = self.summaries.changed(data["partnership_id"])
        summary["last_activity"] = _later(summary["last_activity"], data["signed_on"])

    @handles("Agreement", "ProjectNamed")
    def project_named(self, event: LoggedEvent) -> None:
        self.happened(event.record_id, event.business_date)

    @handles("Agreement", "StatusChanged")
    def agreement_status_changed(self, event: LoggedEvent) -> None:
        self.happened(event.record_id, event.data["on"])

    @handles("Agreement", "Corrected")
    def agreement_corrected(self, event: LoggedEvent) -> None:
        field, value = event.data["field"], event.data["value"]
        if field == "count":
            self.count(event.record_id, value)
        elif field == "count_qualifier":
            self.qualify(event.record_id, value)
        elif field == "signed_on":
            agreement = self.records.changed(event.record_id)
            agreement["signed_on"] = value
            self.redate.add(agreement["partnership_id"])

    def count(self, agreement_id: str, count: int) -> None:
        """Make the agreement count ``count`` projects, wherever it is counted."""
        agreement = self.records.changed(agreement_id)
        change, agreement["count"] = count - agreement["count"], count
        category = agreement["category"]
        summary = self.summaries.changed(agreement["partnership_id"])
        for counts in (summary, self.signings(summary, agreement["conference_id"])):
            recount(counts, category, change)

    def qualify(self, agreement_id: str, qualifier: str) -> None:
        """Give the agreement's count ``qualifier``, in its conference's signings
        and, summed with the partnership's other counts of its category, in
        the summary."""
        agreement = self.records[agreement_id]
        category = agreement["category"]
        summary = self.summaries.changed(agreement["partnership_id"])
        requalify(self.signings(summary, agreement["conference_id"]), category, [qualifier])
        qualified = self.records.changed(agreement["partnership_id"])["qualified"]
        if qualifier == EXACT:
            qualified.pop(agreement_id, None)
        else:
            qualified[agreement_id] = [category, qualifier]
        requalify(summary, category, [q for of, q in qualified.values() if of == category])

    def signings(self, summary: Document, conference_id: str) -> Document:
        for signings in summary["signings"]:
            if signings["conference_id"] == conference_id:
                found: Document = signings
                return found
        conference = self.records[conference_id]
        signings = {
            "conference_id": conference_id,
            "title": conference["title"],
            "held_on": conference["held_on"],
            "projects_by_category": {},
            "projects_total": 0,
            "projects_qualifiers": {},
        }
        summary["signings"].append(signings)
        summary["signings"].sort(key=lambda signings: (signings["held_on"], signings["conference_id"]))
        return signings

    def finish(self, event: LoggedEvent) -> None:
        """A corrected date can make the last activity earlier: find it again
        among every date that the partnership's records hold now (after each
        event, so that each version of the summary is as it stood)."""
        if not self.redate:
            return
        for partnership_id in sorted(self.redate):
            summary = self.summaries.changed(partnership_id)
            dates = [summary["since"], summary["investment"] and summary["investment"]["as_of"]]
            for record in self.records.where(partnership_id=partnership_id):
                dates += [record.get("latest"), record.get("earlier_reports")]
                dates += [record.get("held_on"), record.get("signed_on")]
            summary["last_activity"] = max(filter(None, dates), default=None)
        self.redate.clear()


class PartnershipSummaries(ReadModelProjection):
    name = "partnership_summaries"
    version = 4
    """3: ``duplicate_of``, for a pair recorded twice by an earlier release.
    4: every version of each row kept, valid from the position that made it (issue #16)."""
    question = "Where does each partnership stand?"
    tables = (SUMMARIES, RECORDS)
    batch_class = _SummaryBatch
