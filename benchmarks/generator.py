"""A realistic synthetic history of cooperation between cities, at any size.

``entries(size, seed)`` yields import-file entries (a command's fields plus
``key``), one event each, in the order a registry would have recorded them:
year by year, city pairs across many countries establish partnerships, hold
conferences, introduce and sign projects in several categories, name them,
follow them to completion, report investment, add fields of cooperation,
launch initiatives, are suspended, resumed or ended, and correct mistakes.
The same seed and size always give the same history.

Every entry carries an idempotency key and names other records by id, not by
an import file's local name: ids follow from the keys (a partnership from its
cities, a conference from its partnership and key, an agreement from its
conference and category), so the history can be cut into import files of any
size and each file still stands on its own.

``fill`` records them through the application service, as steps, like any
writer; ``recorded`` gives the stored events that doing so writes, for the
raw references of the benchmarks.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID, uuid5

from eventsourcing.persistence import StoredEvent

from citycoop.adapters.application.commands import AnyCommand, Command
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.application.steps import Step, provenance
from citycoop.domain.partnership import Partnership
from citycoop.domain.values import City
from citycoop.domain.vocabulary import FieldOfCooperation, ProjectCategory, Stage

Entry = dict[str, Any]
T = TypeVar("T")

DEFAULT_SEED = 2023
SOURCE = "synthetic history"
FIRST_YEAR = 1980
LAST_YEAR = 2025
"""No fact is dated after the day it is recorded on, so a history longer than
the years up to LAST_YEAR spends its remaining events within that year."""
EVENTS_PER_PARTNERSHIP = 250
"""Roughly what one partnership gathers over the decades the history spans;
sets how many city pairs a history of a given size has."""

CITIES: tuple[tuple[str, str], ...] = (
    *(
        (name, "China")
        for name in ("Wuxi", "Suzhou", "Shanghai", "Beijing", "Guangzhou", "Shenzhen", "Chengdu", "Hangzhou")
    ),
    *((name, "China") for name in ("Nanjing", "Qingdao", "Xi'an", "Wuhan")),
    ("Singapore", "Singapore"),
    *((name, "Japan") for name in ("Tokyo", "Osaka", "Kyoto", "Yokohama", "Nagoya", "Sapporo", "Fukuoka")),
    *((name, "South Korea") for name in ("Seoul", "Busan", "Incheon", "Daegu")),
    *(
        (name, "Germany")
        for name in ("Berlin", "Hamburg", "Munich", "Cologne", "Frankfurt", "Stuttgart", "Leipzig", "Dresden")
    ),
    *((name, "France") for name in ("Paris", "Lyon", "Marseille", "Toulouse", "Bordeaux", "Lille", "Nantes")),
    *(
        (name, "United Kingdom")
        for name in ("London", "Manchester", "Birmingham", "Glasgow", "Edinburgh", "Bristol", "Leeds")
    ),
    *((name, "Italy") for name in ("Rome", "Milan", "Turin", "Naples", "Florence", "Bologna", "Genoa")),
    *((name, "Spain") for name in ("Madrid", "Barcelona", "Valencia", "Seville", "Bilbao")),
    *(
        (name, "United States")
        for name in ("New York", "Chicago", "Los Angeles", "San Francisco", "Houston", "Seattle", "Boston")
    ),
    *((name, "Canada") for name in ("Toronto", "Montreal", "Vancouver", "Calgary")),
    *((name, "Brazil") for name in ("São Paulo", "Rio de Janeiro", "Curitiba", "Porto Alegre")),
    *((name, "Mexico") for name in ("Mexico City", "Guadalajara", "Monterrey")),
    *((name, "Argentina") for name in ("Buenos Aires", "Córdoba", "Rosario")),
    *((name, "India") for name in ("Mumbai", "Delhi", "Bengaluru", "Chennai", "Hyderabad", "Kolkata")),
    *((name, "Indonesia") for name in ("Jakarta", "Surabaya", "Bandung")),
    *((name, "Vietnam") for name in ("Ho Chi Minh City", "Hanoi", "Da Nang")),
    *((name, "Thailand") for name in ("Bangkok", "Chiang Mai")),
    *((name, "Malaysia") for name in ("Kuala Lumpur", "George Town")),
    *((name, "Philippines") for name in ("Manila", "Cebu City")),
    *((name, "Australia") for name in ("Sydney", "Melbourne", "Brisbane", "Perth", "Adelaide")),
    *((name, "New Zealand") for name in ("Auckland", "Wellington")),
    *((name, "South Africa") for name in ("Johannesburg", "Cape Town", "Durban")),
    *((name, "Nigeria") for name in ("Lagos", "Abuja")),
    *((name, "Kenya") for name in ("Nairobi", "Mombasa")),
    *((name, "Egypt") for name in ("Cairo", "Alexandria")),
    *((name, "Morocco") for name in ("Casablanca", "Rabat")),
    *((name, "Turkey") for name in ("Istanbul", "Ankara", "Izmir")),
    *((name, "Poland") for name in ("Warsaw", "Kraków", "Gdańsk", "Wrocław")),
    *((name, "Netherlands") for name in ("Amsterdam", "Rotterdam", "The Hague", "Utrecht")),
    *((name, "Belgium") for name in ("Brussels", "Antwerp", "Ghent")),
    *((name, "Sweden") for name in ("Stockholm", "Gothenburg", "Malmö")),
    *((name, "Norway") for name in ("Oslo", "Bergen")),
    *((name, "Denmark") for name in ("Copenhagen", "Aarhus")),
    *((name, "Finland") for name in ("Helsinki", "Tampere")),
    *((name, "Portugal") for name in ("Lisbon", "Porto")),
    *((name, "Greece") for name in ("Athens", "Thessaloniki")),
    *((name, "Austria") for name in ("Vienna", "Graz", "Salzburg")),
    *((name, "Switzerland") for name in ("Zurich", "Geneva", "Basel")),
    *((name, "Czech Republic") for name in ("Prague", "Brno")),
    *((name, "Hungary") for name in ("Budapest", "Debrecen")),
    *((name, "Israel") for name in ("Tel Aviv", "Haifa")),
    *((name, "United Arab Emirates") for name in ("Dubai", "Abu Dhabi")),
    *((name, "Chile") for name in ("Santiago", "Valparaíso")),
    *((name, "Colombia") for name in ("Bogotá", "Medellín")),
    *((name, "Peru") for name in ("Lima", "Arequipa")),
    *((name, "Ireland") for name in ("Dublin", "Cork")),
)

_THEMES = (
    "Urban Internationalization",
    "Green Development",
    "Smart City",
    "Trade and Investment",
    "Science and Technology Innovation",
    "Culture and Tourism",
    "Talent and Education",
    "Port and Logistics",
    "Health and Life Sciences",
)
_ORGANIZATION_KINDS = (
    "Chamber of Commerce",
    "Port Authority",
    "University",
    "Investment Promotion Agency",
    "Airport Group",
    "Science Park",
    "Trade Council",
    "Stock Exchange",
)
_ROLES = ("Mayor of {city}", "Deputy Mayor of {city}", "Consul General", "Director of the {city} Investment Agency")
_PROJECT_WORDS = (
    "Logistics Hub",
    "Innovation Centre",
    "Industrial Park Phase",
    "Biomedicine Campus",
    "Green Energy Plant",
    "Semiconductor Fab",
    "Exchange Programme",
    "Smart Port",
    "Data Centre",
    "Water Treatment Works",
)
_CURRENCIES = ("USD", "USD", "USD", "EUR", "CNY", "JPY", "SGD")
_REASONS = (
    "The figure was misread from the source document.",
    "The registry office published a revised figure.",
    "A transcription error in the original record.",
)


@dataclass
class _Signing:
    """An agreement the history may still name projects of or change the status of."""

    id: UUID
    count: int
    named: int = 0
    status: str = "signed"
    year: int = 0
    signed_on: str = ""
    """No status of it can change before: within LAST_YEAR, signings and changes take turns."""


@dataclass
class _Pair:
    """What the generator knows of one partnership, to keep its history valid."""

    id: UUID
    slug: str
    cities: tuple[dict[str, str], dict[str, str]]
    since: int
    stage: str
    fields: list[str]
    currency: str
    founding: bool = False
    """Wuxi–Singapore, which the other benchmarks read and record on: it is never suspended or ended."""
    status: str = "active"
    version: int = 0
    enterprises: int = 0
    amount: int = 0
    investment_version: int | None = None
    conferences: list[tuple[UUID, int]] = field(default_factory=list)
    """The last conferences held: id and attendance, for corrections."""
    signings: list[_Signing] = field(default_factory=list)


class History:
    """The history of ``partnerships`` city pairs, as an endless stream of entries."""

    def __init__(self, size: int, seed: int = DEFAULT_SEED) -> None:
        self.seed = seed
        self._rng = random.Random(seed)
        pairs = _city_pairs(self._rng)
        self.partnerships = min(len(pairs), max(1, size // EVENTS_PER_PARTNERSHIP))
        self._pending = [self._pair(cities, self._rng) for cities in pairs[: self.partnerships]]
        self.partnership_ids = [pair.id for pair in self._pending]
        """The partnerships of the history, Wuxi–Singapore first."""
        self._pending.sort(key=lambda pair: pair.since)
        self._active: list[_Pair] = []
        self._sequence = 0

    def __iter__(self) -> Iterator[Entry]:
        year = FIRST_YEAR
        while True:
            while self._pending and self._pending[0].since <= year:
                pair = self._pending.pop(0)
                self._active.append(pair)
                yield self._partnership_entry(pair, "establish-partnership", None, **self._establishment(pair))
            self._rng.shuffle(self._active)
            for pair in list(self._active):
                yield from self._year(pair, year)
            self._active = [pair for pair in self._active if pair.status != "ended"]
            year = min(year + 1, LAST_YEAR)

    # One partnership's year --------------------------------------------------

    def _year(self, pair: _Pair, year: int) -> Iterator[Entry]:
        rng = self._rng
        if pair.status == "suspended":
            if rng.random() < 0.4:
                yield self._status(pair, "resume-partnership", "active", year, "Relations normalised.")
            return
        if year == pair.since:
            return
        if pair.stage != Stage.SISTER_CITY and rng.random() < 0.05:
            pair.stage = Stage.SISTER_CITY.value if pair.stage == Stage.FRIENDSHIP_CITY else Stage.FRIENDSHIP_CITY.value
            yield self._partnership_entry(pair, "change-stage", year, stage=pair.stage, on=_date(rng, year))
        if len(pair.fields) < len(FieldOfCooperation) and rng.random() < 0.1:
            new = rng.choice([f for f in FieldOfCooperation if f not in pair.fields])
            pair.fields.append(new.value)
            yield self._partnership_entry(pair, "add-field", year, field=new.value)
        yield from self._agreement_progress(pair, year)
        for number in range(rng.choices((0, 1, 2), weights=(30, 55, 15))[0]):
            yield from self._conference(pair, year, number + 1)
        if rng.random() < 0.85:
            yield from self._investment(pair, year)
        if rng.random() < 0.04:
            yield self._partnership_entry(
                pair,
                "launch-initiative",
                year,
                name=f"{_pair_name(pair)} {rng.choice(_PROJECT_WORDS)} {year}",
                initiative_kind=rng.choice(("industrial-park", "innovation-zone", "exchange-programme", "other")),
                started=f"{year}-{rng.randint(1, 12):02d}",
                description="Agreed by both city governments to deepen practical cooperation.",
            )
        yield from self._corrections(pair, year)
        if pair.founding:
            return
        if rng.random() < 0.004:
            yield self._status(pair, "suspend-partnership", "suspended", year, "Exchanges paused by both sides.")
        elif rng.random() < 0.0015:
            yield self._status(pair, "end-partnership", "ended", year, "The cities agreed to end the partnership.")

    def _conference(self, pair: _Pair, year: int, number: int) -> Iterator[Entry]:
        rng = self._rng
        host = pair.cities[(year + number) % 2]["name"]
        held_on = _date(rng, year)
        attendance = rng.randint(40, 900)
        key = self._key(pair, year, f"conference-{number}")
        conference_id = uuid5(pair.id, key)
        pair.conferences = [*pair.conferences[-2:], (conference_id, attendance)]
        yield self._entry(
            pair,
            "hold-conference",
            year,
            key=key,
            partnership=str(pair.id),
            title=f"{year} {_pair_name(pair)} Conference on {rng.choice(_THEMES)}",
            held_on=held_on,
            host_city=host,
            attendance=attendance,
            attendance_is_approximate=rng.random() < 0.5,
            organizations=[
                f"{rng.choice(pair.cities)['name']} {kind}"
                for kind in rng.sample(_ORGANIZATION_KINDS, rng.randint(1, 4))
            ],
            speakers=[
                {
                    "name": f"Speaker {rng.randint(1, 9999)} of {host}",
                    "role": rng.choice(_ROLES).format(city=host),
                    "statement": (
                        f"Over the past {year - pair.since} years our cities have built close exchanges"
                        f" and fruitful cooperation in {rng.choice(pair.fields).replace('-', ' ')}."
                    ),
                }
                for _ in range(rng.randint(1, 3))
            ],
        )
        for index in range(rng.choices((0, 1, 2, 3), weights=(30, 35, 25, 10))[0]):
            yield self._entry(
                pair,
                "introduce-project",
                year,
                conference=str(conference_id),
                name=f"{host} {rng.choice(_PROJECT_WORDS)} {year}-{number}-{index + 1}",
                description="Introduced to invite investment; partners are sought.",
            )
        categories = rng.sample(list(ProjectCategory), rng.choices((0, 1, 2, 3), weights=(15, 40, 35, 10))[0])
        for category in categories:
            count = rng.randint(1, 12)
            signing = _Signing(
                uuid5(conference_id, f"citycoop:agreement:{category}"), count, year=year, signed_on=held_on
            )
            pair.signings.append(signing)
            yield self._entry(
                pair,
                "sign-projects",
                year,
                partnership=str(pair.id),
                conference=str(conference_id),
                category=category.value,
                count=count,
                signed_on=held_on,
            )
            for _ in range(min(count, rng.choices((0, 1, 2, 3, 5), weights=(20, 25, 25, 15, 15))[0])):
                yield self._name_project(pair, signing, year)

    def _name_project(self, pair: _Pair, signing: _Signing, year: int) -> Entry:
        rng = self._rng
        signing.named += 1
        return self._entry(
            pair,
            "name-project",
            year,
            agreement=str(signing.id),
            name=f"{_pair_name(pair)} {rng.choice(_PROJECT_WORDS)} {signing.year}-{signing.named}",
            parties=[f"{city['name']} {rng.choice(_ORGANIZATION_KINDS)}" for city in pair.cities],
        )

    def _agreement_progress(self, pair: _Pair, year: int) -> Iterator[Entry]:
        rng = self._rng
        for signing in list(pair.signings):
            if signing.named < signing.count and rng.random() < 0.15:
                yield self._name_project(pair, signing, year)
            roll = rng.random()
            new_status = None
            if signing.status == "signed" and roll < 0.5:
                new_status = "in-progress"
            elif signing.status == "in-progress" and roll < 0.3:
                new_status = "completed"
            elif roll > 0.98:
                new_status = "cancelled"
            if new_status is not None:
                signing.status = new_status
                yield self._entry(
                    pair,
                    "change-agreement-status",
                    year,
                    agreement=str(signing.id),
                    status=new_status,
                    on=max(_date(rng, year), signing.signed_on),
                )
            if signing.status in ("completed", "cancelled") or year - signing.year > 5:
                pair.signings.remove(signing)

    def _investment(self, pair: _Pair, year: int) -> Iterator[Entry]:
        rng = self._rng
        pair.enterprises += rng.randint(0, 40)
        pair.amount += rng.randint(1, 800) * 1_000_000
        yield self._partnership_entry(
            pair,
            "report-investment",
            year,
            enterprises=pair.enterprises,
            amount=str(pair.amount),
            currency=pair.currency,
            as_of=f"{year}-12-31",
        )
        pair.investment_version = pair.version

    def _corrections(self, pair: _Pair, year: int) -> Iterator[Entry]:
        rng = self._rng
        reason = rng.choice(_REASONS)
        if pair.investment_version is not None and rng.random() < 0.03:
            corrected = max(0, pair.enterprises + rng.choice((-3, -1, 1, 2)))
            yield self._partnership_entry(
                pair,
                "correct",
                year,
                record=str(pair.id),
                corrects_version=pair.investment_version,
                field="investment.enterprises",
                value=corrected,
                reason=reason,
            )
            pair.enterprises = corrected
            pair.investment_version = pair.version
        if pair.conferences and rng.random() < 0.03:
            conference_id, attendance = pair.conferences[-1]
            yield self._entry(
                pair,
                "correct",
                year,
                record=str(conference_id),
                corrects_version=1,
                field="attendance",
                value=attendance + rng.randint(1, 50),
                reason=reason,
            )
            pair.conferences = pair.conferences[:-1]
        if pair.signings and rng.random() < 0.03:
            signing = rng.choice(pair.signings)
            signing.count += 1
            yield self._entry(
                pair,
                "correct",
                year,
                record=str(signing.id),
                corrects_version=1,
                field="count",
                value=signing.count,
                reason=reason,
            )

    # Building entries ----------------------------------------------------------

    def _status(self, pair: _Pair, kind: str, status: str, year: int, reason: str) -> Entry:
        pair.status = status
        return self._partnership_entry(pair, kind, year, on=_date(self._rng, year), reason=reason)

    def _establishment(self, pair: _Pair) -> dict[str, Any]:
        return {
            "city_a": pair.cities[0],
            "city_b": pair.cities[1],
            "since": str(pair.since),
            "stage": pair.stage,
            "fields": list(pair.fields),
        }

    def _entry(self, pair: _Pair, kind: str, year: int | None, *, key: str | None = None, **fields: Any) -> Entry:
        """An entry whose event extends another record than the partnership."""
        return {"kind": kind, "key": key or self._key(pair, year, kind), **fields}

    def _partnership_entry(self, pair: _Pair, kind: str, year: int | None, **fields: Any) -> Entry:
        """An entry whose event extends (or creates) the partnership itself."""
        pair.version += 1
        if kind not in ("establish-partnership", "correct"):
            fields = {"partnership": str(pair.id), **fields}
        return self._entry(pair, kind, year, **fields)

    def _key(self, pair: _Pair, year: int | None, what: str) -> str:
        self._sequence += 1
        return f"{pair.slug}/{year or pair.since}/{what}/{self._sequence}"

    @staticmethod
    def _pair(cities: tuple[tuple[str, str], tuple[str, str]], rng: random.Random) -> _Pair:
        (name_a, country_a), (name_b, country_b) = cities
        city_a, city_b = {"name": name_a, "country": country_a}, {"name": name_b, "country": country_b}
        founding = {name_a, name_b} == {"Wuxi", "Singapore"}
        return _Pair(
            id=Partnership.id_for(City(**city_a), City(**city_b)),
            slug=f"{_slug(name_a)}-{_slug(name_b)}",
            cities=(city_a, city_b),
            since=1993 if founding else rng.randint(FIRST_YEAR, 2010),
            stage=rng.choices(list(Stage), weights=(30, 40, 30))[0].value,
            fields=[f.value for f in rng.sample(list(FieldOfCooperation), rng.randint(1, 4))],
            currency="USD" if founding else rng.choice(_CURRENCIES),
            founding=founding,
        )


def _city_pairs(rng: random.Random) -> list[tuple[tuple[str, str], tuple[str, str]]]:
    """Every pair of cities in different countries, Wuxi–Singapore first, the rest shuffled."""
    pairs = [(a, b) for i, a in enumerate(CITIES) for b in CITIES[i + 1 :] if a[1] != b[1]]
    founding = next(pair for pair in pairs if {pair[0][0], pair[1][0]} == {"Wuxi", "Singapore"})
    pairs.remove(founding)
    rng.shuffle(pairs)
    return [founding, *pairs]


def _date(rng: random.Random, year: int) -> str:
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _slug(name: str) -> str:
    return "-".join(name.casefold().replace("'", "").split())


def _pair_name(pair: _Pair) -> str:
    return f"{pair.cities[0]['name']}–{pair.cities[1]['name']}"


def entries(size: int, seed: int = DEFAULT_SEED) -> Iterator[Entry]:
    """The first ``size`` entries (and so events) of the history for ``seed``."""
    return islice(History(size, seed), size)


def batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


_COMMAND: Any = None


def command_of(entry: Entry) -> Command:
    """The validated command of an entry (without its key)."""
    global _COMMAND  # noqa: PLW0603 -- built once, on first use: pydantic adapters are slow to build
    if _COMMAND is None:
        from pydantic import TypeAdapter

        _COMMAND = TypeAdapter(AnyCommand)
    command: Command = _COMMAND.validate_python({k: v for k, v in entry.items() if k != "key"})
    return command


def step(entry: Entry, *, actor: str = "benchmark", source: str | None = SOURCE) -> Step:
    """One entry as a command for the application service, as a clerk would record it."""
    return Step(command_of(entry), provenance(actor=actor, source=source, key=entry["key"]))


def fill(app: CityCoop, items: Iterable[Entry], *, batch: int = 5_000, source: str | None = SOURCE) -> int:
    """Record ``items`` through the application service, ``batch`` steps per
    transaction, as an import would; returns the head of the log."""
    for chunk in batches(items, batch):
        app.execute([step(entry, source=source) for entry in chunk])
    return app.recorder.max_notification_id() or 0


def recorded(items: Iterable[Entry], *, batch: int = 5_000, source: str | None = SOURCE) -> Iterator[StoredEvent]:
    """The sealed stored events that recording ``items`` writes, in log order:
    recorded through the application service (``fill``) into a throwaway
    store, and read back, so that the raw references of the benchmarks append
    exactly the bytes the application would."""
    with tempfile.TemporaryDirectory(prefix="citycoop-history-") as folder:
        app = CityCoop(str(Path(folder) / "history.db"))
        try:
            for chunk in batches(items, batch):
                start = app.recorder.max_notification_id() or 0
                app.execute([step(entry, source=source) for entry in chunk])
                yield from app.recorder.select_notifications(start, len(chunk), inclusive_of_start=False)
        finally:
            app.close()
