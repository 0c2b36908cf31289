"""Run every benchmark at every size on every store, and write benchmarks/RESULTS.md.

    python -m benchmarks.run_all --sizes 10000,100000,1000000 --stores sqlite,postgres

For each store and size it fills a fresh store (an SQLite file, or a new
PostgreSQL schema under ``CITYCOOP_TEST_POSTGRES_URL``) with the synthetic
history by bulk import, then measures every figure beside its reference in
the same run: writing beside the raw append rate of the library's recorder
and of the bare driver, whole-log operations beside the raw read rate of the
log, a clerk's one-off operations against 100 ms, the CLI's cold start beside
``python -c pass``, HTTP reads beside a trivial endpoint. Each measurement runs
in a fresh process, so its peak memory is its own. Stores are dropped after.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import sqlite3
import sys
import time
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from benchmarks import report
from benchmarks.measures import Measurement, Setup, postgres_url_and_schema
from benchmarks.stores import kept_schemas, throwaway_schemas

POSTGRES_URL_VARIABLE = "CITYCOOP_TEST_POSTGRES_URL"
RESULTS = Path(__file__).with_name("RESULTS.md")


@dataclass(frozen=True)
class Task:
    """One process's work: a measurement function, and what it is called in the results."""

    label: str
    target: str
    """``module:function``; the function takes a :class:`Setup` and returns measurements."""
    needs: str | None = None
    """A benchmark module written separately; without it the task is not measured."""


TASKS = (
    Task("bulk import", "benchmarks.measures:bulk_import"),
    Task("raw appends", "benchmarks.measures:raw_appends"),
    Task("raw reads", "benchmarks.measures:read_log"),
    Task("bulk import floor", "benchmarks.measures:bulk_import_floor"),
    Task("projection rebuild", "benchmarks.suites:projection_rebuild", "benchmarks.projection_rebuild"),
    Task("audit verify", "benchmarks.suites:audit_verify", "benchmarks.audit_verify"),
    Task("read models as of a position", "benchmarks.measures:read_models_as_of"),
    Task("whole register in the past", "benchmarks.past_reads:measure"),
    Task("clerk's reads", "benchmarks.measures:clerk_reads"),
    Task("CLI cold start", "benchmarks.suites:cli_startup", "benchmarks.cli_startup"),
    Task("HTTP reads", "benchmarks.suites:http_reads", "benchmarks.http_reads"),
    Task("record one command", "benchmarks.measures:record_one_command"),
    Task("position of a recorded time", "benchmarks.recorded_times:measure"),
)
"""In this order: the store is filled first, read-only work follows, then the
one-off commands, which extend the log, and last the position of a recorded
time, which refills the store's index of recorded times a row per event."""


@dataclass
class Outcome:
    """What one task gave at one store and size."""

    task: Task
    kind: str
    size: int
    measurements: list[Measurement] = field(default_factory=list)
    peak_rss_mb: float | None = None
    seconds: float = 0.0
    not_measured: str | None = None
    commit: str | None = None
    """The code it was measured at (its run's commit); None for figures kept
    from runs made before outcomes recorded it."""


def run(
    *,
    sizes: Sequence[int],
    kinds: Sequence[str],
    workdir: Path,
    postgres_url: str | None,
    batch: int = 10_000,
    oneoffs: int = 50,
    seed: int = 2023,
    quick: bool = False,
    tasks: Sequence[Task] = TASKS,
    progress: bool = True,
    keep: bool = False,
) -> list[Outcome]:
    """Every task at every size on every kind of store, each in a fresh process;
    with ``keep``, stores are kept for the next run, which measures them as
    they are instead of importing the history again."""
    outcomes = []
    for kind in kinds:
        for size in sizes:
            if kind == "postgres" and not postgres_url:
                outcomes += [
                    Outcome(task, kind, size, not_measured=f"no PostgreSQL server: set {POSTGRES_URL_VARIABLE}")
                    for task in tasks
                ]
                continue
            settings = {"batch": batch, "oneoffs": oneoffs, "seed": seed, "quick": quick}
            with _stores(kind, size, workdir, postgres_url, settings, keep=keep) as setup:
                kept = _events_kept(setup) if keep else 0
                # A store whose one-off commands (a warm-up and ``oneoffs``) an
                # earlier run recorded holds them beside the history.
                if kept not in (0, size, size + oneoffs + 1):
                    reason = f"the store kept holds {kept:,} events, not {size:,} (an import cut short?): remove it"
                    outcomes += [Outcome(task, kind, size, not_measured=reason) for task in tasks]
                    continue
                for task in tasks:
                    if task is TASKS[0] and kept:
                        outcomes.append(Outcome(task, kind, size, not_measured=f"a store kept with {kept:,} events"))
                        continue
                    outcome = _run_task(task, setup)
                    outcomes.append(outcome)
                    if progress:
                        print(_progress_line(outcome), file=sys.stderr, flush=True)
                    if task.label == "bulk import" and outcome.not_measured:
                        break
    return outcomes


