"""Projections run as processes of their own: a rebuild killed with a real
``kill -9`` resumes and ends exactly as a clean rebuild, rebuilds of different
projections run side by side, and several runners follow one PostgreSQL log
in parallel without applying anything twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path

import pytest

from benchmarks.generator import entries
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.projections import ReadModels, catch_up, status
from citycoop.adapters.projections.runner import read_model_database
from tests.integration.projection_story import fill, read_model_tables

CITYCOOP = Path(sys.executable).parent / "citycoop"


def citycoop(store: str, *arguments: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(CITYCOOP), "--store", store, *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)


def test_a_rebuild_killed_mid_way_resumes_and_ends_as_a_clean_rebuild(
    app: CityCoop, store: str, processes: list[subprocess.Popen[str]]
) -> None:
    head = fill(app, entries(3_000))
    catch_up(app)
    live = read_model_tables(app)
    database = read_model_database(app)

    rebuilding = citycoop(store, "projections", "rebuild", "--batch-size", "5")
    processes.append(rebuilding)
    wait_until(lambda: 0 < database.positions().get("timeline@2", 0) < head // 2)
    os.kill(rebuilding.pid, signal.SIGKILL)
    assert rebuilding.wait(timeout=30) == -signal.SIGKILL

    interrupted = {entry.name: entry.rebuilding for entry in status(app)}
    assert all(rebuilding is not None and 0 < rebuilding.position < head for rebuilding in interrupted.values())
    assert read_model_tables(app) == live, "readers keep the old tables while the rebuild is unfinished"

    resumed = citycoop(store, "projections", "run")
    processes.append(resumed)
    assert resumed.wait(timeout=120) == 0, resumed.communicate()[1]
    after = status(app)
    assert {(entry.generation, entry.position, entry.rebuilding) for entry in after} == {(2, head, None)}
    resumed_tables = read_model_tables(app)

    clean = citycoop(store, "projections", "rebuild")
    processes.append(clean)
    assert clean.wait(timeout=120) == 0, clean.communicate()[1]
    assert {entry.generation for entry in status(app)} == {3}
    assert read_model_tables(app) == resumed_tables == live


def test_projections_rebuilt_by_processes_side_by_side_end_as_one_rebuild_of_all(
    app: CityCoop, store: str, processes: list[subprocess.Popen[str]]
) -> None:
    head = fill(app, entries(3_000))
    catch_up(app)
    live = read_model_tables(app)
    database = read_model_database(app)

    rebuilds = [
        citycoop(store, "projections", "rebuild", "--batch-size", "2", *names)
        for names in (
            ("--name", "timeline", "--name", "city_directory"),
            ("--name", "partnership_summaries", "--name", "conference_register", "--name", "agreement_register"),
        )
    ]
    processes.extend(rebuilds)
    if store.startswith("postgresql"):
        # Both are seen mid-way at once. On SQLite they take turns on the
        # write lock, and which one waits is SQLite's choice.
        wait_until(
            lambda: all(0 < database.positions().get(name, 0) < head for name in ("timeline@2", "agreement_register@2"))
        )
    for rebuilding in rebuilds:
        assert rebuilding.wait(timeout=120) == 0, rebuilding.communicate()[1]

    assert {(entry.generation, entry.position, entry.rebuilding) for entry in status(app)} == {(2, head, None)}
    assert read_model_tables(app) == live


@pytest.mark.postgres
def test_runners_in_parallel_on_postgresql_apply_every_event_once(
    postgres_store: str, processes: list[subprocess.Popen[str]]
) -> None:
    app = CityCoop(postgres_store)
    try:
        history = entries(2_000)
        fill(app, islice(history, 10))
        catch_up(app)
        followers = [
            citycoop(postgres_store, "projections", "run", "--follow", *names)
            for names in (
                ("--name", "partnership_summaries", "--name", "timeline"),
                ("--name", "partnership_summaries"),
                ("--name", "conference_register", "--name", "agreement_register", "--name", "city_directory"),
            )
        ]
        processes.extend(followers)
        head = fill(app, history)
        wait_until(lambda: {entry.position for entry in status(app)} == {head})
        for follower in followers:
            follower.send_signal(signal.SIGTERM)
        for follower in followers:
            assert follower.wait(timeout=30) == 0, follower.communicate()[1]
        followed = read_model_tables(app)
        assert len(ReadModels(app).partnerships()) > 1
        rebuilt = citycoop(postgres_store, "projections", "rebuild")
        processes.append(rebuilt)
        assert rebuilt.wait(timeout=120) == 0, rebuilt.communicate()[1]
        assert read_model_tables(app) == followed
    finally:
        app.close()
