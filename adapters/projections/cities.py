"""The city directory: each city with its partners, and how many projects
it shares with each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...domain.values import City, folded
from .events import LoggedEvent
from .projection import Batch, ReadModelProjection, handles
from .tables import Document, Table

CITIES = Table(
    "city_directory",
    ("key", "TEXT"),
    (("name", "TEXT"), ("name_folded", "TEXT"), ("country", "TEXT")),
    lambda d: (d["name"], folded(d["name"]), d["country"]),
    ("name, key", "name_folded"),
)
RECORDS = Table("city_directory_records", ("id", "TEXT"), public=False)
"""A partnership's two city keys; an agreement's partnership and count."""


class _CityBatch(Batch):
    def prefetch(self, events: Sequence[LoggedEvent]) -> None:
        self.records.prefetch(event.record_id if event.record != "Conference" else None for event in events)
        self.records.prefetch(event.data.get("partnership_id") for event in events if event.record == "Agreement")

    @property
    def cities(self) -> Any:
        return self.tables[CITIES.name]

    @property
    def records(self) -> Any:
        return self.tables[RECORDS.name]

    def partners(self, partnership_id: str) -> list[Document]:
        """The entry of ``partnership_id`` in each of its two cities (none
        once it is marked a duplicate)."""
        keys = self.records[partnership_id]["cities"]
        return [
            partner
            for key in keys
            for partner in self.cities.changed(key)["partners"]
            if partner["partnership_id"] == partnership_id
        ]

    @handles("Partnership", "MarkedDuplicate")
    def marked_duplicate(self, event: LoggedEvent) -> None:
        """The pair is counted once, under the partnership it duplicates."""
        for key in self.records[event.record_id]["cities"]:
            city = self.cities.changed(key)
            city["partners"] = [partner for partner in city["partners"] if partner["partnership_id"] != event.record_id]

    @handles("Partnership", "Established")
    def established(self, event: LoggedEvent) -> None:
        cities = [City.model_validate(city) for city in event.data["cities"]]
        name = f"{cities[0].name}–{cities[1].name}"
        self.records.put(event.record_id, {"cities": [city.key for city in cities]})
        for city, partner in ((cities[0], cities[1]), (cities[1], cities[0])):
            entry = self.cities.get(city.key) or {
                "key": city.key,
                "name": city.name,
                "country": city.country,
                "wikidata_id": city.wikidata_id,
                "partners": [],
            }
            entry["partners"].append(
                {
                    "name": partner.name,
                    "country": partner.country,
                    "partnership_id": event.record_id,
                    "partnership": name,
                    "status": "active",
                    "projects_shared": 0,
                }
            )
            entry["partners"].sort(key=lambda partner: (partner["name"], partner["partnership_id"]))
            self.cities.put(city.key, entry)

    @handles("Partnership", "StatusChanged")
    def status_changed(self, event: LoggedEvent) -> None:
        for partner in self.partners(event.record_id):
            partner["status"] = event.data["status"]

    @handles("Agreement", "Signed")
    def signed(self, event: LoggedEvent) -> None:
        self.records.put(event.record_id, {"partnership_id": event.data["partnership_id"], "count": 0})
        self.count(event.record_id, event.data["count"])

    @handles("Agreement", "Corrected")
    def corrected(self, event: LoggedEvent) -> None:
        if event.data["field"] == "count":
            self.count(event.record_id, event.data["value"])

    def count(self, agreement_id: str, count: int) -> None:
        agreement = self.records.changed(agreement_id)
        change, agreement["count"] = count - agreement["count"], count
        for partner in self.partners(agreement["partnership_id"]):
            partner["projects_shared"] += change


class CityDirectory(ReadModelProjection):
    name = "city_directory"
    version = 4
    """2: cities keyed by names composed (NFC) before they are folded, so a
    rebuild merges a city recorded under both spellings of its accents.
    3: a partnership marked a duplicate is no longer among its cities' partners.
    4: every version of each row kept, valid from the position that made it (issue #16)."""
    question = "Which cities work with which, and on how many projects?"
    tables = (CITIES, RECORDS)
    batch_class = _CityBatch
    per_partnership = False  # a city's row lists its partners in every partnership
