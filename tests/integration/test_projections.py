"""Projections on both stores: the founding story and what followed it, as
the read models tell it — caught up exactly once, corrections applied,
rebuilt blue/green to the same tables, and as of a past position."""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import Tracking

from citycoop.adapters.application.importing import record_demo
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.projections import (
    PROJECTIONS,
    ReadModels,
    catch_up,
    follow,
    read_models_as_of,
    rebuild,
    status,
)
from citycoop.adapters.projections.catalogue import CityDirectory, Timeline
from citycoop.adapters.projections.events import event_type
from citycoop.adapters.projections.registry import REGISTRY_TABLE
from citycoop.adapters.projections.runner import advance, read_model_database
from citycoop.adapters.projections.wording import exact_money_text
from citycoop.domain.errors import InvalidValueError, NotFoundError
from tests.integration.projection_story import History, read_model_tables, record_history


@pytest.fixture
def history(app: CityCoop) -> History:
    history = record_history(app, after_each=lambda: catch_up(app))
    catch_up(app)
    return history


def test_the_summary_of_the_founding_story_reads_as_the_press_release(app: CityCoop) -> None:
    [wuxi_singapore, *_] = record_demo(app, actor="clerk-li")
    assert catch_up(app) == 8
    summary = ReadModels(app).partnership(wuxi_singapore)
    assert summary.name == "Wuxi–Singapore"
    assert summary.since == "1993"
    assert summary.projects_by_category == {"strategic": 3, "industrial": 10}
    assert summary.projects_total == 13
    [signings] = summary.signings
    assert (signings.held_on, signings.projects_total) == ("2023-05-05", 13)
    assert summary.investment is not None
    assert summary.investment.enterprises == 700
    assert summary.investment.amount.amount == Decimal("16400000000")
    assert exact_money_text(summary.investment.amount.amount, "USD") == "US$16.4 billion (USD 16400000000)"
    assert summary.investment.as_of == "2023-05-05"
    assert summary.conferences == 1
    assert summary.last_activity == "2023-05-05"


def test_catching_up_again_applies_nothing_twice(app: CityCoop, history: History) -> None:
    tables = read_model_tables(app)
    head = app.recorder.max_notification_id()
    assert catch_up(app) == head
    assert read_model_tables(app) == tables


def test_corrections_show_in_every_read_model(app: CityCoop, history: History) -> None:
    read = ReadModels(app)
    summary = read.partnership(history.wuxi_singapore)
    assert summary.projects_by_category == {"strategic": 3, "industrial": 12}
    assert summary.projects_total == 15
    assert summary.investment is not None
    assert summary.investment.enterprises == 750
    assert read.conference(history.conference_2023).attendance == 199
    assert read.conference(history.conference_2023).projects_total == 15
    assert read.agreement(history.industrial).count == 12
    [wuxi] = [partner for partner in read.city("Singapore").partners if partner.name == "Wuxi"]
    assert wuxi.projects_shared == 15
    suzhou = read.partnership(history.suzhou_singapore)
    assert [signings.held_on for signings in suzhou.signings] == ["2024-05-21"]
    assert suzhou.last_activity == "2024-05-21"
    assert read.agreements(history.suzhou_singapore)[0].conference_held_on == "2024-05-21"


def test_the_timeline_applies_corrections_and_keeps_what_they_replaced(app: CityCoop, history: History) -> None:
    timeline = ReadModels(app).timeline(history.wuxi_singapore)
    [investment] = [entry for entry in timeline if entry.event == "InvestmentReported"]
    assert investment.details["figures"]["enterprises"] == 750
    assert investment.summary == "more than 750 enterprises had invested US$16.4 billion, as of 2023-05-05"
    [correction] = investment.corrections
    assert (correction.field, correction.value, correction.previous) == ("investment.enterprises", 750, 700)
    assert correction.reason == "typo"
    [held] = [entry for entry in timeline if entry.event == "Held"]
    assert held.details["attendance"] == 199
    assert "Corrected" not in {entry.event for entry in timeline}
    assert [entry.sorts_on or "" for entry in timeline] == sorted(entry.sorts_on or "" for entry in timeline)
    moved = ReadModels(app).timeline(history.suzhou_singapore)
    assert [entry.business_date for entry in moved if entry.event == "Held"] == ["2024-05-21"]


