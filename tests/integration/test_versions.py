"""The versions that the live read models keep of their rows: cut after every
event whatever the batches were, so that read as of any position they say
what a replay of the log up to it says, down to the last item of every page
of every read model; and an earlier release's store, rebuilt by itself
into tables that keep versions, answers as of its past as a replay does."""

from __future__ import annotations

import random
import shutil
from itertools import islice
from pathlib import Path

import pytest

from benchmarks.generator import entries
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.projections import PROJECTIONS, catch_up, read_models_as_of, rebuild
from citycoop.adapters.projections.as_of import VersionedReadModels, versions_reach
from citycoop.adapters.projections.database import scratch_database
from citycoop.adapters.projections.queries import ReadModels
from citycoop.adapters.projections.registry import create_registry
from citycoop.adapters.projections.runner import advance, prepare, read_model_database
from citycoop.adapters.projections.tables import versions_of
from citycoop.adapters.projections.versions import MAX_RUN
from tests.integration.projection_story import fill, read_model_tables
from tests.reading import everything

FIXTURE = Path(__file__).parents[1] / "fixtures" / "written-by-main"


def as_of(app: CityCoop, position: int) -> VersionedReadModels:
    database = read_model_database(app)
    assert versions_reach(database, position)
    return VersionedReadModels(database, position, lambda: pytest.fail("the versions fell back to a replay"))


def test_the_versions_are_the_same_whatever_the_batches_were(app: CityCoop) -> None:
    fill(app, entries(1_500, seed=7))
    catch_up(app, batch_size=1)
    one_by_one = read_model_tables(app)
    rebuild(app, batch_size=400)

    assert read_model_tables(app) == one_by_one
    versions = one_by_one["partnership_summaries_versions"]
    assert len(versions) > len(one_by_one["partnership_summaries"]), "summaries changed after they were made"


@pytest.mark.parametrize("size", [10_000, pytest.param(100_000, marks=pytest.mark.long)])
def test_the_read_models_as_of_a_position_are_what_a_replay_up_to_it_says(app: CityCoop, size: int) -> None:
    """One replay, stopped at each sampled position in turn, against the versions."""
    head = fill(app, entries(size, seed=16))
    catch_up(app)
    positions = [*sorted(random.Random(size).sample(range(1, head), 12)), head]
    replay = scratch_database()
    create_registry(replay)
    found = prepare(replay, PROJECTIONS)
    replaying = [cls(replay, found[cls.name].generation, versions=False) for cls in PROJECTIONS]
    seen_corrected = False

    for position in positions:
        advance(app, replay, replaying, stop=position, batch_size=2_000)
        expected = everything(ReadModels(replay, as_of=position))
        assert everything(as_of(app, position)) == expected, position
        seen_corrected |= any(entry["corrections"] for entry in expected["timelines"])

    assert seen_corrected, "the generated corrections were compared too"
    # Rows end with the flag of a patch and the body (None for the current version).
    rows = read_model_tables(app)["partnership_summaries_versions"]
    patches = sum(1 for *_, delta, body in rows if delta)
    kept_whole = sum(1 for *_, delta, body in rows if body is not None and not delta)
    assert patches > kept_whole * (MAX_RUN // 2) > 0, "most older versions are patches, some are kept whole"


def test_a_store_of_an_earlier_release_answers_as_of_its_past_once_rebuilt(tmp_path: Path) -> None:
    shutil.copy(FIXTURE / "store.db", tmp_path / "citycoop.db")
    app = CityCoop(str(tmp_path / "citycoop.db"))
    try:
        database = read_model_database(app)
        assert not versions_reach(database, 0), "that release's read models keep no versions"
        head = catch_up(app)
        for position in range(head + 1):
            assert everything(as_of(app, position), page=3) == everything(read_models_as_of(app, position)), position
    finally:
        app.close()


def test_a_read_of_the_read_models_sees_one_snapshot_while_a_catch_up_commits(store: str, app: CityCoop) -> None:
    """A page of the past and the versions its rows are rebuilt from are read
    in one transaction: what another process commits meanwhile is not seen
    by its later statements (on PostgreSQL, read committed would show it)."""
    history = entries(600, seed=11)
    fill(app, islice(history, 300))
    catch_up(app)
    database = read_model_database(app)
    count = f"SELECT COUNT(*) FROM {database.table(versions_of('timeline'))}"
    writer = CityCoop(store)
    try:
        with database.reading() as session:
            [(before,)] = session.rows(count)
            fill(writer, history)
            catch_up(writer)
            [(during,)] = session.rows(count)
        with database.reading() as session:
            [(after,)] = session.rows(count)
    finally:
        writer.close()
    assert during == before < after
