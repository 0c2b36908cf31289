"""A store written by an older version of citycoop still loads: its events are
upcast to the current classes on the way in, and its chain still verifies.

``tests/fixtures/conference-held-v1.db`` is an SQLite store committed as it was
written, holding two events of 6 May 2023 (clerk-li, from the PRNewswire release):

1. ``Partnership.Established`` — Wuxi–Singapore, sister cities since 1993
   (key ``wuxi-singapore/established``);
2. ``Conference.Held`` in its **version-1 shape**: no ``class_version`` and no
   ``attendance_is_approximate``, which version 2 added ("nearly 200 guests").
   Its id is the one the demo's key gives (``wuxi-singapore/conference-2023``).

It was made once by a short script that is not committed: it opened a
``CityCoop`` on a new file (so the library created the tables), built both
events with the domain's ``establish`` and ``hold``, turned them into stored
events with ``PydanticMapper``, set their timestamps to 2023-05-06T09:30Z,
deleted ``class_version`` and ``attendance_is_approximate`` from the Held
event's JSON, re-encoded it with ``canonical_json``, sealed both with
``Chain(None).seal(events, {})`` (no audit key), inserted them with
``app.recorder.insert_events``, and finally switched the file out of WAL mode
and vacuumed it so that the one file is the whole store.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest

from citycoop.adapters.application.commands import IntroduceProject, SignProjects
from citycoop.adapters.application.importing import record_demo
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.storage.chain import GENESIS, Chain, hash_of, is_sealed, unsealed
from citycoop.domain.conference import Conference
from tests.recording import record

FIXTURE = Path(__file__).parent.parent / "fixtures" / "conference-held-v1.db"
WUXI_SINGAPORE = UUID("712a8a14-4928-5786-9e6c-a9b3845f5511")
CONFERENCE_2023 = UUID("3f334e39-a276-50ae-81c4-3929132160f8")


@pytest.fixture
def old_store(tmp_path: Path) -> str:
    """A copy of the committed store, so no test can change the original."""
    return str(shutil.copy(FIXTURE, tmp_path / "citycoop.db"))


@pytest.fixture
def app(old_store: str) -> Iterator[CityCoop]:
    application = CityCoop(old_store)
    yield application
    application.close()


def stored_held(app: CityCoop) -> dict[str, object]:
    (row,) = app.recorder.select_events(CONFERENCE_2023, lte=1)
    assert row.topic == "citycoop.domain.conference:Conference.Held"
    assert is_sealed(row.state)
    state: dict[str, object] = json.loads(row.state)
    return state


def test_the_committed_store_holds_the_held_event_in_its_version_1_shape(app: CityCoop) -> None:
    state = stored_held(app)
    assert "class_version" not in state
    assert "attendance_is_approximate" not in state
    assert state["attendance"] == 200


def test_a_conference_held_in_version_1_loads_through_the_upcaster(app: CityCoop) -> None:
    conference = app.get_record(CONFERENCE_2023)
    assert conference.state.attendance == 200
    assert conference.state.attendance_qualifier == "exact"
    assert conference.state.held_on == "2023-05-05"
    assert conference.partnership_id == WUXI_SINGAPORE
    assert Conference.Held.class_version == 3


def test_the_old_events_chain_still_verifies_and_new_events_extend_it(app: CityCoop) -> None:
    record(
        app,
        IntroduceProject.validated(
            conference=str(CONFERENCE_2023), name="Wuxi Singapore Science and Technology Innovation City"
        ),
        app.provenance("clerk-li"),
    )
    chain, previous = Chain(None), GENESIS
    for row in app.recorder.select_events(CONFERENCE_2023):
        assert hash_of(row.state) == chain.link(previous, row, unsealed(row.state))
        previous = hash_of(row.state)
    assert app.get_record(CONFERENCE_2023).version == 2


def test_projects_can_be_signed_at_a_conference_held_in_version_1(app: CityCoop) -> None:
    agreement_id = record(
        app,
        SignProjects.validated(
            partnership=str(WUXI_SINGAPORE), conference=str(CONFERENCE_2023), category="strategic", count=3
        ),
        app.provenance("clerk-li"),
    )
    assert app.get_record(agreement_id).state.signed_on == "2023-05-05"


def test_importing_the_founding_story_onto_the_old_store_adds_only_what_it_lacked(app: CityCoop) -> None:
    ids = record_demo(app, actor="clerk-li")
    assert (ids[0], ids[2]) == (WUXI_SINGAPORE, CONFERENCE_2023)
    conference = app.get_record(CONFERENCE_2023)
    assert conference.state.attendance_qualifier == "exact"
    assert len(conference.state.introduced_projects) == 1
    assert app.get_record(WUXI_SINGAPORE).version == 4
    assert stored_held(app).get("class_version") is None