def _run_task(task: Task, setup: Setup) -> Outcome:
    outcome = Outcome(task, setup.kind, setup.size)
    if task.needs is not None and importlib.util.find_spec(task.needs) is None:
        outcome.not_measured = f"{task.needs.replace('.', '/')}.py is not in the repository"
        return outcome
    from benchmarks.measures import run_isolated

    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        try:
            outcome.measurements, outcome.peak_rss_mb = pool.submit(run_isolated, task.target, setup).result()
        except (Exception, SystemExit) as error:  # one broken benchmark must not hide the others' figures
            first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
            outcome.not_measured = f"{type(error).__name__}: {first_line}"
    outcome.seconds = time.perf_counter() - started
    return outcome


def _progress_line(outcome: Outcome) -> str:
    where = f"{outcome.kind} {outcome.size:>9,} {outcome.task.label:<20}"
    if outcome.not_measured:
        return f"{where} not measured: {outcome.not_measured}"
    figures = ", ".join(f"{m.name} {m.value:,.1f} {m.unit}" for m in outcome.measurements)
    return f"{where} {outcome.seconds:7.1f} s  {outcome.peak_rss_mb or 0:6.0f} MB  {figures}"


@contextmanager
def _stores(
    kind: str, size: int, workdir: Path, postgres_url: str | None, settings: dict[str, Any], *, keep: bool = False
) -> Iterator[Setup]:
    """Fresh, empty stores for one size: the one under test and the references';
    with ``keep``, those an earlier run kept, kept again afterwards (an SQLite
    folder in ``workdir``, PostgreSQL schemas ``bench_<size>_kept…``)."""
    if kind == "sqlite":
        directory = workdir / f"sqlite-{size}"
        if not keep:
            shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True, exist_ok=keep)
        try:
            yield Setup(
                kind,
                size,
                store=str(directory / "citycoop.db"),
                recorder_store=str(directory / "recorder.db"),
                plain_store=str(directory / "plain.db"),
                **settings,
            )
        finally:
            if not keep:
                shutil.rmtree(directory, ignore_errors=True)
        return
    assert postgres_url is not None
    prefix = f"bench_{size}_kept" if keep else f"bench_{size}_{uuid.uuid4().hex[:8]}"
    schemas = kept_schemas if keep else throwaway_schemas
    with schemas(postgres_url, prefix, f"{prefix}_recorder", f"{prefix}_plain") as stores:
        store, recorder_store, plain_store = stores
        yield Setup(kind, size, store=store, recorder_store=recorder_store, plain_store=plain_store, **settings)


def _events_kept(setup: Setup) -> int:
    """The events already in the store under test (0 if it is new)."""
    if setup.kind == "sqlite":
        if not Path(setup.store).exists():
            return 0
        with closing(sqlite3.connect(setup.store)) as connection:
            if not connection.execute("SELECT 1 FROM sqlite_master WHERE name = 'stored_events'").fetchall():
                return 0
            return int(connection.execute("SELECT COUNT(*) FROM stored_events").fetchone()[0])
    import psycopg

    url, schema = postgres_url_and_schema(setup.store)
    with psycopg.connect(url) as connection:
        found = connection.execute("SELECT to_regclass(%s)", (f"{schema}.citycoop_events",)).fetchone()
        if found is None or found[0] is None:
            return 0
        return int(connection.execute(f"SELECT COUNT(*) FROM {schema}.citycoop_events").fetchone()[0])


def select(tasks: Sequence[Task], only: str | None) -> list[Task]:
    """The tasks whose label holds one of the comma-separated words, and the
    import, which fills the store for the others."""
    if not only:
        return list(tasks)
    words = [word.strip().lower() for word in only.split(",") if word.strip()]
    return [task for task in tasks if task is tasks[0] or any(word in task.label.lower() for word in words)]


def names_the_import(only: str) -> bool:
    """Whether ``--only`` names the import itself, whose figures then replace the earlier ones."""
    return any(word.strip().lower() == TASKS[0].label for word in only.split(","))


