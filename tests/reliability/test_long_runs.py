"""The long runs: the suite's crash, concurrency, outage and property tests,
repeated until rare interleavings have had their chance. Deselected by
default; ``LONG_RUNS.md`` says how to run them and keeps their last results.

Each run prints one ``LONG RUN`` line with its figures (run pytest with -s).
The seed of each run's randomness is printed too, so a failure can be replayed
with ``CITYCOOP_LONG_RUN_SEED``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from random import Random

import pytest

from citycoop.adapters.application.importing import import_path
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.projections import rebuild, status
from citycoop.adapters.storage.errors import StoreUnavailableError
from reliability.conftest import through
from reliability.crashes import (
    WriteProbe,
    kill_after,
    kill_at_position,
    kill_while_writing,
    start_citycoop,
    start_import,
    wait_until_no_one_writes,
)
from reliability.processes import citycoop
from reliability.proxy import TcpProxy
from reliability.records import broken_links, events_per_key, log_of
from reliability.story import big_import, establish_wuxi_singapore
from reliability.test_concurrent_writers import (
    assert_nothing_lost_doubled_or_half_written,
    assert_read_models_equal_a_clean_rebuild,
    assert_refusals_are_clear,
    run_writers,
)
from tests.integration.projection_story import read_model_tables

pytestmark = pytest.mark.long

SCALE = float(os.environ.get("CITYCOOP_LONG_RUN_SCALE", "1"))
"""Shrinks (0.1) or stretches (10) every run at once."""
IMPORT_KILLS = max(2, round(40 * SCALE))
RUNNER_KILLS = max(2, round(25 * SCALE))
WRITER_ROUNDS = max(1, round(4 * SCALE))
OUTAGE_SECONDS = 240 * SCALE
PROPERTY_EXAMPLES = max(100, round(3_000 * SCALE))


@pytest.fixture
def random() -> Random:
    seed = int(os.environ.get("CITYCOOP_LONG_RUN_SEED", time.time_ns() % 1_000_000))
    print(f"\nseed {seed}")
    return Random(seed)


def report(name: str, **figures: object) -> None:
    print(f"\nLONG RUN {name}: " + "; ".join(f"{key}: {value}" for key, value in figures.items()))


def assert_the_audit_finds_the_log_intact(store: str, home: Path) -> None:
    audit = citycoop("--store", store, "audit", "verify", home=home)
    assert audit.returncode == 0, audit.stdout + audit.stderr


def kind(store: str) -> str:
    return "postgresql" if store.startswith("postgresql://") else "sqlite"


def partner(number: int) -> dict[str, str]:
    return {"name": f"Partner city {number}", "country": "Singapore"}


def test_writers_killed_during_imports_again_and_again_leave_every_file_whole_or_absent(
    store: str, tmp_path: Path, home: Path, random: Random
) -> None:
    CityCoop(store).close()
    files = []
    outcomes: Counter[str] = Counter()
    with WriteProbe(store) as probe:
        for number in range(IMPORT_KILLS):
            entries = random.randint(200, 4_000)
            path = big_import(
                tmp_path / f"import-{number}.json",
                initiatives=entries,
                batch=f"import-{number}",
                partner=partner(number),
            )
            files.append((path, entries + 1))
            process = start_import(store, path, home)
            if random.random() < 0.5:
                hold = random.choice([0.0, random.uniform(0, 0.02), random.uniform(0, 0.3)])
                killed = kill_while_writing(process, probe, hold=hold)
                how = "while writing"
            else:
                killed = kill_after(process, random.uniform(0.3, 4.0))
                how = "at a random moment"
            wait_until_no_one_writes(probe)
            recorded = sum(
                count for key, count in events_per_key(store).items() if key and key.startswith(f"import-{number}/")
            )
            assert recorded in (0, entries + 1), f"import {number}, killed {how}: {recorded} of {entries + 1} events"
            outcomes[f"{how} ({'killed' if killed else 'finished'}, {'all' if recorded else 'none'} recorded)"] += 1

    for path, _ in files:
        again = citycoop("--store", store, "import", str(path), home=home)
        assert again.returncode == 0, again.stderr
    recorded = events_per_key(store)
    assert sum(recorded.values()) == sum(events for _, events in files)
    assert set(recorded.values()) == {1}
    assert broken_links(log_of(store)) == []
    assert_the_audit_finds_the_log_intact(store, home)
    assert_read_models_equal_a_clean_rebuild(store)
    report("import kills", store=kind(store), imports=IMPORT_KILLS, events=len(recorded), **outcomes)


def test_projection_runners_killed_again_and_again_apply_every_event_exactly_once(
    store: str, tmp_path: Path, home: Path, random: Random
) -> None:
    app = CityCoop(store)
    try:
        start = big_import(tmp_path / "start.json", initiatives=max(500, round(8_000 * SCALE)), batch="start")
        import_path(app, start, actor="clerk")
        outcomes: Counter[str] = Counter()
        for number in range(RUNNER_KILLS):
            if random.random() < 0.3:
                more = big_import(
                    tmp_path / f"more-{number}.json", initiatives=500, batch=f"more-{number}", partner=partner(number)
                )
                import_path(app, more, actor="clerk")
            head = app.recorder.max_notification_id()
            reached = min(entry.position for entry in status(app))
            target = reached + random.randint(1, max(1, (head - reached) // 3))
            batch_size = random.choice(["1", "7", "50", "500"])
            runner = start_citycoop(store, "projections", "run", "--batch-size", batch_size, home=home)
            killed_at = kill_at_position(runner, app, target)
            outcomes["killed" if killed_at is not None else "finished first"] += 1
            assert all(entry.position <= head for entry in status(app))

        finished = citycoop("--store", store, "projections", "run", home=home)
        assert finished.returncode == 0, finished.stderr
        head = app.recorder.max_notification_id()
        assert {entry.position for entry in status(app)} == {head}
        resumed = read_model_tables(app)
        rebuild(app)
        assert read_model_tables(app) == resumed
    finally:
        app.close()
    report("runner kills", store=kind(store), runs=RUNNER_KILLS, events=head, **outcomes)


def test_many_writers_over_many_rounds_lose_nothing_double_nothing_and_keep_every_chain(store: str, home: Path) -> None:
    app = CityCoop(store)
    establish_wuxi_singapore(app)
    app.close()
    outcomes = []
    for round_ in range(WRITER_ROUNDS):
        outcomes += run_writers(store, writers=6, commands_each=120, round_=f"r{round_}")

    assert_refusals_are_clear(outcomes, sqlite=not store.startswith("postgresql://"))
    assert_nothing_lost_doubled_or_half_written(store, outcomes, setup_events=1)
    assert broken_links(log_of(store)) == []
    assert_the_audit_finds_the_log_intact(store, home)
    assert_read_models_equal_a_clean_rebuild(store)
    refusals = Counter(outcome.refusal for outcome in outcomes if not outcome.recorded)
    report(
        "concurrent writers",
        store=kind(store),
        commands=len(outcomes),
        recorded=sum(outcome.recorded for outcome in outcomes),
        **{str(name): count for name, count in refusals.items()},
    )


@pytest.mark.postgres
def test_a_clerk_keeps_importing_while_postgresql_comes_and_goes(
    postgres_store: str, proxy: TcpProxy, tmp_path: Path, home: Path, random: Random
) -> None:
    """Cuts come at random moments, halfway through big inserts and just after
    a COMMIT was sent; the clerk retries each file until it is recorded."""
    store = through(proxy, postgres_store)
    stop = threading.Event()
    cuts: Counter[str] = Counter()

    def chaos() -> None:
        while not stop.wait(random.uniform(0.5, 3.0)):
            kind = random.choice(["now", "halfway through an insert", "after a COMMIT was sent"])
            if kind == "now":
                proxy.cut()
            elif kind == "halfway through an insert":
                proxy.cut_past(random.randint(10_000, 2_000_000))
            else:
                proxy.cut_once_sent(b"COMMIT")
            cuts[kind] += 1
            time.sleep(random.uniform(0.1, 3.0))
            proxy.restore()

    files = []
    attempts = Counter[str]()
    app = CityCoop(store, env={"POSTGRES_CONNECT_TIMEOUT": "1"})
    chaos_thread = threading.Thread(target=chaos, daemon=True)
    chaos_thread.start()
    try:
        deadline = time.monotonic() + OUTAGE_SECONDS
        number = 0
        while time.monotonic() < deadline:
            entries = random.randint(10, 3_000)
            path = big_import(
                tmp_path / f"file-{number}.json", initiatives=entries, batch=f"file-{number}", partner=partner(number)
            )
            files.append(entries + 1)
            while True:
                try:
                    import_path(app, path, actor="clerk")
                    attempts["recorded"] += 1
                    break
                except StoreUnavailableError as error:
                    attempts["store unavailable" if "\n" not in str(error) else "a store error of many lines"] += 1
            number += 1
    finally:
        stop.set()
        chaos_thread.join()
        proxy.restore()
        app.close()

    assert attempts["a store error of many lines"] == 0
    recorded = events_per_key(postgres_store)
    assert sum(recorded.values()) == sum(files)
    assert set(recorded.values()) == {1}
    assert broken_links(log_of(postgres_store)) == []
    assert_the_audit_finds_the_log_intact(postgres_store, home)
    report("postgresql outages", files=len(files), events=sum(files), **attempts, **cuts)


def test_the_properties_hold_for_thousands_of_examples(home: Path) -> None:
    properties = Path(__file__).with_name("test_properties.py")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", str(properties), "-q", "-p", "no:cacheprovider"],
        capture_output=True,
        text=True,
        env={**os.environ, "CITYCOOP_PROPERTY_EXAMPLES": str(PROPERTY_EXAMPLES)},
        cwd=Path(__file__).parents[2],
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report("properties", examples_each=PROPERTY_EXAMPLES, summary=result.stdout.strip().splitlines()[-1])
