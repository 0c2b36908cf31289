"""The measurements the harness runs itself, each in a fresh process.

Each function takes a :class:`Setup` (which store, what size) and returns
:class:`Measurement` values. ``run_all`` runs every one in a new interpreter,
so the peak memory it reports belongs to that measurement alone. Only the
operation under test is timed: generating the history, opening the
application and building the raw references' input are not.
"""

from __future__ import annotations

import gc
import importlib
import json
import resource
import sqlite3
import statistics
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from itertools import islice
from time import perf_counter, process_time
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit
from uuid import UUID

from eventsourcing.persistence import Notification, StoredEvent
from eventsourcing.utils import resolve_topic

from benchmarks.generator import History, batches, entries, recorded, step
from benchmarks.report import FLOOR, ROW_PER_EVENT, VERSION_ROWS
from citycoop.adapters.application.importing import parse, record
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.storage.codec import decode_state

READ_PAGE = 10_000
"""Events per read of the log: large enough that the round trip does not count."""

READ_ROUNDS = 2
SHOWN_PARTNERSHIPS = 20


@dataclass(frozen=True)
class Setup:
    """One store at one size: where the log lives and where the references write."""

    kind: str
    """``sqlite`` or ``postgres``."""
    size: int
    store: str
    """The store under test, filled by :func:`bulk_import`."""
    recorder_store: str
    """An empty store of the same kind for the library recorder's raw append."""
    plain_store: str
    """An SQLite file or a PostgreSQL schema for the bare driver's inserts."""
    seed: int = 2023
    batch: int = 10_000
    oneoffs: int = 50
    quick: bool = False
    """Load the server and start the CLI just enough to check that it works (the smoke test)."""


@dataclass
class Measurement:
    name: str
    value: float
    unit: str
    seconds: float
    details: dict[str, float] = field(default_factory=dict)
    """Latency percentiles and the like, in the measurement's own terms."""
    cpu_value: float | None = None
    """A rate per second of this process's CPU time, where it was kept."""


@dataclass
class Stopwatch:
    """Wall-clock time, and the CPU time of this process, over the laps it ran.

    The cores are shared: the wall clock says what a user would wait, the CPU
    time what citycoop itself spent (all of it on SQLite, the client's part
    on PostgreSQL), which other work on the machine barely changes."""

    wall: float = 0.0
    cpu: float = 0.0

    @contextmanager
    def lap(self) -> Iterator[None]:
        wall, cpu = perf_counter(), process_time()
        try:
            yield
        finally:
            self.wall += perf_counter() - wall
            self.cpu += process_time() - cpu

    def rate(self, name: str, count: int, unit: str = "events/s", **details: float) -> Measurement:
        return Measurement(
            name,
            count / self.wall if self.wall else 0.0,
            unit,
            self.wall,
            details,
            cpu_value=count / self.cpu if self.cpu else None,
        )


def best(watches: Sequence[Stopwatch]) -> Stopwatch:
    """The fastest of several rounds: the one least slowed by other work."""
    return min(watches, key=lambda watch: watch.wall)


def rate(name: str, count: int, seconds: float, unit: str = "events/s", **details: float) -> Measurement:
    return Measurement(name, count / seconds if seconds else 0.0, unit, seconds, dict(details))


def latency(name: str, samples: Sequence[float]) -> Measurement:
    """Milliseconds per operation: the value is the slowest, p50 and mean ride along."""
    ms = sorted(sample * 1000 for sample in samples)
    return Measurement(
        name,
        ms[-1],
        "ms (slowest)",
        sum(samples),
        {"p50 ms": statistics.median(ms), "mean ms": statistics.fmean(ms), "samples": len(ms)},
    )


# Writing -------------------------------------------------------------------------