def test_a_rebuilt_projection_equals_the_live_one_table_for_table(app: CityCoop, history: History) -> None:
    live = read_model_tables(app)
    assert rebuild(app) == app.recorder.max_notification_id()
    rebuilt = read_model_tables(app)
    assert rebuilt == live
    assert sum(map(len, rebuilt.values())) > 50


def test_one_event_at_a_time_through_the_library_interface_gives_the_same_tables(app: CityCoop) -> None:
    """``process_event`` (what the library's ProjectionRunner calls) and
    batches of hundreds must not differ: batch boundaries carry no meaning."""
    record_history(app)
    catch_up(app)
    batched = read_model_tables(app)
    database = read_model_database(app)
    projections = [projection_class(database, generation=7) for projection_class in PROJECTIONS]
    with database.transaction() as session:
        for projection in projections:
            projection.create_tables(session)
    for notification in app.recorder.select_notifications(1, 10_000):
        event = app.mapper.to_domain_event(notification)
        assert event_type(notification.topic).event_class is type(event)
        for projection in projections:
            projection.process_event(event, Tracking("citycoop", notification.id))
    with database.transaction() as session:
        session.execute(f"UPDATE {database.table(REGISTRY_TABLE)} SET generation = 7")
    assert read_model_tables(app) == batched


