"""How fast every projection is rebuilt from zero, beside how fast the same
log can be read at all, and how much memory a rebuild takes as the log grows.

    python -m benchmarks.projection_rebuild                      # 1,000,000 events, SQLite
    python -m benchmarks.projection_rebuild --events 20000       # a quick check
    python -m benchmarks.projection_rebuild --store postgresql://postgres@127.0.0.1:5432/test

The log is generated once (sealed events written straight to the store, see
``benchmarks/generator.py``) and grown to each checkpoint: 10% of the events
and all of them. At each checkpoint four fresh processes run in turn, each
measuring one thing and its own peak RSS: the raw read (``select_notifications``),
the rebuild of every projection, the floor of any projection that keeps a row
per event (read, decode, and insert each event as a row with the bare driver:
the reference of issue #16's target, as in ``run_all``'s), and the raw read
again; the raw read shown is the mean of the two, so a machine that gets
busier or quieter during the run does not tilt its ratio.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from time import perf_counter

from benchmarks.generator import entries, fill
from benchmarks.measures import row_per_event_table
from benchmarks.stores import throwaway_schemas
from citycoop.adapters.application.service import CityCoop

TARGET_RATIO = 0.5
WRITE_BATCH = 5_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="size of the log at the last checkpoint")
    parser.add_argument("--store", help="postgresql:// URL (a schema is made and dropped) or SQLite path to keep")
    parser.add_argument("--child", choices=("read", "rebuild", "floor"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        _child(arguments.child, arguments.store)
        return
    checkpoints = sorted({max(arguments.events // 10, 1), arguments.events})
    with _store(arguments.store) as store:
        _measure(store, checkpoints)


def _measure(store: str, checkpoints: list[int]) -> None:
    sizes = ", ".join(f"{size:,}" for size in checkpoints)
    print(f"store: {store.split('?', maxsplit=1)[0]}  (checkpoints at {sizes} events)")
    rows = []
    app = CityCoop(store)
    try:
        history = entries(checkpoints[-1])
        written = 0
        for size in checkpoints:
            started = perf_counter()
            fill(app, islice(history, size - written), batch=WRITE_BATCH)
            print(f"generated {size - written:,} events at {(size - written) / (perf_counter() - started):,.0f}/s")
            written = size
            first_read, rebuilt, floor, second_read = (
                _run_child(kind, store) for kind in ("read", "rebuild", "floor", "read")
            )
            reference = (first_read["rate"] + second_read["rate"]) / 2
            rows.append((size, reference, floor["rate"], rebuilt["rate"], rebuilt["peak_rss_mib"]))
            print(
                f"  {size:,} events: raw read {first_read['rate']:,.0f} and {second_read['rate']:,.0f} events/s,"
                f" floor {floor['rate']:,.0f} events/s, rebuild {rebuilt['rate']:,.0f} events/s"
            )
    finally:
        app.close()
    print()
    header = ("events", "raw read/s", "floor/s", "rebuild/s", "of raw read", "of floor", "peak RSS rebuild")
    print("{:>10}  {:>11}  {:>9}  {:>10}  {:>11}  {:>8}  {:>16}".format(*header))
    for size, reference, floor_rate, rate, rebuild_rss in rows:
        print(
            f"{size:>10,}  {reference:>11,.0f}  {floor_rate:>9,.0f}  {rate:>10,.0f}  {rate / reference:>11.0%}"
            f"  {rate / floor_rate:>8.0%}  {rebuild_rss:>12,.0f} MiB"
        )
    _, reference, floor_rate, rate, _ = rows[-1]
    verdict = "meets" if rate / floor_rate >= TARGET_RATIO else "misses"
    print(
        f"rebuild at {rate / floor_rate:.0%} of the floor of a projection with a row per event:"
        f" {verdict} the target of {TARGET_RATIO:.0%}; the floor runs at {floor_rate / reference:.0%} of the raw read"
    )


def _run_child(kind: str, store: str) -> dict[str, float]:
    """One measurement in a fresh interpreter, so its peak RSS is its own."""
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.projection_rebuild", "--child", kind, "--store", store],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parents[1],
    )
    measured: dict[str, float] = json.loads(result.stdout.splitlines()[-1])
    return measured


def _child(kind: str, store: str) -> None:
    from citycoop.adapters.projections import rebuild
    from citycoop.adapters.projections.runner import REBUILD_BATCH_SIZE

    app = CityCoop(store)
    try:
        started = perf_counter()
        if kind == "rebuild":
            count = rebuild(app)
        elif kind == "floor":
            count = _write_a_row_per_event(app, store)
        else:
            count, position = 0, 0
            while batch := app.recorder.select_notifications(position, REBUILD_BATCH_SIZE, inclusive_of_start=False):
                count += len(batch)
                position = batch[-1].id
        seconds = perf_counter() - started
    finally:
        app.close()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"rate": count / seconds, "seconds": seconds, "peak_rss_mib": peak_kib / 1024}))


def _write_a_row_per_event(app: CityCoop, store: str) -> int:
    """The floor of a rebuild (``benchmarks.report.ROW_PER_EVENT``), into the
    store's PostgreSQL schema or an SQLite file beside the store, deleted after."""
    from citycoop.adapters.projections.runner import REBUILD_BATCH_SIZE

    postgres = store.startswith("postgresql://")
    location = store if postgres else f"{store}.floor"
    count, position = 0, 0
    try:
        with row_per_event_table("postgres" if postgres else "sqlite", location) as write:
            while batch := app.recorder.select_notifications(position, REBUILD_BATCH_SIZE, inclusive_of_start=False):
                write(batch)
                count += len(batch)
                position = batch[-1].id
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{location}{suffix}").unlink(missing_ok=True)
    return count


@contextmanager
def _store(given: str | None) -> Iterator[str]:
    """The store to fill: a new PostgreSQL schema (dropped afterwards), the
    SQLite file given, or a temporary SQLite file."""
    if given and given.startswith("postgresql://"):
        with throwaway_schemas(given, f"bench_{uuid.uuid4().hex[:12]}") as (store,):
            yield store
        return
    if given:
        if Path(given).exists():
            sys.exit(f"--store {given} exists; name a new file, the benchmark fills it from nothing")
        yield given
        return
    with tempfile.TemporaryDirectory(prefix="citycoop-bench-") as folder:
        yield str(Path(folder) / "citycoop.db")


if __name__ == "__main__":
    main()
