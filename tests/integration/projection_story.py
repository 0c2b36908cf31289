"""The story the projection tests tell on each store, a synthetic history,
and the read-model tables read back with plain SQL so that generations can
be compared."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from uuid import UUID, uuid4

from benchmarks import generator
from benchmarks.generator import Entry
from citycoop.adapters.application.commands import COMMANDS
from citycoop.adapters.application.importing import record_demo
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.projections import PROJECTIONS
from citycoop.adapters.projections.registry import REGISTRY_TABLE
from tests.recording import record

SOURCE = "Wuxi Daily, 8 May 2023"


@dataclass(frozen=True)
class History:
    wuxi_singapore: UUID
    conference_2023: UUID
    strategic: UUID
    industrial: UUID
    suzhou_singapore: UUID
    conference_2024: UUID


def record_history(app: CityCoop, after_each: Callable[[], object] = lambda: None) -> History:
    """The founding story, then what followed it: projects named, a signing
    under way, four corrections, and a second partnership of Singapore's."""
    wuxi_singapore, _, conference_2023, _, strategic, industrial, *_ = record_demo(app, actor="clerk-li")
    after_each()

    def then(kind: str, **fields: object) -> UUID:
        command = COMMANDS[kind].validated(
            kind=kind, **{k: str(v) if isinstance(v, UUID) else v for k, v in fields.items()}
        )
        record_id = record(app, command, app.provenance(actor="clerk-li", source=SOURCE, key=uuid4().hex))
        after_each()
        return record_id

    then("name-project", agreement=strategic, name="Wuxi Singapore Science and Technology Innovation City")
    then("change-agreement-status", agreement=strategic, status="in-progress", on="2023-09")
    then(
        "correct",
        record=conference_2023,
        corrects_version=1,
        field="attendance",
        value=199,
        reason="199 guests signed in",
    )
    then("correct", record=industrial, corrects_version=1, field="count", value=12, reason="two were late")
    then("correct", record=wuxi_singapore, corrects_version=3, field="investment.enterprises", value=750, reason="typo")
    suzhou = then(
        "establish-partnership",
        city_a={"name": "Suzhou", "country": "China"},
        city_b={"name": "Singapore", "country": "Singapore"},
        since="1994",
        stage="friendship-city",
        fields=("investment",),
    )
    then("change-stage", partnership=suzhou, stage="sister-city", on="1994-05")
    then("suspend-partnership", partnership=suzhou, on="2020-03", reason="travel stopped")
    then("resume-partnership", partnership=suzhou, on="2022-01", reason="travel resumed")
    conference_2024 = then(
        "hold-conference",
        partnership=suzhou,
        title="Suzhou Industrial Park at 30",
        held_on="2024-05-20",
        host_city="Suzhou",
    )
    signing = then("sign-projects", partnership=suzhou, conference=conference_2024, category="investment", count=5)
    # The projects were signed at the conference, so their date moves first: a
    # conference is not held after what was signed at it.
    then("correct", record=signing, corrects_version=1, field="signed_on", value="2024-05-21", reason="a day late")
    then(
        "correct", record=conference_2024, corrects_version=1, field="held_on", value="2024-05-21", reason="a day late"
    )
    return History(wuxi_singapore, conference_2023, strategic, industrial, suzhou, conference_2024)


def fill(app: CityCoop, history: Iterator[Entry]) -> int:
    """A synthetic history recorded through the application service."""
    return generator.fill(app, history, batch=1_000)


def read_model_tables(app: CityCoop) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every projection's live tables (their versions too), read
    with plain SQL and named without their generation, so two generations can
    be compared."""
    location = app.location.location
    if location.startswith("postgresql://"):
        import psycopg

        schema = location.rsplit("schema=", 1)[1]
        url = location.split("?")[0]
        with psycopg.connect(url) as connection:
            connection.execute(f"SET search_path TO {schema}")
            return _tables(lambda sql: connection.execute(sql).fetchall())
    with closing(sqlite3.connect(location)) as connection:
        return _tables(lambda sql: connection.execute(sql).fetchall())


def _tables(query: Callable[[str], list[tuple[object, ...]]]) -> dict[str, list[tuple[object, ...]]]:
    generations = dict(query(f"SELECT name, generation FROM {REGISTRY_TABLE}"))
    return {
        name: query(f"SELECT * FROM {physical} ORDER BY 1, 2")
        for projection in PROJECTIONS
        if projection.name in generations
        for table in projection.tables
        for name, physical in {
            table.name: table.physical(generations[projection.name]),
            **table.physicals(generations[projection.name]),
        }.items()
    }
