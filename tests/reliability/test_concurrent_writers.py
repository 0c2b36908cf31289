"""Concurrent writers: several processes record into one store at once, most
of them on the same partnership. Nothing accepted is lost or doubled, nothing
refused is half-written, and every hash chain still verifies."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.projections import catch_up, rebuild
from reliability.crashes import start_citycoop
from reliability.processes import citycoop
from reliability.records import broken_links, events_per_key, log_of
from reliability.story import establish_wuxi_singapore, wuxi_singapore_id
from tests.integration.projection_story import read_model_tables

WRITER = Path(__file__).with_name("workers") / "writer.py"
WRITERS = 4
COMMANDS_EACH = 30


@dataclass(frozen=True)
class Outcome:
    """What one writer was told about one command (or batch)."""

    keys: list[str]
    recorded: bool
    refusal: str | None = None
    error: str | None = None
    read_models_behind: str | None = None


def run_writers(
    store: str, *, writers: int, commands_each: int, round_: str | None = None, timeout: float = 600
) -> list[Outcome]:
    """Start ``writers`` processes, release them together, and collect what each was told."""
    processes = [
        subprocess.Popen(
            [sys.executable, str(WRITER), store, str(writer), str(commands_each), *([round_] if round_ else [])],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for writer in range(writers)
    ]
    try:
        for process in processes:
            assert process.stdout is not None
            assert process.stdout.readline().strip() == "ready", process.communicate()[1]
        for process in processes:
            assert process.stdin is not None
            process.stdin.write("go\n")
            process.stdin.flush()
        outcomes = []
        for process in processes:
            output, errors = process.communicate(timeout=timeout)
            assert process.returncode == 0, errors
            outcomes += [Outcome(**json.loads(line)) for line in output.splitlines()]
        return outcomes
    finally:
        for process in processes:
            process.kill()
            process.wait()


def assert_nothing_lost_doubled_or_half_written(store: str, outcomes: list[Outcome], *, setup_events: int) -> None:
    recorded = events_per_key(store)
    for outcome in outcomes:
        expected = 1 if outcome.recorded else 0
        assert [recorded[key] for key in outcome.keys] == [expected] * len(outcome.keys), outcome
    accepted_keys = sum(len(outcome.keys) for outcome in outcomes if outcome.recorded)
    assert sum(recorded.values()) == setup_events + accepted_keys, "no event without an accepted command"


def assert_refusals_are_clear(outcomes: list[Outcome], *, sqlite: bool) -> None:
    for outcome in outcomes:
        if outcome.recorded:
            continue
        assert outcome.error is not None
        assert "\n" not in outcome.error
        if outcome.refusal == "ConflictError":
            assert "another writer changed the same record" in outcome.error
        elif outcome.refusal == "PartnershipExistsError":
            assert outcome.keys == [outcome.keys[0]], "only the race to establish 无锡–Singapura"
            assert "无锡" in outcome.error
        else:
            assert sqlite, f"PostgreSQL writers wait for each other's locks: {outcome}"
            assert outcome.refusal == "StoreUnavailableError"
            assert "locked" in outcome.error or "busy" in outcome.error


def assert_read_models_equal_a_clean_rebuild(store: str) -> None:
    """Writers caught the read models up concurrently; once the last catch-up
    is done they must hold each event exactly once, as a rebuild from zero does."""
    app = CityCoop(store)
    try:
        catch_up(app)
        live = read_model_tables(app)
        rebuild(app)
        assert read_model_tables(app) == live
        assert live["partnership_summaries"], "the read models hold something"
    finally:
        app.close()


def assert_the_audit_finds_the_log_intact(store: str, home: Path) -> None:
    """The project's own verifier agrees with the independent recomputation above."""
    result = citycoop("--store", store, "audit", "verify", home=home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "the log is intact" in result.stdout


def read_models(store: str) -> dict[str, list[tuple[object, ...]]]:
    app = CityCoop(store)
    try:
        return read_model_tables(app)
    finally:
        app.close()


def test_concurrent_writers_lose_nothing_double_nothing_and_keep_every_chain(store: str, home: Path) -> None:
    app = CityCoop(store)
    establish_wuxi_singapore(app)
    app.close()

    outcomes = run_writers(store, writers=WRITERS, commands_each=COMMANDS_EACH)

    assert len(outcomes) == WRITERS * COMMANDS_EACH
    assert_refusals_are_clear(outcomes, sqlite=not store.startswith("postgresql://"))
    assert_nothing_lost_doubled_or_half_written(store, outcomes, setup_events=1)
    assert broken_links(log_of(store)) == []
    assert_the_audit_finds_the_log_intact(store, home)
    assert_read_models_equal_a_clean_rebuild(store)
    race = [outcome for outcome in outcomes if outcome.keys[0].endswith("/0")]
    assert sum(outcome.recorded for outcome in race) == 1, "exactly one writer establishes 无锡–Singapura"
    assert len(read_models(store)["partnership_summaries"]) > WRITERS
    writers_heard = Counter(outcome.keys[0].split("/")[0] for outcome in outcomes if outcome.recorded)
    assert len(writers_heard) == WRITERS, f"every writer records something: {writers_heard}"


def test_the_shared_partnership_holds_exactly_the_accepted_initiatives(store: str) -> None:
    app = CityCoop(store)
    establish_wuxi_singapore(app)
    app.close()

    outcomes = run_writers(store, writers=3, commands_each=20)

    accepted = {key for outcome in outcomes if outcome.recorded for key in outcome.keys}
    expected = sorted(_initiative_name(key) for key in accepted if _launches_an_initiative(key))
    app = CityCoop(store)
    try:
        partnership = app.get_record(wuxi_singapore_id())
    finally:
        app.close()
    assert sorted(initiative.name for initiative in partnership.state.initiatives) == expected
    assert partnership.version == 1 + sum(_touches_the_shared_partnership(key) for key in accepted)


def _launches_an_initiative(key: str) -> bool:
    number = key.split("/")[1]
    return int(number) % 4 == 1 or key.endswith("/b")


def _touches_the_shared_partnership(key: str) -> bool:
    number = int(key.split("/")[1])
    return number != 0 and (number % 4 in (1, 2) or key.endswith("/b"))


def _initiative_name(key: str) -> str:
    writer, number = key.removeprefix("writer-").split("/")[:2]
    prefix = "Joint park" if key.endswith("/b") else "Exchange programme"
    return f"{prefix} {writer}-{number}"


def test_the_chain_check_of_these_tests_notices_a_changed_byte(sqlite_store: str) -> None:
    """The concurrency tests trust ``broken_links``; show that it can fail."""
    app = CityCoop(sqlite_store)
    establish_wuxi_singapore(app)
    log = log_of(sqlite_store)
    app.close()
    forged: Any = log[0].__class__(
        id=log[0].id,
        originator_id=log[0].originator_id,
        originator_version=log[0].originator_version,
        topic=log[0].topic,
        state=log[0].state.replace(b"1993", b"1994"),
    )

    assert broken_links(log) == []
    assert broken_links([forged]) == [f"event 1 ({forged.originator_id} v1) does not hash to its recorded value"]


OPEN_STORE = """
import sys
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.projections import catch_up
app = CityCoop(sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()
catch_up(app)
app.close()
"""
"""Opens the log, then waits, so that every process sets up the read models at the same moment."""


def test_processes_opening_a_new_store_at_the_same_time_all_succeed(store: str) -> None:
    """Each one creates the log's and the read models' tables if they are
    missing. PostgreSQL refuses concurrent DDL ("tuple concurrently updated",
    a duplicate type), so they take turns; on SQLite the library looks for its
    tracking table, then creates it, and two processes can both look first."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_STORE, store],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    for process in processes:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "ready", process.communicate()[1]
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    errors = [process.communicate(timeout=120)[1] for process in processes]
    failures = [error for process, error in zip(processes, errors, strict=True) if process.returncode != 0]

    assert failures == []
    assert log_of(store) == []


def test_clerks_recording_at_once_from_the_command_line_see_one_line_conflicts_and_a_retry_records_once(
    store: str, home: Path
) -> None:
    app = CityCoop(store)
    establish_wuxi_singapore(app)
    catch_up(app)
    app.close()
    names = [f"Wuxi-Singapore youth exchange {number}" for number in range(1, 7)]

    def record(name: str) -> subprocess.Popen[str]:
        arguments = ["--partnership", str(wuxi_singapore_id()), "--name", name, "--kind", "exchange-programme"]
        return start_citycoop(store, "record", "launch-initiative", *arguments, "--key", name, home=home)

    clerks = [record(name) for name in names]
    results = [(clerk, *clerk.communicate(timeout=120)) for clerk in clerks]
    refused = [name for name, (clerk, _, errors) in zip(names, results, strict=True) if clerk.returncode != 0]
    for clerk, _, errors in results:
        if clerk.returncode != 0:
            assert clerk.returncode == 1
            assert errors.strip().splitlines() == [
                "Error: record: another writer changed the same record at the same time; nothing was recorded, retry"
            ]
    assert events_per_key(store).keys() & set(refused) == set()

    for name in [*refused, names[0]]:  # and one that was recorded: its key makes the retry record nothing
        retried = record(name)
        assert retried.wait(timeout=120) == 0, retried.communicate()[1]

    recorded = events_per_key(store)
    assert [recorded[name] for name in names] == [1] * len(names)