def bulk_import(setup: Setup) -> list[Measurement]:
    """Import the history as files of ``batch`` entries, each in one transaction,
    as ``citycoop import`` does: parse and validate the file, then record it."""
    app = CityCoop(setup.store)
    watch = Stopwatch()
    with closing(app):
        for chunk in batches(entries(setup.size, setup.seed), setup.batch):
            text = json.dumps({"source": "synthetic history", "entries": chunk})
            with watch.lap():
                source, parsed = parse(text, filename="history.json")
                record(app, parsed, actor="benchmark", source=source)
        recorded = app.recorder.max_notification_id() or 0
    return [watch.rate("bulk import", recorded, events=recorded, batch=setup.batch)]


def bulk_import_floor(setup: Setup) -> list[Measurement]:
    """The least an import that keeps validated events and their hash chain
    can spend, whatever else it does: each file parsed and validated as
    :func:`bulk_import` does, then its events (those recording it writes,
    read back beforehand) validated as event models, written as canonical
    JSON, sealed into their chains and appended, into an empty store, with
    no record read or built and no rule checked."""
    events = recorded(entries(setup.size, setup.seed), batch=setup.batch)
    app = CityCoop(setup.plain_store)
    watch = Stopwatch()
    with closing(app):
        for chunk, stored in zip(
            batches(entries(setup.size, setup.seed), setup.batch), batches(events, setup.batch), strict=True
        ):
            text = json.dumps({"source": "synthetic history", "entries": chunk})
            states = [_event_fields(event) for event in stored]
            with watch.lap(), _collector_paused():
                parse(text, filename="history.json")
                app.events.put([event_class.model_validate(state) for event_class, state in states])
        recorded_events = app.recorder.max_notification_id() or 0
    return [watch.rate(FLOOR, recorded_events, events=recorded_events, batch=setup.batch)]


def _event_fields(stored: StoredEvent) -> tuple[Any, dict[str, Any]]:
    """The class of a stored event and the fields it is validated from."""
    state = decode_state(stored.state)
    state.pop("class_version", None)
    return resolve_topic(stored.topic), {
        **state,
        "originator_id": stored.originator_id,
        "originator_version": stored.originator_version,
    }


