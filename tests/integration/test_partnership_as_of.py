"""One partnership's past read models, built from the events of its own
records alone, are those that a replay of the whole log up to the same
position gives; while the live read models are behind that position, the
replay is what answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import Any
from uuid import UUID

from benchmarks.generator import History, entries
from citycoop.adapters.application.commands import ChangeStatus
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.http.dependencies import WorkerApp
from citycoop.adapters.projections import ReadModels, catch_up, read_models_as_of
from citycoop.adapters.projections.past import partnership_as_of, partnership_records
from citycoop.adapters.reads import Moment
from citycoop.domain.errors import NotFoundError
from tests.integration.projection_story import fill, record_history
from tests.recording import record

EVERYTHING = 10_000


def view(read_models: ReadModels, partnership_id: UUID) -> dict[str, Any]:
    """All that the read models say of one partnership, or that it is not on record."""
    try:
        summary = read_models.partnership(partnership_id)
    except NotFoundError:
        return {}
    return {
        "summary": summary,
        "timeline": read_models.timeline(partnership_id),
        "conferences": read_models.conferences(partnership_id, limit=EVERYTHING),
        "agreements": read_models.agreements(partnership_id, limit=EVERYTHING),
    }


def past(app: CityCoop, partnership_id: UUID, position: int) -> dict[str, Any]:
    """What the read models of one partnership, built from its own records, say as of ``position``."""
    return view(partnership_as_of(app, partnership_id, position), partnership_id)


def test_the_founding_story_at_every_position_is_as_a_replay_of_the_log_tells_it(app: CityCoop) -> None:
    story = record_history(app)
    head = catch_up(app)
    seen_corrected = False

    for position in range(head + 1):
        replayed = read_models_as_of(app, position)
        for partnership_id in (story.wuxi_singapore, story.suzhou_singapore):
            expected = view(replayed, partnership_id)
            assert past(app, partnership_id, position) == expected, position
            seen_corrected |= any(entry.corrections for entry in expected.get("timeline", []))

    assert seen_corrected, "the story's corrections were compared too"
    assert past(app, story.suzhou_singapore, 1) == {}


def test_partnerships_of_a_long_history_are_as_a_replay_of_the_log_tells_them(app: CityCoop) -> None:
    fill(app, entries(2_000))
    head = catch_up(app)
    partnership_ids = History(2_000).partnership_ids[:4]

    for position in (head // 3, 2 * head // 3, head):
        replayed = read_models_as_of(app, position)
        on_record = 0
        for partnership_id in partnership_ids:
            expected = view(replayed, partnership_id)
            assert past(app, partnership_id, position) == expected
            on_record += bool(expected)
        assert on_record, f"some of them are on record by position {position}"
    assert on_record == len(partnership_ids)


def test_while_the_live_read_models_are_behind_the_log_a_replay_answers(app: CityCoop) -> None:
    history = entries(600)
    fill(app, islice(history, 300))
    reached = catch_up(app)
    head = fill(app, history)
    [partnership_id] = History(600).partnership_ids[:1]

    assert partnership_records(app, partnership_id, reached) is not None
    assert partnership_records(app, partnership_id, head) is None, "records made after the live position are unknown"
    expected = view(read_models_as_of(app, head), partnership_id)
    assert past(app, partnership_id, head) == expected

    catch_up(app)
    records = partnership_records(app, partnership_id, head)
    assert records is not None
    assert records[0] == partnership_id
    assert len(records) > 1, "its conferences and agreements are named"


def test_a_server_worker_keeps_a_replay_however_many_partnerships_are_asked_for_after_it(
    app: CityCoop, store: str
) -> None:
    story = record_history(app)
    head = app.recorder.max_notification_id() or 0
    # The live read models have not caught up: the past is replayed, not read from their versions.
    worker = WorkerApp(store)
    try:
        replayed = worker.open().read_models(Moment(position=3))
        for position in range(head + 1):
            worker.open().read_models(Moment(position=position), partnership=story.wuxi_singapore)

        assert worker.open().read_models(Moment(position=3)) is replayed, (
            "one partnership's past read models are kept apart"
        )
        assert worker.open().read_models(
            Moment(position=head), partnership=story.wuxi_singapore
        ) is worker.open().read_models(Moment(position=head), partnership=story.wuxi_singapore)
        assert worker.open().read_models(
            Moment(position=3), partnership=story.wuxi_singapore
        ) is not worker.open().read_models(Moment(position=3), partnership=story.suzhou_singapore)
    finally:
        worker.close()


def test_a_server_worker_keeps_the_position_of_a_moment_only_once_the_log_has_passed_it(
    app: CityCoop, store: str
) -> None:
    story = record_history(app)
    catch_up(app)
    worker = WorkerApp(store)
    later = datetime.now(tz=UTC) + timedelta(days=1)
    try:
        before = (
            worker.open()
            .read_models(Moment(time=later), partnership=story.suzhou_singapore)
            .partnership(story.suzhou_singapore)
        )
        record(
            app,
            ChangeStatus.validated(
                kind="suspend-partnership", partnership=str(story.suzhou_singapore), on="2025-01", reason="a pause"
            ),
            app.provenance("clerk-li"),
        )
        catch_up(app)
        after = (
            worker.open()
            .read_models(Moment(time=later), partnership=story.suzhou_singapore)
            .partnership(story.suzhou_singapore)
        )
    finally:
        worker.close()

    assert (before.status, after.status) == ("active", "suspended"), "a moment the log has not passed moves with it"
