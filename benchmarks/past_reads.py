"""The whole register as it stood at a moment of the log's past, read through
the one path every reader takes (``adapters.reads.past.PastReadModels``,
behind ``audit as-of``, HTTP ``as_of`` and the read door), and what the live
read models cost in bytes.

On the harness's store, with the live read models caught up (not timed), it
times a first page of 100 of each read model (partnerships, conferences,
signings, cities, and the first partnership's timeline) as of positions
sampled at random, and as of the recorded times of the events at those
positions, each through a new ``PastReadModels`` (nothing kept from the
sample before). A recorded time stands for the end of its transaction: on
the harness's store, filled by imports of ``batch`` events each, the end of
the import it fell in. Then, as the reference, the replay of the log
(``read_models_as_of``, the past path until the read models kept their
versions) at the first few of the same positions only, because it is slow.
Where the past path is a replay, its samples stop once they have taken
``BUDGET_SECONDS``; the figure says how many it took.

Last, the bytes of the read models' tables and indexes per event of the log:
everything in the store but the log's own tables (SQLite's ``dbstat``,
PostgreSQL's ``pg_total_relation_size``).

    python -m benchmarks.past_reads STORE
"""

from __future__ import annotations

import random
import sqlite3
import sys
from collections.abc import Callable, Sequence
from contextlib import closing
from time import perf_counter
from typing import Any

from benchmarks.measures import Measurement, Setup, postgres_url_and_schema
from benchmarks.recorded_times import p99
from benchmarks.report import PAST_REGISTER, PAST_REGISTER_BY_TIME, PAST_REPLAY
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.audit.auditor import Auditor
from citycoop.adapters.projections import ReadModels, catch_up, read_models_as_of
from citycoop.adapters.reads import Moment
from citycoop.adapters.reads.past import PastReadModels
from citycoop.adapters.storage.sql import sql_of

PAGE = 100
POSITIONS, REPLAYS = 20, 2
QUICK_POSITIONS, QUICK_REPLAYS = 3, 1
BUDGET_SECONDS = 120.0
"""Time spent on the samples of one figure, after which no more are taken (two at least)."""


def measure(setup: Setup) -> list[Measurement]:
    count, replays = (QUICK_POSITIONS, QUICK_REPLAYS) if setup.quick else (POSITIONS, REPLAYS)
    app = CityCoop(setup.store)
    with closing(app):
        head = catch_up(app)
        started = perf_counter()
        size = read_model_bytes(setup.kind, setup.store, app)
        sized = perf_counter() - started
        positions = random.Random(setup.seed).sample(range(1, head + 1), min(count, head))
        auditor = Auditor(app)
        moments = [moment for moment in map(auditor.recorded_at, positions) if moment is not None]
        first_page(PastReadModels(app, lambda: auditor).read_models(Moment(position=1), None))  # imports, warm-up

        def past(moment: Moment) -> ReadModels:
            return PastReadModels(app, lambda: auditor).read_models(moment, None)

        by_position = _samples([Moment(position=position) for position in positions], past)
        by_time = _samples([Moment(time=moment) for moment in moments], past)
        replayed = _samples(positions[:replays], lambda position: read_models_as_of(app, position), budget=None)
    return [
        p99(PAST_REGISTER, by_position),
        p99(PAST_REGISTER_BY_TIME, by_time),
        p99(PAST_REPLAY, replayed),
        Measurement("read-model bytes per event", size / head, "bytes", sized, {"MB": size / 1e6}),
    ]


def first_page(read_models: ReadModels) -> None:
    """What a reader of the register sees first: a page of each read model."""
    partnerships = read_models.partnerships(limit=PAGE)
    read_models.conferences(limit=PAGE)
    read_models.agreements(limit=PAGE)
    read_models.cities(limit=PAGE)
    if partnerships:
        read_models.timeline(partnerships[0].id, limit=PAGE)


def _samples(
    moments: Sequence[Any], read: Callable[[Any], ReadModels], budget: float | None = BUDGET_SECONDS
) -> list[float]:
    """Seconds to get the read models at each moment and read their first pages."""
    samples: list[float] = []
    for moment in moments:
        if budget is not None and len(samples) >= 2 and sum(samples) > budget:
            break
        started = perf_counter()
        first_page(read(moment))
        samples.append(perf_counter() - started)
    return samples


def read_model_bytes(kind: str, location: str, app: CityCoop) -> int:
    """The bytes of every table and index in the store but the log's own."""
    log = {name.lower() for name in _log_tables(app)}
    if kind == "sqlite":
        with closing(sqlite3.connect(f"file:{location}?mode=ro", uri=True)) as connection:
            sizes = connection.execute(
                "SELECT m.tbl_name, SUM(s.pgsize) FROM dbstat AS s JOIN sqlite_master AS m ON m.name = s.name"
                " GROUP BY m.tbl_name"
            ).fetchall()
    else:
        import psycopg

        url, schema = postgres_url_and_schema(location)
        with psycopg.connect(url) as pg_connection:
            sizes = pg_connection.execute(
                "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class AS c"
                " JOIN pg_namespace AS n ON n.oid = c.relnamespace"
                " WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'm')",
                (schema,),
            ).fetchall()
    return sum(int(size) for name, size in sizes if name.lower() not in log)


def _log_tables(app: CityCoop) -> set[str]:
    """The tables of the log and of what is kept beside it for the audit."""
    tables = sql_of(app.recorder).tables
    names = {app.recorder.events_table_name, *tables._asdict().values()} - {tables.projection_tracking}
    if app.snapshots is not None:
        names.add(app.snapshots.recorder.events_table_name)
    return {name.rsplit(".", 1)[-1].strip('"') for name in names}


if __name__ == "__main__":
    store = sys.argv[1]
    kind = "postgres" if store.startswith("postgresql://") else "sqlite"
    for measurement in measure(Setup(kind, 0, store=store, recorder_store="", plain_store="")):
        print(f"{measurement.name}: {measurement.value:,.1f} {measurement.unit} {measurement.details}")