@contextmanager
def _collector_paused() -> Iterator[None]:
    """As an import pauses the cycle collector while it records."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def record_one_command(setup: Setup) -> list[Measurement]:
    """Record the next commands of the history one at a time, each through the
    application service in its own transaction, as a clerk's command does,
    and after each bring the read models up to it, as the next read does.
    The first is a warm-up (lazy imports, pydantic's first validations) and
    is not counted: a whole command's cold start is the CLI's figure. The
    read models are brought to the head of the log first, untimed, so each
    catch-up has exactly one command's events to project."""
    from citycoop.adapters.projections import catch_up

    history = islice(History(setup.size, setup.seed), setup.size, setup.size + setup.oneoffs + 1)
    app = CityCoop(setup.store)
    samples, catch_ups = [], []
    with closing(app):
        catch_up(app)
        for entry in history:
            started = perf_counter()
            app.execute([step(entry)])
            recorded_at = perf_counter()
            catch_up(app)
            samples.append(recorded_at - started)
            catch_ups.append(perf_counter() - recorded_at)
    counted = samples[1:]
    return [
        rate("record one command", len(counted), sum(counted)),
        latency("record one command: latency", counted),
        latency("catch-up of one recorded command: latency", catch_ups[1:]),
    ]


def raw_appends(setup: Setup) -> list[Measurement]:
    """The references for writing: the same event bytes appended by the
    library's recorder, and the same rows inserted with the bare driver into a
    table of the same shape, in the same batches and then one per transaction."""
    events = recorded(entries(setup.size + setup.oneoffs, setup.seed), batch=setup.batch)
    app = CityCoop(setup.recorder_store)
    recorder, plain, recorder_one, plain_one = Stopwatch(), Stopwatch(), Stopwatch(), Stopwatch()
    with closing(app), plain_table(setup) as insert:
        for chunk in batches(islice(events, setup.size), setup.batch):
            with recorder.lap():
                app.recorder.insert_events(chunk)
            with plain.lap():
                insert(chunk)
        for event in events:
            with recorder_one.lap():
                app.recorder.insert_events([event])
            with plain_one.lap():
                insert([event])
    return [
        recorder.rate("raw append: recorder, same batches", setup.size),
        plain.rate("raw insert: bare driver, same batches", setup.size),
        recorder_one.rate("raw append: recorder, one per transaction", setup.oneoffs),
        plain_one.rate("raw insert: bare driver, one per transaction", setup.oneoffs),
    ]


@contextmanager
def plain_table(setup: Setup) -> Iterator[Callable[[Sequence[StoredEvent]], None]]:
    """A function that inserts stored events as rows, one transaction per call,
    into a table with the columns and keys of the library's events table,
    committing as the recorder does."""
    with _bare_table(
        setup.kind,
        setup.plain_store,
        "events",
        sqlite_columns="originator_id TEXT, originator_version INTEGER, topic TEXT, state BLOB,"
        " PRIMARY KEY (originator_id, originator_version)",
        postgres_columns="originator_id uuid NOT NULL, originator_version bigint NOT NULL, topic text, state bytea,"
        " notification_id bigserial UNIQUE, PRIMARY KEY (originator_id, originator_version)",
        columns="originator_id, originator_version, topic, state",
        durable=True,
    ) as insert:
        yield lambda events: insert(_rows(events))


@contextmanager
def _bare_table(
    kind: str,
    location: str,
    table: str,
    *,
    sqlite_columns: str,
    postgres_columns: str,
    columns: str,
    durable: bool,
    indexed_last: str | None = None,
) -> Iterator[Callable[[list[tuple[Any, ...]]], None]]:
    """A function that inserts rows into a new ``table`` of ``location`` (an SQLite
    file or a PostgreSQL schema's URL), one transaction per call, with the
    bare driver; unless ``durable``, commits do not wait for the disk, as
    the read models' do not. ``indexed_last`` names columns indexed once
    every row is in, as a rebuild indexes its tables for readers."""
    index = f"CREATE INDEX {table}_last ON {{}} ({indexed_last})" if indexed_last else None
    marks = ", ".join("?" * len(columns.split(",")))
    if kind == "sqlite":
        connection = sqlite3.connect(location, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        if not durable:
            connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute(f"DROP TABLE IF EXISTS {table}")
        connection.execute(f"CREATE TABLE {table} ({sqlite_columns})")

        def insert_sqlite(rows: list[tuple[Any, ...]]) -> None:
            connection.execute("BEGIN")
            connection.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
            connection.execute("COMMIT")

        with closing(connection):
            yield insert_sqlite
            if index:
                connection.execute(index.format(table))
        return
    import psycopg

    url, schema = postgres_url_and_schema(location)
    with psycopg.connect(url) as pg_connection:
        pg_connection.execute(f"DROP TABLE IF EXISTS {schema}.{table}")
        pg_connection.execute(f"CREATE TABLE {schema}.{table} ({postgres_columns})")
        pg_connection.commit()

        def insert_postgres(rows: list[tuple[Any, ...]]) -> None:
            with pg_connection.transaction(), pg_connection.cursor() as cursor:
                if not durable:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
                cursor.executemany(
                    f"INSERT INTO {schema}.{table} ({columns}) VALUES ({marks.replace('?', '%s')})", rows
                )

        yield insert_postgres
        if index:
            pg_connection.execute(index.format(f"{schema}.{table}"))
            pg_connection.commit()


def _rows(events: Sequence[StoredEvent]) -> list[tuple[Any, ...]]:
    return [(str(e.originator_id), e.originator_version, e.topic, e.state) for e in events]


def postgres_url_and_schema(location: str) -> tuple[str, str]:
    """A ``postgresql://…?schema=name`` location as a URL psycopg accepts and the schema."""
    parts = urlsplit(location)
    schema = parse_qs(parts.query).get("schema", ["public"])[0]
    return urlunsplit(parts._replace(query="")), schema


# Reading ---------------------------------------------------------------------------


def read_log(setup: Setup) -> list[Measurement]:
    """The references for every operation over the whole log: reading it
    through the library's recorder (what every such operation must do at
    least), the same with each event decoded, the bare driver's scan, and
    the floor of any projection that keeps a row per event (below), and that
    of read models versioned by position (``version_rows``); taken in turns,
    round after round, the best round of each counting."""
    from benchmarks.version_rows import version_table

    rounds: dict[str, list[Stopwatch]] = {"recorder": [], "decoded": [], "driver": [], "written": [], "versions": []}
    app = CityCoop(setup.store)
    with closing(app):
        for _ in range(1 if setup.quick else READ_ROUNDS):
            watch = Stopwatch()
            with watch.lap():
                count = sum(len(page) for page in _pages(app))
            rounds["recorder"].append(watch)
            watch = Stopwatch()
            with watch.lap():
                for page in _pages(app):
                    for notification in page:
                        app.mapper.to_domain_event(notification)
            rounds["decoded"].append(watch)
            watch = Stopwatch()
            with watch.lap():
                scanned = _driver_scan(setup)
            rounds["driver"].append(watch)
            watch = Stopwatch()
            with row_per_event_table(setup.kind, setup.plain_store) as write, watch.lap():
                for page in _pages(app):
                    write(page)
            rounds["written"].append(watch)
            watch = Stopwatch()
            with watch.lap(), version_table(_bare_table, setup.kind, setup.plain_store) as write_versions:
                version_rows = sum(write_versions(page) for page in _pages(app))
            rounds["versions"].append(watch)
    assert scanned == count, f"the driver read {scanned} events, the recorder {count}"
    return [
        best(rounds["recorder"]).rate("raw read of the log: recorder", count),
        best(rounds["decoded"]).rate("read and decode the log", count),
        best(rounds["driver"]).rate("raw read of the log: bare driver", count),
        best(rounds["written"]).rate(ROW_PER_EVENT, count),
        best(rounds["versions"]).rate(VERSION_ROWS, count, rows_per_event=version_rows / count if count else 0.0),
    ]


@contextmanager
def row_per_event_table(kind: str, location: str) -> Iterator[Callable[[Sequence[Notification]], None]]:
    """A function that inserts a row per notification into a new table keyed
    by position in ``location`` (an SQLite file or a PostgreSQL schema's
    URL), one transaction per call, committing as the read models do
    (without waiting for the disk); each row holds the event's fields decoded
    as projections decode them and written as their documents are."""
    with _bare_table(
        kind,
        location,
        "per_event",
        sqlite_columns="position INTEGER PRIMARY KEY, record_id TEXT, document TEXT",
        postgres_columns="position bigint PRIMARY KEY, record_id text, document text",
        columns="position, record_id, document",
        durable=False,
    ) as insert:
        yield lambda page: insert(_per_event_rows(page))


def _per_event_rows(page: Sequence[Notification]) -> list[tuple[int, str, str]]:
    from citycoop.adapters.projections.events import decode
    from citycoop.adapters.projections.patches import dump

    return [(event.position, event.record_id, dump(event.data)) for event in map(decode, page)]


def _pages(app: CityCoop) -> Iterator[Sequence[Any]]:
    start = 1
    while page := app.recorder.select_notifications(start, READ_PAGE):
        yield page
        start = page[-1].id + 1


def _driver_scan(setup: Setup) -> int:
    count = 0
    if setup.kind == "sqlite":
        with closing(sqlite3.connect(setup.store)) as connection:
            cursor = connection.execute(
                "SELECT rowid, originator_id, originator_version, topic, state FROM stored_events ORDER BY rowid"
            )
            while rows := cursor.fetchmany(READ_PAGE):
                count += len(rows)
            return count
    import psycopg

    url, schema = postgres_url_and_schema(setup.store)
    with psycopg.connect(url) as pg_connection, pg_connection.cursor(name="scan") as pg_cursor:
        pg_cursor.execute(
            f"SELECT notification_id, originator_id, originator_version, topic, state"
            f" FROM {schema}.citycoop_events ORDER BY notification_id"
        )
        while pg_rows := pg_cursor.fetchmany(READ_PAGE):
            count += len(pg_rows)
        return count


def clerk_reads(setup: Setup) -> list[Measurement]:
    """What a clerk reads once, for twenty partnerships (Wuxi–Singapore first):
    the record as it is now, from the log, and its summary from the read
    models (what ``citycoop partnerships show`` prints); the record as it was
    at half its versions, and as it was at the time that version was recorded;
    and its read models as they stood halfway through the log, through the
    read door as the HTTP API answers ``/partnerships/{id}?as_of=…`` (from the
    versions the read models keep), and built from the events of its own
    records, as the door does while the read models keep no versions yet."""
    from citycoop.adapters.audit.auditor import Auditor
    from citycoop.adapters.projections import ReadModels, catch_up
    from citycoop.adapters.projections.past import partnership_as_of
    from citycoop.adapters.reads import Moment, Reads

    ids = History(setup.size, setup.seed).partnership_ids[:SHOWN_PARTNERSHIPS]
    app = CityCoop(setup.store)
    halfway = setup.size // 2
    with closing(app):
        catch_up(app)
        read_models, auditor, reads = ReadModels(app), Auditor(app), Reads(app)
        halves = {i: max(1, app.get_record(i).version // 2) for i in ids}
        moments = {i: app.get_record(i, version=halves[i]).modified_on for i in ids}
        return [
            latency("show one partnership", _each(ids, app.get_record)),
            latency("show one partnership: read model", _each(ids, read_models.partnership)),
            latency("one partnership as of a version", _each(ids, lambda i: app.get_record(i, version=halves[i]))),
            latency("one partnership as of a recorded time", _each(ids, lambda i: auditor.record(i, as_of=moments[i]))),
            latency(
                "one partnership's read models as of a position",
                _each(ids, lambda i: reads.read_models(Moment(position=halfway), i).conferences(i)),
            ),
            latency(
                "one partnership's read models as of a position: from its own records",
                _each(ids, lambda i: partnership_as_of(app, i, halfway).conferences(i)),
            ),
        ]


def _each(ids: Sequence[UUID], read: Callable[[UUID], object]) -> list[float]:
    """Seconds to read each id, after one untimed read (imports, prepared statements)."""
    read(ids[0])
    samples = []
    for record_id in ids:
        started = perf_counter()
        read(record_id)
        samples.append(perf_counter() - started)
    return samples


def read_models_as_of(setup: Setup) -> list[Measurement]:
    """The read models as they stood halfway through the log, rebuilt aside
    (``citycoop audit as-of``): a whole-log operation over the first half."""
    from citycoop.adapters.projections import read_models_as_of as rebuild_aside

    position = setup.size // 2
    app = CityCoop(setup.store)
    watch = Stopwatch()
    with closing(app), watch.lap():
        past = rebuild_aside(app, position)
    assert past.partnerships(limit=1), "the past read models hold partnerships"
    return [watch.rate("read models as of a position", position, position=position)]


def run_isolated(target: str, setup: Setup) -> tuple[list[Measurement], float]:
    """Run the measurement ``module:function`` on ``setup``; return its
    measurements and this process's peak resident memory in MB. Meant to be
    the only work of a fresh process."""
    module_name, _, function_name = target.partition(":")
    function = getattr(importlib.import_module(module_name), function_name)
    measurements: list[Measurement] = function(setup)
    return measurements, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
