"""Crashes: a writer killed with SIGKILL in the middle of a big import leaves
all of the file or none of it, and the import given again records it once."""

from __future__ import annotations

import re
import time
from pathlib import Path
from random import Random

from citycoop.adapters.application.importing import import_path
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.projections import rebuild, status
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
from reliability.records import broken_links, events_per_key, log_of
from reliability.story import big_import
from tests.integration.projection_story import read_model_tables

INITIATIVES = 3_000
EVENTS = INITIATIVES + 1
RUNNER_INITIATIVES = 800


def test_a_writer_killed_while_writing_an_import_leaves_all_or_none_of_it_and_a_second_import_records_it_once(
    store: str, tmp_path: Path, home: Path
) -> None:
    bulk = big_import(tmp_path / "bulk.json", initiatives=INITIATIVES)
    CityCoop(store).close()

    with WriteProbe(store) as probe:
        process = start_import(store, bulk, home)
        assert kill_while_writing(process, probe), "the import was killed inside its transaction"
        wait_until_no_one_writes(probe)

    after_the_crash = events_per_key(store)
    assert sum(after_the_crash.values()) in (0, EVENTS), "all of the file or none of it"
    result = citycoop("--store", store, "import", str(bulk), home=home)
    assert result.returncode == 0, result.stderr
    recorded = events_per_key(store)
    assert len(recorded) == EVENTS
    assert set(recorded.values()) == {1}
    assert broken_links(log_of(store)) == []
    audit = citycoop("--store", store, "audit", "verify", home=home)
    assert audit.returncode == 0, audit.stdout + audit.stderr


def test_a_projection_runner_killed_at_random_points_resumes_and_applies_every_event_exactly_once(
    store: str, tmp_path: Path, home: Path
) -> None:
    app = CityCoop(store)
    try:
        import_path(app, big_import(tmp_path / "bulk.json", initiatives=RUNNER_INITIATIVES), actor="clerk")
        head = app.recorder.max_notification_id()
        random = Random(head)
        kills = []
        for share in sorted(random.uniform(0.05, 0.9) for _ in range(2)):
            runner = start_citycoop(store, "projections", "run", "--batch-size", "5", home=home)
            reached = kill_at_position(runner, app, int(head * share))
            kills.append(reached)
            assert all(entry.position <= head for entry in status(app))

        finished = citycoop("--store", store, "projections", "run", home=home)
        assert finished.returncode == 0, finished.stderr
        assert {entry.position for entry in status(app)} == {head}
        resumed = read_model_tables(app)
        rebuild(app)
        assert read_model_tables(app) == resumed, "resumed read models equal a clean rebuild"
    finally:
        app.close()
    assert any(reached is not None for reached in kills), f"no runner was killed while it ran: {kills}"


def test_a_writer_killed_while_creating_a_store_leaves_only_a_hidden_file_and_no_store(
    tmp_path: Path, home: Path
) -> None:
    bulk = big_import(tmp_path / "bulk.json", initiatives=INITIATIVES)
    folder = tmp_path / "stores"
    folder.mkdir()
    store = folder / "citycoop.db"

    process = start_import(str(store), bulk, home)
    deadline = time.monotonic() + 60
    while not list(folder.glob(".citycoop.db.*.new")) and time.monotonic() < deadline:
        time.sleep(0.002)
    killed = kill_after(process, 0.3)

    assert killed, "the import was killed while it was creating the store"
    assert not store.exists()
    assert all(re.fullmatch(r"\.citycoop\.db\.[0-9a-f]{8}\.new(-wal|-shm)?", path.name) for path in folder.iterdir())
    result = citycoop("--store", str(store), "import", str(bulk), home=home)
    assert result.returncode == 0, result.stderr
    assert len(events_per_key(str(store))) == EVENTS
