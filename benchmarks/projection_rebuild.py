"""How fast every projection is rebuilt from zero, beside how fast the same
log can be read at all, and how much memory a rebuild takes as the log grows.

    python -m benchmarks.projection_rebuild                      # 1,000,000 events, SQLite
    python -m benchmarks.projection_rebuild --events 20000       # a quick check
    python -m benchmarks.projection_rebuild --store postgresql://postgres@127.0.0.1:5432/test

The log is generated once (sealed events written straight to the store, see
``benchmarks/generator.py``) and grown to each checkpoint: 10% of the events
and all of them. At each checkpoint three fresh processes run in turn, each
measuring one thing and its own peak RSS: the raw read (``select_notifications``
and ``to_domain_event``, the reference), the rebuild of every projection, and
the raw read again; the reference is the mean of the two reads, so a machine
that gets busier or quieter during the run does not tilt the ratio.
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

from benchmarks.generator import FastPath, batches, entries
from benchmarks.stores import throwaway_schemas
from citycoop.adapters.application import CityCoop

TARGET_RATIO = 0.5
WRITE_BATCH = 5_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="size of the log at the last checkpoint")
    parser.add_argument("--store", help="postgresql:// URL (a schema is made and dropped) or SQLite path to keep")
    parser.add_argument("--child", choices=("read", "rebuild"), help=argparse.SUPPRESS)
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
        history, fast = entries(checkpoints[-1]), FastPath(app.chain)
        written = 0
        for size in checkpoints:
            started = perf_counter()
            for batch in batches(islice(history, size - written), WRITE_BATCH):
                app.recorder.insert_events(list(fast.stored_events(batch)))
            print(f"generated {size - written:,} events at {(size - written) / (perf_counter() - started):,.0f}/s")
            written = size
            first_read, rebuilt, second_read = (_run_child(kind, store) for kind in ("read", "rebuild", "read"))
            reference = (first_read["rate"] + second_read["rate"]) / 2
            rows.append((size, reference, rebuilt["rate"], rebuilt["peak_rss_mib"], first_read["peak_rss_mib"]))
            print(
                f"  {size:,} events: raw read {first_read['rate']:,.0f} and {second_read['rate']:,.0f} events/s,"
                f" rebuild {rebuilt['rate']:,.0f} events/s"
            )
    finally:
        app.close()
    print()
    header = ("events", "raw read/s", "rebuild/s", "ratio", "peak RSS rebuild", "raw read")
    print("{:>10}  {:>11}  {:>10}  {:>6}  {:>16}  {:>8}".format(*header))
    for size, reference, rate, rebuild_rss, read_rss in rows:
        print(
            f"{size:>10,}  {reference:>11,.0f}  {rate:>10,.0f}  {rate / reference:>6.0%}"
            f"  {rebuild_rss:>12,.0f} MiB  {read_rss:>4,.0f} MiB"
        )
    ratio = rows[-1][2] / rows[-1][1]
    verdict = "meets" if ratio >= TARGET_RATIO else "misses"
    print(f"rebuild at {ratio:.0%} of the raw read rate: {verdict} the target of {TARGET_RATIO:.0%}")


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
        else:
            count, position = 0, 0
            while batch := app.recorder.select_notifications(position, REBUILD_BATCH_SIZE, inclusive_of_start=False):
                for notification in batch:
                    app.mapper.to_domain_event(notification)
                count += len(batch)
                position = batch[-1].id
        seconds = perf_counter() - started
    finally:
        app.close()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"rate": count / seconds, "seconds": seconds, "peak_rss_mib": peak_kib / 1024}))


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