def test_two_runners_with_different_batches_never_apply_an_event_twice(
    app: CityCoop, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Runner A reads its first batch from position 0; meanwhile runner B
    applies the first 6 events in batches of 3. A's commit must fail rather
    than apply events 1 to 6 again, and A must go on from position 6."""
    record_history(app)
    catch_up(app)
    live = read_model_tables(app)
    database = read_model_database(app)
    runner_a = [projection_class(database, generation=7) for projection_class in PROJECTIONS]
    runner_b = [projection_class(database, generation=7) for projection_class in PROJECTIONS]
    with database.transaction() as session:
        for projection in runner_a:
            projection.create_tables(session)
    select = app.recorder.select_notifications
    interleaved = []

    def select_after_runner_b(*args: Any, **kwargs: Any) -> Any:
        if not interleaved:
            monkeypatch.setattr(app.recorder, "select_notifications", select)
            interleaved.append(advance(app, database, runner_b, stop=6, batch_size=3))
        return select(*args, **kwargs)

    monkeypatch.setattr(app.recorder, "select_notifications", select_after_runner_b)
    assert advance(app, database, runner_a) == app.recorder.max_notification_id()
    assert interleaved == [6]
    with database.transaction() as session:
        session.execute(f"UPDATE {database.table(REGISTRY_TABLE)} SET generation = 7")
    assert read_model_tables(app) == live


def test_readers_keep_the_old_tables_while_a_rebuild_fills_new_ones(app: CityCoop, history: History) -> None:
    before = ReadModels(app).partnerships()
    seen_during = []

    def look(done: int, total: int) -> None:
        seen_during.append(ReadModels(app).partnerships())

    rebuild(app, batch_size=3, progress=look)
    assert len(seen_during) > 5
    assert all(seen == before for seen in seen_during)


def test_a_new_version_rebuilds_that_projection_only(
    app: CityCoop, history: History, monkeypatch: pytest.MonkeyPatch
) -> None:
    generations = {entry.name: entry.generation for entry in status(app)}
    tables = read_model_tables(app)
    monkeypatch.setattr(Timeline, "version", Timeline.version + 1)
    assert next(entry for entry in status(app) if entry.name == "timeline").needs_rebuild
    catch_up(app)
    after = {entry.name: (entry.generation, entry.version) for entry in status(app)}
    assert after.pop("timeline") == (generations.pop("timeline") + 1, Timeline.version)
    assert {name: generation for name, (generation, _) in after.items()} == generations
    assert read_model_tables(app) == tables


def test_a_projection_added_later_is_built_and_the_others_are_left_alone(app: CityCoop) -> None:
    without_cities = tuple(projection for projection in PROJECTIONS if projection is not CityDirectory)
    history = record_history(app, after_each=lambda: catch_up(app, without_cities))
    others = read_model_tables(app)
    positions = read_model_database(app).positions()
    assert "city_directory@1" not in positions
    assert catch_up(app) == positions["timeline@1"]
    tables = read_model_tables(app)
    assert {name: rows for name, rows in tables.items() if not name.startswith("city_directory")} == others
    assert len(tables["city_directory"]) == 3
    assert read_model_database(app).positions() == {
        **positions,
        "city_directory@1": positions["timeline@1"],
    }
    assert ReadModels(app).city("Suzhou").partners[0].partnership_id == history.suzhou_singapore


def test_status_tells_the_lag_in_events_and_in_age(app: CityCoop) -> None:
    record_demo(app, actor="clerk-li")
    lagging = status(app)
    assert {(entry.position, entry.head, entry.lag_events) for entry in lagging} == {(0, 8, 8)}
    assert all(entry.lag_seconds is not None and entry.lag_seconds >= 0 for entry in lagging)
    catch_up(app)
    assert {(entry.position, entry.lag_events, entry.lag_seconds) for entry in status(app)} == {(8, 0, None)}


def test_a_follower_applies_events_as_they_are_recorded(app: CityCoop, store: str) -> None:
    stop = threading.Event()
    reached: list[int] = []
    follower_app = CityCoop(store)
    follower = threading.Thread(target=follow, args=(follower_app,), kwargs={"stop": stop, "caught_up": reached.append})
    follower.start()
    try:
        [wuxi_singapore, *_] = record_demo(app, actor="clerk-li")
        for _ in range(200):
            if reached and reached[-1] == 8:
                break
            stop.wait(0.05)
        assert reached[-1] == 8
        assert ReadModels(app).partnership(wuxi_singapore).projects_total == 13
    finally:
        stop.set()
        follower.join(timeout=10)
        follower_app.close()
    assert not follower.is_alive()


def test_the_read_models_as_of_a_position_leave_out_what_came_later(app: CityCoop, history: History) -> None:
    before_the_signings = read_models_as_of(app, 4)
    summary = before_the_signings.partnership(history.wuxi_singapore)
    assert (summary.projects_total, summary.investment) == (0, None)
    assert before_the_signings.agreements() == []
    with pytest.raises(NotFoundError):
        before_the_signings.partnership(history.suzhou_singapore)
    assert ReadModels(app).partnership(history.wuxi_singapore).projects_total == 15


def test_agreements_are_filtered_by_partnership_conference_category_and_status(app: CityCoop, history: History) -> None:
    read = ReadModels(app)
    assert len(read.agreements()) == 3
    assert [entry.id for entry in read.agreements(history.suzhou_singapore)] == [
        entry.id for entry in read.agreements(conference_id=history.conference_2024)
    ]
    assert [entry.id for entry in read.agreements(category="Strategic", status="in progress")] == [history.strategic]
    assert read.agreements(history.suzhou_singapore, category="strategic") == []
    with pytest.raises(InvalidValueError, match="category: 'tea' is not one of strategic"):
        read.agreements(category="tea")


def test_lists_come_in_pages_that_go_on_after_the_last_id(app: CityCoop, history: History) -> None:
    read = ReadModels(app)
    [first] = read.partnerships(limit=1)
    [second] = read.partnerships(limit=1, after=first.id)
    assert [first.name, second.name] == ["Suzhou–Singapore", "Wuxi–Singapore"]
    assert read.partnerships(after=second.id) == []
    cities = read.cities(limit=2)
    assert [city.name for city in cities + read.cities(after=cities[-1].key)] == ["Singapore", "Suzhou", "Wuxi"]
    timeline = read.timeline(history.wuxi_singapore)
    assert read.timeline(history.wuxi_singapore, limit=3, after=timeline[2].position) == timeline[3:6]


@pytest.mark.parametrize(
    ("question", "message"),
    [
        (lambda read: read.conference(uuid4()), "id: no conference"),
        (lambda read: read.agreement(uuid4()), "id: no agreement"),
        (lambda read: read.timeline(uuid4()), "id: no partnership"),
        (lambda read: read.city("Atlantis"), "name: no city called 'Atlantis'"),
    ],
)
def test_unknown_records_are_not_found(app: CityCoop, question: Callable[[ReadModels], object], message: str) -> None:
    record_demo(app, actor="clerk-li")
    catch_up(app)
    with pytest.raises(NotFoundError, match=message):
        question(ReadModels(app))
