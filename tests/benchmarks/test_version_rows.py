"""The floor of a versioned rebuild writes a row for each key an event
changes in each read model, as the projections change them: never more
(which would make a versioned design look further out of reach than it is),
and all but the few moves of a partnership's last activity that it leaves
out. An event's changes are the items the read models hold after it that
they did not hold, or held otherwise, before it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks.generator import entries
from benchmarks.version_rows import ChangedKeys
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.projections import read_models_as_of
from citycoop.adapters.projections.events import decode
from tests.integration.projection_story import fill, record_history
from tests.reading import everything

KEYS = {"partnerships": "id", "conferences": "id", "agreements": "id", "cities": "key", "timelines": "position"}
MODELS = {
    "partnerships": "summaries",
    "conferences": "conferences",
    "agreements": "agreements",
    "cities": "cities",
    "timelines": "timeline",
}


def changed_by_the_projections(before: dict[str, list[Any]], after: dict[str, list[Any]]) -> Counter[str]:
    """How many items of each read model differ between the two."""
    changed: Counter[str] = Counter()
    for name, key in KEYS.items():
        then = {item[key]: item for item in before[name]}
        changed[MODELS[name]] += sum(then.get(item[key]) != item for item in after[name])
    return +changed


def named_by_the_floor(app: CityCoop) -> list[Counter[str]]:
    """How many keys of each read model the floor writes a row for, event by event."""
    keys = ChangedKeys()
    notifications = app.recorder.select_notifications(1, app.recorder.max_notification_id() or 0)
    return [Counter({model: len(changed) for model, changed in keys.of(decode(n)).items()}) for n in notifications]


def floor_and_projections(app: CityCoop, positions: range) -> tuple[Counter[str], Counter[str]]:
    """The rows the floor writes and the items the projections change over
    the events at ``positions``; each event's rows are checked on the way."""
    named = named_by_the_floor(app)
    floor: Counter[str] = Counter()
    projections: Counter[str] = Counter()
    before = everything(read_models_as_of(app, positions[0] - 1))
    for position in positions:
        after = everything(read_models_as_of(app, position))
        changed = changed_by_the_projections(before, after)
        assert named[position - 1] <= changed, position
        floor, projections, before = floor + named[position - 1], projections + changed, after
    return floor, projections


def test_the_floor_writes_a_row_for_each_key_the_events_of_the_founding_story_change(sqlite_store: str) -> None:
    with CityCoop(sqlite_store) as app:
        record_history(app)
        floor, projections = floor_and_projections(app, range(1, (app.recorder.max_notification_id() or 0) + 1))

    assert projections - floor == Counter(summaries=1), "a signing's status moved Wuxi–Singapore's last activity"


def test_the_floor_writes_a_row_for_each_key_the_events_of_a_generated_history_change(tmp_path: Path) -> None:
    with CityCoop(str(tmp_path / "citycoop.db")) as app:
        fill(app, entries(1_500, seed=16))
        floor, projections = floor_and_projections(app, range(1_000, 1_101))

    assert floor == projections
    assert set(floor) == set(MODELS.values()), "every read model changed"
