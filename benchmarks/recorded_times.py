"""The position of a recorded time, by the index of recorded times and by the
scan of the log it replaced, and what the index costs the writers.

On the harness's store (filled by imports of ``batch`` events, so its index
holds a row per import), it times ``Auditor.moment_in_log`` at times picked
at random between the first event's and the last's; then empties the index
and opens the store again, as a store written before the index was, which
fills it with a row per event (timed: the migration); then times the same
times again against that index, the largest one a log of this length can
have, and the scan that main did (read the log from its start until an
event recorded after the time), over fewer of them, checking that both give
the same positions. Last, it appends the log's own events to two empty
stores, the recorder as it is and the recorder with its index row left out,
in turns, in the same batches and then one per transaction.
"""

from __future__ import annotations

import random
import statistics
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from datetime import datetime, timedelta
from itertools import islice
from pathlib import Path
from time import perf_counter
from typing import Any

import orjson
from eventsourcing.persistence import StoredEvent

from benchmarks.measures import Measurement, Setup, Stopwatch, postgres_url_and_schema
from benchmarks.stores import throwaway_schemas
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.audit.auditor import Auditor
from citycoop.adapters.audit.storage import Storage
from citycoop.adapters.storage.chain import unsealed
from citycoop.adapters.storage.recorded_times import RecordedTimes
from citycoop.adapters.storage.sql import Cursor, sql_of

LOOKUPS = 200
SCANS = 20
QUICK_LOOKUPS, QUICK_SCANS = 20, 3
ONE_PER_TRANSACTION = 200
COPY_PAGE = 10_000


def measure(setup: Setup) -> list[Measurement]:
    lookups, scans = (QUICK_LOOKUPS, QUICK_SCANS) if setup.quick else (LOOKUPS, SCANS)
    app = CityCoop(setup.store)
    with closing(app):
        moments = _sampled_moments(Auditor(app).storage, lookups, setup.seed)
        rows = _index_rows(app)
        as_imported = _lookups(app, moments)
        emptied = _emptied_index(app)
    watch = Stopwatch()
    with watch.lap():
        app = CityCoop(setup.store)
    with closing(app):
        filled = watch.rate("recorded times filled for an older store", emptied)
        per_event = _lookups(app, moments)
        auditor = Auditor(app)
        scanned, scan_samples = [], []
        for moment in moments[:scans]:
            started = perf_counter()
            scanned.append(scan(auditor.storage, moment))
            scan_samples.append(perf_counter() - started)
        found = [auditor.moment_in_log(moment).position for moment in moments[:scans]]
        assert found == scanned, f"the index found {found}, the scan {scanned}"
    return [
        p99("position of a recorded time", as_imported, rows=rows),
        p99("position of a recorded time: one row per event", per_event, rows=emptied),
        p99("position of a recorded time: scan of the log, as before", scan_samples),
        filled,
        *_appends(setup),
    ]


def p99(name: str, samples: Sequence[float], **details: float) -> Measurement:
    """Milliseconds per lookup: the value is the 99th percentile."""
    ms = sorted(sample * 1000 for sample in samples)
    at = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
    return Measurement(
        name,
        at,
        "ms (p99)",
        sum(samples),
        {"p50 ms": statistics.median(ms), "slowest ms": ms[-1], "samples": len(ms), **details},
    )


def scan(storage: Storage, moment: datetime) -> int:
    """Main's answer (cd38a11 to 84eaa82): the position before the first event
    recorded after ``moment``, reading the log from its start."""
    position = 0
    for page in storage.row_pages():
        for row in page:
            if datetime.fromisoformat(orjson.loads(unsealed(bytes(row[4])))["timestamp"]) > moment:
                return position
            position = row[0]
    return position


