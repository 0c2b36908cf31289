"""``citycoop audit verify`` over a large log, beside the raw read rate of the same log.

    python -m benchmarks.audit_verify --events 1000000 --store sqlite
    python -m benchmarks.audit_verify --events 100000 --store postgres   # CITYCOOP_TEST_POSTGRES_URL

It fills a fresh store with the synthetic history (sealed by each record's
chain exactly as the application writes it), extends the global chain over it
(``audit seal``), then measures, in the same run and alternately:

- the raw read of the log through the library's recorder (``select_notifications``,
  10,000 events a page): what any operation over the whole log must do at least;
- the bare driver's scan of the events table (sqlite3 / psycopg), for reference;
- ``audit verify``: every record's chain and the global chain recomputed and
  compared with the sealed table.

Each is measured ``--rounds`` times and the best round counts, so a passing
neighbour on the machine does not decide the ratio. Target: verify at ≥ 50% of
the recorder's raw read rate.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter

from benchmarks.generator import entries
from benchmarks.generator import fill as record_history
from benchmarks.stores import throwaway_schemas
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.audit.auditor import Auditor

READ_PAGE = 10_000
INSERT_BATCH = 10_000
POSTGRES_URL_VARIABLE = "CITYCOOP_TEST_POSTGRES_URL"


@dataclass(frozen=True)
class Figures:
    events: int
    seal_seconds: float
    """Extending the global chain over the whole log, from nothing."""
    recorder_read_seconds: float
    driver_read_seconds: float
    verify_seconds: float

    def rate(self, seconds: float) -> float:
        return self.events / seconds if seconds else 0.0


def fill(store: str, events: int) -> None:
    """Record ``events`` events of the synthetic history through the application service."""
    with closing(CityCoop(store)) as app:
        record_history(app, entries(events), batch=INSERT_BATCH)


def measure(store: str, *, rounds: int = 2) -> Figures:
    """Seal the filled store once, then time reading and verifying it ``rounds`` times each."""
    with closing(CityCoop(store)) as app:
        auditor = Auditor(app)
        started = perf_counter()
        head = auditor.seal()
        seal_seconds = perf_counter() - started
        recorder_read, driver_read, verify = [], [], []
        for _ in range(rounds):
            recorder_read.append(_timed(lambda: _read_through_recorder(app)))
            driver_read.append(_timed(lambda: _read_through_driver(store)))
            started = perf_counter()
            report = auditor.verify(expect=head.hash)
            verify.append(perf_counter() - started)
            assert report.ok, report.summary()
        return Figures(report.events, seal_seconds, min(recorder_read), min(driver_read), min(verify))


def _timed(read: Callable[[], int]) -> float:
    started = perf_counter()
    read()
    return perf_counter() - started


def _read_through_recorder(app: CityCoop) -> int:
    count, start = 0, 1
    while page := app.recorder.select_notifications(start, READ_PAGE):
        count += len(page)
        start = page[-1].id + 1
    return count


def _read_through_driver(store: str) -> int:
    columns = "originator_id, originator_version, topic, state"
    count = 0
    if not store.startswith("postgresql://"):
        with closing(sqlite3.connect(store)) as connection:
            cursor = connection.execute(f"SELECT rowid, {columns} FROM stored_events ORDER BY rowid")
            while rows := cursor.fetchmany(READ_PAGE):
                count += len(rows)
        return count
    import psycopg

    url, _, schema = store.partition("?schema=")
    with psycopg.connect(url) as connection, connection.cursor(name="scan") as cursor:
        cursor.itersize = READ_PAGE
        cursor.execute(f'SELECT notification_id, {columns} FROM "{schema}".citycoop_events ORDER BY notification_id')
        while rows := cursor.fetchmany(READ_PAGE):
            count += len(rows)
    return count


@contextmanager
def fresh_store(kind: str, keep: Path | None = None) -> Iterator[str]:
    """A new, empty store; with ``keep``, an SQLite file that stays for the next run."""
    if keep is not None:
        yield str(keep)
        return
    if kind == "sqlite":
        with tempfile.TemporaryDirectory(prefix="citycoop-audit-") as directory:
            yield str(Path(directory) / "citycoop.db")
        return
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not url:
        raise SystemExit(f"the PostgreSQL benchmark needs {POSTGRES_URL_VARIABLE}")
    with throwaway_schemas(url, f"bench_audit_{uuid.uuid4().hex[:12]}") as (store,):
        yield store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--store", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--keep", type=Path, metavar="FILE", help="An SQLite file to fill once and measure again.")
    options = parser.parse_args()
    with fresh_store(options.store, options.keep) as store:
        if options.keep is None or not options.keep.exists():
            started = perf_counter()
            fill(store, options.events)
            print(f"filled {options.store} with {options.events:,} events in {perf_counter() - started:.1f} s")
        figures = measure(store, rounds=options.rounds)
    reference = figures.rate(figures.recorder_read_seconds)
    rows = [
        ("raw read of the log: recorder (reference)", figures.recorder_read_seconds),
        ("raw read of the log: bare driver", figures.driver_read_seconds),
        ("audit verify", figures.verify_seconds),
        ("audit seal, from nothing", figures.seal_seconds),
    ]
    print(f"{'':44}{'events/s':>12}{'seconds':>10}{'vs recorder':>13}")
    for name, seconds in rows:
        rate = figures.rate(seconds)
        print(f"{name:44}{rate:>12,.0f}{seconds:>10.2f}{rate / reference:>12.0%}")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
    verdict = "met" if figures.rate(figures.verify_seconds) >= 0.5 * reference else "MISSED"
    print(f"target, audit verify >= 50% of the recorder's raw read rate: {verdict}")


if __name__ == "__main__":
    main()
