"""``state --true-on`` never takes the day an event was recorded for the day
it happened, on both stores: a project introduced at a conference (or named
in a signing) takes effect on the conference's (the signing's) date, moved
with it when that date is corrected; what no source dates (a field taken up,
an initiative with no start) is held in effect from the partnership's start
and listed as undated."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from citycoop.adapters.application.commands import (
    AddField,
    CorrectFact,
    EstablishPartnership,
    HoldConference,
    IntroduceProject,
    LaunchInitiative,
    NameProject,
    SignProjects,
)
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.audit.auditor import Auditor
from tests.recording import record

OSAKA = {"name": "Osaka", "country": "Japan"}
SAO_PAULO = {"name": "São Paulo", "country": "Brazil"}


def now() -> datetime:
    return datetime.now(tz=UTC)


def established(app: CityCoop) -> UUID:
    command = EstablishPartnership.validated(city_a=OSAKA, city_b=SAO_PAULO, since="1969", stage="sister-city")
    return record(app, command, app.provenance("clerk-li", source="Osaka City"))


def held(app: CityCoop, partnership: UUID, held_on: str = "2019-05") -> UUID:
    command = HoldConference.validated(
        partnership=str(partnership), title="Sister City Summit", held_on=held_on, host_city="Osaka"
    )
    return record(app, command, app.provenance("clerk-li"))


def test_a_field_taken_up_on_no_known_date_is_in_effect_from_the_start_and_listed_undated(app: CityCoop) -> None:
    partnership = established(app)
    record(app, AddField.validated(partnership=str(partnership), field="finance"), app.provenance("clerk-li"))

    in_1970 = Auditor(app).record_known_on(partnership, known_on=now(), true_on="1970")

    assert in_1970.state is not None
    assert "finance" in in_1970.state["fields"]
    assert in_1970.versions == [1, 2]
    assert in_1970.undated == [2]
    assert in_1970.to_json()["undated"] == [2]


def test_an_initiative_no_source_dates_is_in_effect_from_the_start(app: CityCoop) -> None:
    partnership = established(app)
    command = LaunchInitiative.validated(partnership=str(partnership), name="Park", initiative_kind="industrial-park")
    record(app, command, app.provenance("clerk-li"))

    in_1969 = Auditor(app).record_known_on(partnership, known_on=now(), true_on="1969")
    before = Auditor(app).record_known_on(partnership, known_on=now(), true_on="1968")

    assert in_1969.state is not None
    assert [initiative["name"] for initiative in in_1969.state["initiatives"]] == ["Park"]
    assert in_1969.undated == [2]
    assert before.state is None


def test_a_project_introduced_at_a_conference_takes_effect_on_the_conference_date(app: CityCoop) -> None:
    partnership = established(app)
    conference = held(app, partnership)
    record(app, IntroduceProject.validated(conference=str(conference), name="Expo"), app.provenance("clerk-li"))

    on_the_day = Auditor(app).record_known_on(conference, known_on=now(), true_on="2019-05")

    assert on_the_day.state is not None
    assert [project["name"] for project in on_the_day.state["introduced_projects"]] == ["Expo"]
    assert on_the_day.versions == [1, 2]
    assert on_the_day.undated == []


def test_a_project_introduced_moves_with_its_conference_when_the_date_is_corrected(app: CityCoop) -> None:
    partnership = established(app)
    conference = held(app, partnership)
    record(app, IntroduceProject.validated(conference=str(conference), name="Expo"), app.provenance("clerk-li"))
    command = CorrectFact.validated(
        record=str(conference), corrects_version=1, field="held_on", value="2018-11-02", reason="The minutes"
    )
    record(app, command, app.provenance("auditor-tan"))

    in_2018 = Auditor(app).record_known_on(conference, known_on=now(), true_on="2018-12")

    assert in_2018.state is not None
    assert [project["name"] for project in in_2018.state["introduced_projects"]] == ["Expo"]


def test_a_project_named_in_a_signing_takes_effect_on_the_signing_date(app: CityCoop) -> None:
    partnership = established(app)
    conference = held(app, partnership)
    command = SignProjects.validated(
        partnership=str(partnership), conference=str(conference), category="cultural", count=1
    )
    agreement = record(app, command, app.provenance("clerk-li"))
    record(app, NameProject.validated(agreement=str(agreement), name="Festival"), app.provenance("clerk-li"))

    on_the_day = Auditor(app).record_known_on(agreement, known_on=now(), true_on="2019-05")

    assert on_the_day.state is not None
    assert [project["name"] for project in on_the_day.state["projects"]] == ["Festival"]
