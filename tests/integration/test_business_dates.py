"""No read model shows the day an event was recorded as the day it happened.

Over the founding story, what followed it, and a generated history, on each
store: every timeline entry of every kind of event is dated as its event
states, or by the conference or signing its date follows from (marked
derived), or not at all (undated, sorted first in the order recorded).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from benchmarks import generator
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.projections import ReadModels, catch_up
from citycoop.adapters.projections.events import LoggedEvent, decode
from citycoop.adapters.projections.models import TimelineEntry
from tests.integration.projection_story import record_history

_STATED_IN = {
    "Established": ("since",),
    "Held": ("held_on",),
    "Signed": ("signed_on",),
    "StageChanged": ("on",),
    "StatusChanged": ("on",),
    "InvestmentReported": ("figures", "as_of"),
    "InitiativeLaunched": ("initiative", "started"),
}
"""Where each kind of event states the day it happened, for those that do."""
_DERIVED_FROM = {"ProjectIntroduced": "conference", "ProjectNamed": "agreement"}
"""The kinds of event dated by their record: a conference, a signing."""
_NEVER_DATED = {"FieldAdded"}


def _stated(event: LoggedEvent) -> str | None:
    value: Any = event.data if event.name in _STATED_IN else None
    for name in _STATED_IN.get(event.name, ()):
        value = value.get(name) if isinstance(value, dict) else None
    return value or event.business_date


@pytest.fixture
def timelines(app: CityCoop) -> dict[str, list[TimelineEntry]]:
    record_history(app)
    # The generated history has a Wuxi–Singapore of its own, which the story above has recorded.
    generated = (entry for entry in generator.entries(3_000) if not entry["key"].startswith("wuxi-singapore/"))
    generator.fill(app, generated)
    catch_up(app)
    read_models = ReadModels(app)
    return {str(summary.id): read_models.timeline(summary.id) for summary in read_models.partnerships(limit=1000)}


def test_every_kind_of_event_is_dated_as_stated_derived_or_undated_never_as_recorded(
    app: CityCoop, timelines: dict[str, list[TimelineEntry]]
) -> None:
    logged = {n.id: decode(n) for n in app.recorder.select_notifications(start=1, limit=100_000)}
    read_models = ReadModels(app)
    kinds: Counter[tuple[str, str]] = Counter()
    for timeline in timelines.values():
        for entry in timeline:
            event = logged[entry.position]
            kinds[entry.event, entry.business_date_kind] += 1
            assert entry.sorts_on == entry.business_date
            if entry.event in _DERIVED_FROM and event.business_date is None:
                record = (
                    read_models.conference(entry.record_id)
                    if entry.record == "conference"
                    else read_models.agreement(entry.record_id)
                )
                expected = record.held_on if entry.record == "conference" else record.signed_on  # type: ignore[union-attr]
                assert (entry.business_date_kind, entry.date_derived_from) == ("derived", _DERIVED_FROM[entry.event])
                assert entry.business_date == expected
            elif _stated(event) is not None:
                assert (entry.business_date_kind, entry.date_derived_from) == ("stated", None), (entry, event)
                assert entry.business_date in (_stated(event), *(c.value for c in entry.corrections))
            else:
                assert (entry.business_date, entry.business_date_kind, entry.date_derived_from) == (
                    None,
                    "unknown",
                    None,
                ), entry
    timeline_events = {"Established", "Held", "Signed", "StageChanged", "StatusChanged", "InvestmentReported"}
    timeline_events |= {"InitiativeLaunched", "ProjectIntroduced", "ProjectNamed", "FieldAdded"}
    assert {event for event, _ in kinds} == timeline_events
    assert {kind for event, kind in kinds if event in _NEVER_DATED} == {"unknown"}
    assert ("InitiativeLaunched", "unknown") in kinds  # the Industrial Park: no source dates it


def test_undated_entries_come_first_in_the_order_recorded_then_the_rest_by_date(
    timelines: dict[str, list[TimelineEntry]],
) -> None:
    for timeline in timelines.values():
        undated = [entry.position for entry in timeline if entry.business_date is None]
        assert [entry.position for entry in timeline[: len(undated)]] == sorted(undated)
        dated = timeline[len(undated) :]
        assert [(e.business_date, e.position) for e in dated] == sorted((e.business_date, e.position) for e in dated)  # type: ignore[type-var]


def test_the_timeline_pages_through_undated_entries_into_dated_ones(
    app: CityCoop, timelines: dict[str, list[TimelineEntry]]
) -> None:
    read_models = ReadModels(app)
    for partnership_id, timeline in list(timelines.items())[:5]:
        paged: list[int] = []
        after = None
        while page := read_models.timeline(partnership_id, limit=2, after=after):
            paged += [entry.position for entry in page]
            after = page[-1].position
        assert paged == [entry.position for entry in timeline]