def _sampled_moments(storage: Storage, count: int, seed: int) -> list[datetime]:
    with storage.reading() as c:
        head = storage.head(c)
        (first,) = storage.rows(c, after=0, limit=1)
        (last,) = storage.rows(c, after=head - 1, limit=1)
    start, end = (datetime.fromisoformat(orjson.loads(unsealed(bytes(row[4])))["timestamp"]) for row in (first, last))
    rng = random.Random(seed)
    span = (end - start) // timedelta(microseconds=1)
    return [start + timedelta(microseconds=rng.randrange(span + 1)) for _ in range(count)]


def _lookups(app: CityCoop, moments: Sequence[datetime]) -> list[float]:
    """Seconds per lookup through the audit, after one untimed one."""
    auditor = Auditor(app)
    auditor.moment_in_log(moments[0])
    samples = []
    for moment in moments:
        started = perf_counter()
        auditor.moment_in_log(moment)
        samples.append(perf_counter() - started)
    return samples


def _index_rows(app: CityCoop) -> int:
    sql = sql_of(app.recorder)
    with sql.reading() as c:
        c.execute(f"SELECT COUNT(*) FROM {sql.tables.recorded_times}")
        count: int = c.fetchone()[0]
    return count


def _emptied_index(app: CityCoop) -> int:
    """Delete every row of the index, as a store written before it has none;
    returns the events that opening the store will index."""
    sql = sql_of(app.recorder)
    with sql.writing() as c:
        c.execute(f"DELETE FROM {sql.tables.recorded_times}")
    return app.recorder.max_notification_id() or 0


class _NoRow(RecordedTimes):
    """The recorder's index row left out: what appends cost without it."""

    def append(self, c: Cursor, position: int, states: Any) -> None:
        pass


def _appends(setup: Setup) -> list[Measurement]:
    with _two_stores(setup) as (indexed_store, plain_store):
        indexed, plain = CityCoop(indexed_store), CityCoop(plain_store)
        plain.recorder.__dict__["recorded_times"] = _NoRow(sql_of(plain.recorder))
        watches = {True: Stopwatch(), False: Stopwatch()}
        single = {True: Stopwatch(), False: Stopwatch()}
        batched = one_each = 0
        with closing(indexed), closing(plain), closing(CityCoop(setup.store)) as source:
            events = _events(source)
            for batch in _batches(islice(events, setup.size - ONE_PER_TRANSACTION), setup.batch):
                batched += len(batch)
                for with_row, app in ((True, indexed), (False, plain)):
                    with watches[with_row].lap():
                        app.recorder.insert_events(batch)
            for event in islice(events, ONE_PER_TRANSACTION):
                one_each += 1
                for with_row, app in ((True, indexed), (False, plain)):
                    with single[with_row].lap():
                        app.recorder.insert_events([event])
        return [
            watches[True].rate("raw append with its recorded times, same batches", batched),
            watches[False].rate("raw append without its recorded times, same batches", batched),
            single[True].rate("raw append with its recorded times, one per transaction", one_each),
            single[False].rate("raw append without its recorded times, one per transaction", one_each),
        ]


@contextmanager
def _two_stores(setup: Setup) -> Iterator[tuple[str, str]]:
    if setup.kind == "sqlite":
        folder = Path(setup.store).parent
        yield str(folder / "appends-indexed.db"), str(folder / "appends-plain.db")
        return
    url, schema = postgres_url_and_schema(setup.store)
    with throwaway_schemas(url, f"{schema}_appends_indexed", f"{schema}_appends_unindexed") as (indexed, plain):
        yield indexed, plain


def _events(app: CityCoop) -> Iterator[StoredEvent]:
    start = 1
    while page := app.recorder.select_notifications(start, COPY_PAGE):
        yield from (StoredEvent(n.originator_id, n.originator_version, n.topic, n.state) for n in page)
        start = page[-1].id + 1


def _batches(events: Iterator[StoredEvent], size: int) -> Iterator[list[StoredEvent]]:
    while batch := list(islice(events, size)):
        yield batch
