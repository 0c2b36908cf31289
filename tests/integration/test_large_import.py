"""Imports of 50,000 events on both stores: recorded whole in one transaction
(on PostgreSQL one library save of more than ~20k events hangs, so the
recorder inserts in chunks inside the transaction), and on failure not at all,
even when the failure comes from the database while writing the last chunk."""

from __future__ import annotations

import gc
import json
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from typing import Any
from uuid import UUID, uuid4

import pytest

from benchmarks.generator import entries
from citycoop.adapters.application.commands import AddField
from citycoop.adapters.application.importing import Entry, parse, record, record_batch
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.storage.postgres import INSERT_CHUNK_SIZE
from citycoop.domain.errors import ConferenceNotHeldError, ConflictError
from citycoop.domain.partnership import Partnership
from citycoop.domain.values import City
from tests.integration.recomputed_chains import recomputed
from tests.recording import record as record_one

EVENTS = 50_000
WUXI = {"name": "Wuxi", "country": "China"}
AKASHI = {"name": "Akashi", "country": "Japan"}


def history(size: int, first: dict[str, object] | None = None, last: dict[str, object] | None = None) -> list[Entry]:
    """``size`` entries of the synthetic history (one event each), between a
    ``first`` and a ``last`` entry, numbered as one file would number them."""
    before = _parsed([first]) if first else []
    middle = [replace(entry, index=entry.index + len(before)) for entry in _synthetic(size)]
    after = [replace(entry, index=len(before) + size + 1) for entry in _parsed([last])] if last else []
    return [*before, *middle, *after]


@cache
def _synthetic(size: int) -> tuple[Entry, ...]:
    """Generated and validated once: both take seconds at this size."""
    return tuple(_parsed(list(entries(size))))


def _parsed(raw: list[dict[str, object]]) -> list[Entry]:
    _, parsed = parse(json.dumps({"entries": raw}), filename="history.json")
    return parsed


def test_an_import_of_50000_events_is_recorded_whole(app: CityCoop, events_table: Callable[[], list]) -> None:
    batch = record_batch(app, history(EVENTS), actor="clerk-li", source="synthetic history")

    assert batch.events == EVENTS
    logged = events_table()
    assert len(logged) == EVENTS
    founding = app.get_record(Partnership.id_for(City(**WUXI), City(name="Singapore", country="Singapore")))
    assert founding.state.since == "1993"


def test_a_refusal_in_the_last_of_50000_entries_leaves_the_log_as_it_was(
    app: CityCoop, events_table: Callable[[], list]
) -> None:
    record(app, history(0, _establish_wuxi_akashi()), actor="clerk-li", source=None)
    logged = events_table()
    never_held = str(uuid4())
    signing = {"kind": "sign-projects", "as": "late", "conference": never_held, "category": "strategic", "count": 3}
    signing["partnership"] = str(_wuxi_akashi())
    late = history(EVENTS - 1, last=signing)

    with pytest.raises(ConferenceNotHeldError, match=f"^entry {EVENTS} \\(late\\): conference: no conference"):
        record(app, late, actor="clerk-li", source=None)

    assert events_table() == logged


def test_a_conflict_while_writing_the_last_chunk_rolls_back_every_chunk_before_it(
    store: str, app: CityCoop, events_table: Callable[[], list]
) -> None:
    """Another clerk adds a field to Wuxi–Akashi while the import is being
    checked; the import's own change to it is its last event, so the database
    refuses it only after the chunks before it were inserted."""
    record(app, history(0, _establish_wuxi_akashi()), actor="clerk-li", source=None)
    partnership = str(_wuxi_akashi())
    conference = {"kind": "hold-conference", "partnership": partnership, "title": "Wuxi–Akashi Friendship Forum"}
    conference |= {"held_on": "2021-10", "host_city": "Akashi"}
    field = {"kind": "add-field", "partnership": partnership, "field": "finance"}
    steps = history(EVENTS - 2, conference, field)
    assert EVENTS - INSERT_CHUNK_SIZE > INSERT_CHUNK_SIZE, "the import must span several chunks"
    logged: list[list[object]] = []

    def meanwhile_another_clerk_writes(steps_done: int) -> None:
        if not logged:
            other = CityCoop(store)
            try:
                record_one(
                    other,
                    AddField.validated(partnership=str(_wuxi_akashi()), field="culture-and-arts"),
                    other.provenance("clerk-tanaka"),
                )
            finally:
                other.close()
            logged.append(events_table())

    with pytest.raises(ConflictError):
        record(app, steps, actor="clerk-li", source=None, progress=meanwhile_another_clerk_writes)

    assert events_table() == logged[0]
    assert app.get_record(_wuxi_akashi()).state.fields == ["culture-and-arts"]


