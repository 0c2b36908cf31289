"""The synthetic history behind the benchmarks: deterministic, valid for the
application service at every entry, and the events it writes given to the
raw references as the application service writes them."""

from __future__ import annotations

import json
from collections import Counter
from itertools import islice
from typing import Any

from benchmarks.generator import LAST_YEAR, History, batches, entries, recorded
from citycoop.adapters.application.importing import parse, record
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.storage.codec import decode_state


def _import(app: CityCoop, size: int, batch: int) -> None:
    for chunk in batches(entries(size), batch):
        _, parsed = parse(json.dumps(chunk), filename="history.json")
        record(app, parsed, actor="benchmark", source=None)


def _comparable(state: bytes) -> dict[str, Any]:
    """An event's fields without what differs between two recordings of it:
    the time it was recorded and the correlation id of the command."""
    fields = decode_state(state)
    del fields["timestamp"]
    del fields["meta"]["correlation_id"]
    return fields


def test_the_same_seed_and_size_always_give_the_same_history() -> None:
    assert list(entries(3_000, seed=7)) == list(entries(3_000, seed=7))
    assert list(entries(3_000, seed=7)) != list(entries(3_000, seed=8))


def test_a_larger_history_has_more_city_pairs_and_always_has_wuxi_and_singapore_since_1993() -> None:
    small, large = History(10_000), History(100_000)
    assert large.partnerships == 10 * small.partnerships
    establishments = [entry for entry in entries(10_000) if entry["kind"] == "establish-partnership"]
    assert len(establishments) == small.partnerships
    assert any(
        {entry["city_a"]["name"], entry["city_b"]["name"]} == {"Wuxi", "Singapore"} and entry["since"] == "1993"
        for entry in establishments
    )


def test_a_history_of_ten_thousand_events_spans_many_countries_and_every_kind_of_command() -> None:
    history = list(entries(10_000))
    kinds = Counter(entry["kind"] for entry in history)
    countries = {
        city["country"]
        for entry in history
        if entry["kind"] == "establish-partnership"
        for city in (entry["city_a"], entry["city_b"])
    }
    assert len(history) == 10_000
    assert len(countries) >= 20
    assert {"hold-conference", "sign-projects", "name-project", "report-investment", "correct"} <= set(kinds)
    assert kinds["name-project"] > kinds["sign-projects"] > kinds["establish-partnership"]
    assert len({entry["key"] for entry in history}) == 10_000


def test_every_entry_of_a_history_records_exactly_one_event_through_the_import(app: CityCoop) -> None:
    _import(app, 2_000, batch=700)

    assert app.recorder.max_notification_id() == 2_000


def test_the_recorded_events_are_those_the_application_service_writes(store: str) -> None:
    application = CityCoop(store)
    try:
        _import(application, 2_000, batch=1_000)
        written = application.recorder.select_notifications(1, 3_000)
    finally:
        application.close()
    given = list(recorded(entries(2_000), batch=500, source=None))
    assert len(given) == len(written) == 2_000
    for expected, actual in zip(written, given, strict=True):
        assert (actual.originator_id, actual.originator_version, actual.topic) == (
            expected.originator_id,
            expected.originator_version,
            expected.topic,
        )
        assert _comparable(actual.state) == _comparable(expected.state)
        assert len(actual.state) == len(expected.state)


def test_wuxi_and_singapore_stay_active_so_other_benchmarks_can_record_on_them() -> None:
    history = History(100_000)
    founding = str(history.partnership_ids[0])
    kinds = {entry["kind"] for entry in islice(history, 100_000) if entry.get("partnership") == founding}
    assert "report-investment" in kinds
    assert not kinds & {"suspend-partnership", "end-partnership"}


def test_no_history_dates_anything_after_its_last_year_however_long_it_runs() -> None:
    dates = [
        str(value)
        for entry in entries(10_000)
        for name, value in entry.items()
        if name in ("since", "on", "as_of", "held_on", "signed_on", "started")
    ]
    assert max(dates) <= f"{LAST_YEAR}-12-31"