def merged(earlier: Sequence[Outcome], outcomes: Sequence[Outcome], *, only: bool) -> list[Outcome]:
    """The earlier figures, each task's replaced where this run measured it
    at the same store and size; the import of a run of ``only`` some tasks
    (none of them named the import) filled the stores for them, and replaces
    no earlier import."""

    def key(outcome: Outcome) -> tuple[str, int, str]:
        return outcome.kind, outcome.size, outcome.task.label

    had = {key(outcome) for outcome in earlier}
    new = [o for o in outcomes if not (only and o.task.label == TASKS[0].label and key(o) in had)]
    replaced = {key(outcome) for outcome in new}
    return [outcome for outcome in earlier if key(outcome) not in replaced] + new


def parse_sizes(text: str) -> list[int]:
    """``10000,100000,1000000`` or ``10k,100k,1M``."""
    multipliers = {"k": 1_000, "m": 1_000_000}
    sizes = []
    for part in text.lower().replace("_", "").split(","):
        number = part.strip()
        multiplier = multipliers.get(number[-1:], 1)
        sizes.append(int(float(number.rstrip("km")) * multiplier))
    return sizes


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run_all",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--sizes", default="10000,100000", help="events in the log, e.g. 10k,100k,1M")
    parser.add_argument("--stores", default="sqlite,postgres", help="sqlite, postgres or both")
    parser.add_argument("--batch", type=int, default=10_000, help="entries per imported file (one transaction)")
    parser.add_argument("--oneoffs", type=int, default=50, help="commands recorded one at a time")
    parser.add_argument("--seed", type=int, default=2023)
    parser.add_argument("--quick", action="store_true", help="light HTTP and CLI loads, to try the harness out")
    parser.add_argument(
        "--only", help="comma-separated words: run only the tasks whose label holds one (the import always runs)"
    )
    parser.add_argument("--postgres-url", default=os.environ.get(POSTGRES_URL_VARIABLE))
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/citycoop-benchmarks"))
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument(
        "--keep-stores",
        action="store_true",
        help="keep each size's stores (in --workdir, or schemas bench_<size>_kept) and measure those an earlier run"
        " kept without importing again; for tasks that leave the log as it is (with --only)",
    )
    parser.add_argument(
        "--add",
        action="store_true",
        help="keep the figures of earlier runs (from RESULTS.json) for the stores and sizes this run does not measure",
    )
    parser.add_argument(
        "--render", action="store_true", help="measure nothing: write RESULTS.md again from RESULTS.json"
    )
    args = parser.parse_args(argv)
    if args.render:
        _write(args.output, *report.load(args.output.with_suffix(".json")), args.postgres_url)
        return

    kinds = [kind.strip() for kind in args.stores.split(",")]
    if unknown := set(kinds) - {"sqlite", "postgres"}:
        parser.error(f"--stores: unknown store {', '.join(sorted(unknown))}; use sqlite, postgres or both")
    sizes = parse_sizes(args.sizes)
    command = "python -m benchmarks.run_all " + " ".join(sys.argv[1:] if argv is None else argv)
    started, code = time.time(), report.code_version()
    outcomes = run(
        sizes=sizes,
        kinds=kinds,
        workdir=args.workdir,
        postgres_url=args.postgres_url,
        batch=args.batch,
        oneoffs=args.oneoffs,
        seed=args.seed,
        quick=args.quick,
        tasks=select(TASKS, args.only),
        keep=args.keep_stores,
    )
    for outcome in outcomes:
        outcome.commit = code
    kept = args.output.with_suffix(".json")
    runs, earlier = report.load(kept) if args.add and kept.exists() else ([], [])
    if args.add and args.only and not names_the_import(args.only):
        command += " (its bulk imports only filled the stores; every other figure is from the runs before)"
    elif args.add and args.only:
        command += " (every figure it did not measure is from the runs before)"
    this_run = report.Run(command.strip(), started, time.time() - started, os.getloadavg()[0], code)
    outcomes = merged(earlier, outcomes, only=bool(args.only) and not names_the_import(args.only))
    runs = [*runs, this_run]
    report.save(kept, runs, outcomes)
    print(_write(args.output, runs, outcomes, args.postgres_url))


def _write(output: Path, runs: list[report.Run], outcomes: list[Outcome], postgres_url: str | None) -> str:
    """Write the report, keeping the analysis written by hand in the one it replaces."""
    text = report.render(
        outcomes,
        runs=runs,
        postgres_url=postgres_url if any(outcome.kind == "postgres" for outcome in outcomes) else None,
        previous=output.read_text(encoding="utf-8") if output.exists() else "",
    )
    output.write_text(text, encoding="utf-8")
    return text


if __name__ == "__main__":
    main()