def test_files_naming_earlier_files_records_by_id_import_and_read_back_as_the_library_reads_them(
    app: CityCoop, events_table: Callable[[], list]
) -> None:
    """The records a file names by id are read at once, each from its latest
    snapshot on; they must be exactly what the library's repository gives."""
    raw = list(entries(6_000))
    founding = Partnership.id_for(City(**WUXI), City(name="Singapore", country="Singapore"))
    for start in range(0, len(raw), 2_000):
        record(app, _parsed(raw[start : start + 2_000]), actor="clerk-li", source=None)
        app.take_snapshot(founding)  # so that the next file reads it from a snapshot on

    ids = {UUID(str(row[1])) for row in events_table()}
    assert len(events_table()) == 6_000
    assert founding in app.sql.latest_of_each(ids, table=app.snapshots.recorder.events_table_name)
    read_at_once = app._read_records(ids)[0]
    assert {record_id: (record.version, record.state) for record_id, record in read_at_once.items()} == {
        record_id: (app.get_record(record_id).version, app.get_record(record_id).state) for record_id in ids
    }


def test_a_file_seals_what_it_appends_after_the_events_it_read_without_reading_the_heads_again(
    app: CityCoop, events_table: Callable[[], list], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chain's head of a record that an import extends is the last event
    it read of that record; only a record read whole from a snapshot, with no
    event after it, has its head looked up. The chain recomputed from the rows
    holds either way."""
    raw = list(entries(4_000))
    founding = Partnership.id_for(City(**WUXI), City(name="Singapore", country="Singapore"))
    record(app, _parsed(raw[:2_000]), actor="clerk-li", source=None)
    app.take_snapshot(founding)  # read from it on, with no event after it: its head is not known
    looked_up: list[UUID] = []
    latest_of_each = app.sql.latest_of_each

    def latest_of_each_noted(ids: Any, *, table: str | None = None) -> Any:
        if table is None:
            looked_up.extend(ids)
        return latest_of_each(ids, table=table)

    monkeypatch.setattr(app.sql, "latest_of_each", latest_of_each_noted)
    recorded = record_batch(app, _parsed(raw[2_000:]), actor="clerk-li", source=None)

    assert founding in recorded.ids
    assert looked_up == [founding]
    rows = events_table()
    assert len(rows) == 4_000
    assert all(stored == expected for stored, expected in recomputed(rows, key=None))


def _establish_wuxi_akashi() -> dict[str, object]:
    return {"kind": "establish-partnership", "city_a": WUXI, "city_b": AKASHI, "since": "1981"}


def _wuxi_akashi() -> UUID:
    return Partnership.id_for(City(**WUXI), City(**AKASHI))


def test_parsing_a_large_file_leaves_the_collector_paused_and_as_it_was() -> None:
    text = json.dumps({"entries": list(entries(3_000, seed=7))})
    collections: list[int] = []
    # Which generation the collector takes first as it resumes depends on the
    # counts left by whatever ran before (a second generation's at times, in
    # a whole folder's run); a full collection first sets them all to nought.
    gc.collect()
    gc.callbacks.append(watch := lambda phase, info: phase == "start" and collections.append(info["generation"]))
    try:
        _, parsed = parse(text, filename="history.json")
    finally:
        gc.callbacks.remove(watch)

    assert len(parsed) == 3_000
    assert collections in ([], [0])  # at most the young generation's, as the collector resumes
    assert gc.isenabled()
