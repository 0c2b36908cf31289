"""A large import records without Python's cyclic garbage collector running
over the objects it holds until they are written (a fifth of its CPU time
otherwise), and leaves the collector as it found it."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from typing import Any

import pytest

from benchmarks.generator import entries
from citycoop.adapters.application.importing import parse, record
from citycoop.adapters.application.service import CityCoop


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generations the collector goes over while the test runs."""
    seen: list[int] = []

    def note(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            seen.append(info["generation"])

    gc.callbacks.append(note)
    yield seen
    gc.callbacks.remove(note)


def _history(size: int) -> list[Any]:
    return parse(json.dumps({"entries": list(entries(size))}), filename="history.json")[1]


def test_an_import_of_three_thousand_events_runs_the_collector_at_most_once_as_it_resumes(
    app: CityCoop, collections: list[int]
) -> None:
    history = _history(3_000)
    gc.collect()  # the count of new objects starts from nothing, as the import begins
    collections.clear()

    record(app, history, actor="registry clerk", source="synthetic history")

    assert len(collections) <= 1, "at most one pass, as the collector resumes; hundreds without the pause"
    assert gc.isenabled()
    assert app.recorder.max_notification_id() == 3_000


def test_an_import_leaves_a_paused_collector_paused(app: CityCoop) -> None:
    history = _history(500)
    gc.disable()
    try:
        record(app, history, actor="registry clerk", source="synthetic history")
        assert not gc.isenabled()
    finally:
        gc.enable()
