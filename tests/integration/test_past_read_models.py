"""The oracle of the past read models: every read model, whole, as the one
past path (``PastReadModels``, behind ``audit as-of``, HTTP ``as_of`` and the
read door) gives it at a log position or a recorded time, is what a replay
of the log up to that position gives (``read_models_as_of``), at every
position of the founding story and at sampled positions of a long generated
history with its corrections.

A recorded time stands for the end of the last transaction begun by then;
the tests know where their transactions end because they recorded them."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from benchmarks.generator import batches, entries, step
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.audit.auditor import Auditor
from citycoop.adapters.projections import PROJECTIONS, catch_up, read_models_as_of
from citycoop.adapters.projections.registry import begin_rebuild, registrations, switch
from citycoop.adapters.projections.runner import advance, read_model_database
from citycoop.adapters.reads import Moment
from citycoop.adapters.reads.past import PastReadModels
from tests.integration.projection_story import record_history
from tests.reading import everything

TRANSACTION = 1_000
"""Events per transaction of the generated history."""
SAMPLES = 5


def replayed(app: CityCoop, position: int) -> dict[str, list[dict[str, Any]]]:
    return everything(read_models_as_of(app, position))


def past_path(app: CityCoop) -> PastReadModels:
    return PastReadModels(app, lambda: Auditor(app))


def recorded_transactions(app: CityCoop, size: int, seed: int) -> Iterator[int]:
    """Record the generated history of ``size`` events, ``TRANSACTION`` at a
    time; yields the position each transaction ends at."""
    for chunk in batches(entries(size, seed), TRANSACTION):
        app.execute([step(entry) for entry in chunk])
        yield app.recorder.max_notification_id() or 0


def corrected(read: dict[str, list[dict[str, Any]]]) -> bool:
    return any(entry["corrections"] for entry in read["timelines"])


def switch_to_generations_behind(app: CityCoop, position: int) -> None:
    """Rebuild every projection up to ``position`` only and switch readers to
    it, as a rebuild does before it catches up with the events recorded meanwhile."""
    database = read_model_database(app)
    with database.transaction() as session:
        found = registrations(session)
        building = [begin_rebuild(session, cls, found[cls.name]) for cls in PROJECTIONS]
    assert advance(app, database, building, stop=position) == position
    with database.transaction() as session:
        found = registrations(session)
        assert all(switch(session, projection, found[projection.name]) for projection in building)


def test_a_switch_to_generations_behind_the_position_after_the_look_is_answered_by_a_replay(app: CityCoop) -> None:
    """The versions are looked at first, then queried: a rebuild switching
    readers in between to generations that have not reached the position must
    not be read as of it."""
    record_history(app)
    head = catch_up(app)
    expected = replayed(app, head)
    assert replayed(app, head - 3) != expected, "the generations switched to say something else"
    read = past_path(app).read_models(Moment(position=head), None)

    switch_to_generations_behind(app, head - 3)

    assert everything(read, page=2) == expected
    assert everything(past_path(app).read_models(Moment(position=head), None)) == expected


def test_the_whole_register_at_every_position_of_the_founding_story_is_what_a_replay_says(app: CityCoop) -> None:
    record_history(app)
    head = catch_up(app)
    past = past_path(app)
    seen_corrected = False

    for position in range(head + 1):
        expected = replayed(app, position)
        assert everything(past.read_models(Moment(position=position), None), page=2) == expected, position
        seen_corrected |= corrected(expected)

    assert seen_corrected, "the story's corrections were compared too"
    assert all(expected.values()), "at the head every read model holds something"


def test_the_whole_register_at_each_recorded_time_of_the_founding_story_is_what_a_replay_says(app: CityCoop) -> None:
    ends: list[int] = []
    record_history(app, after_each=lambda: ends.append(app.recorder.max_notification_id() or 0))
    catch_up(app)
    auditor = Auditor(app)
    past = past_path(app)
    first = auditor.recorded_at(1)
    assert first is not None

    before_any = past.read_models(Moment(time=first - timedelta(microseconds=1)), None)
    assert everything(before_any) == replayed(app, 0)
    assert not any(everything(before_any).values()), "nothing was on record before the first event"
    for end in ends:
        recorded_at = auditor.recorded_at(end)
        assert recorded_at is not None
        assert everything(past.read_models(Moment(time=recorded_at), None), page=2) == replayed(app, end), end


@pytest.mark.parametrize("size", [6_000, pytest.param(100_000, marks=pytest.mark.long)])
def test_the_whole_register_of_a_long_corrected_history_is_what_a_replay_says(app: CityCoop, size: int) -> None:
    ends = list(recorded_transactions(app, size, seed=16))
    head = catch_up(app)
    assert head == ends[-1] == size
    auditor = Auditor(app)
    past = past_path(app)
    rng = random.Random(size)
    positions = sorted({0, head, *rng.sample(range(1, head), SAMPLES)})
    seen_corrected = False

    for position in positions:
        expected = replayed(app, position)
        assert everything(past.read_models(Moment(position=position), None)) == expected, position
        seen_corrected |= corrected(expected)
        # A time inside a transaction stands for the position the transaction ends at.
        inside = max(1, position)
        end = next(end for end in ends if end >= inside)
        recorded_at = auditor.recorded_at(inside)
        assert recorded_at is not None
        assert everything(past.read_models(Moment(time=recorded_at), None)) == replayed(app, end), (inside, end)

    assert seen_corrected, "the generated corrections were compared too"
