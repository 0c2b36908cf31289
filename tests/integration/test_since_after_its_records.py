"""A partnership's ``since`` corrected to after anything dated in it is
refused, on both stores, in one line naming the field and what it would
follow, and nothing is written: its own changes of stage (which its state
does not keep), its conferences and their signings, as dated now (a
corrected date counts as corrected), and those held in the same import."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

import pytest

from citycoop.adapters.application.commands import (
    ChangeAgreementStatus,
    ChangeStage,
    CorrectFact,
    EstablishPartnership,
    HoldConference,
    SignProjects,
)
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.application.steps import Step
from citycoop.domain.errors import DateOrderError
from tests.recording import record

SUZHOU = {"name": "Suzhou", "country": "China"}
SINGAPORE = {"name": "Singapore", "country": "Singapore"}


def established(app: CityCoop, since: str = "1990") -> UUID:
    command = EstablishPartnership.validated(city_a=SUZHOU, city_b=SINGAPORE, since=since, stage="letter-of-intent")
    return record(app, command, app.provenance("clerk-li", source="Suzhou Daily"))


def held(app: CityCoop, partnership: UUID, held_on: str) -> UUID:
    command = HoldConference.validated(partnership=str(partnership), title="Forum", held_on=held_on, host_city="Suzhou")
    return record(app, command, app.provenance("clerk-li"))


def correction(record_id: UUID | str, field: str, value: str) -> CorrectFact:
    return CorrectFact.validated(record=str(record_id), corrects_version=1, field=field, value=value, reason="Misread")


def corrected(app: CityCoop, record_id: UUID, field: str, value: str) -> None:
    record(app, correction(record_id, field, value), app.provenance("auditor-tan"))


def refused(app: CityCoop, partnership: UUID, since: str, count: Callable[[], int]) -> str:
    logged = count()
    with pytest.raises(DateOrderError) as refusal:
        corrected(app, partnership, "since", since)
    assert count() == logged
    return str(refusal.value)


@pytest.fixture
def events(app: CityCoop) -> Callable[[], int]:
    return lambda: app.recorder.max_notification_id() or 0


def test_a_since_corrected_to_after_a_conference_is_refused(app: CityCoop, events: Callable[[], int]) -> None:
    partnership = established(app)
    held(app, partnership, "1994-02")

    message = refused(app, partnership, "1994-05", events)

    assert message == "value: the partnership cannot have begun on 1994-05, after the conference 'Forum' (1994-02)"


def test_a_since_corrected_to_after_a_signing_is_refused(app: CityCoop, events: Callable[[], int]) -> None:
    partnership = established(app)
    conference = held(app, partnership, "1994")
    command = SignProjects.validated(
        partnership=str(partnership), conference=str(conference), category="cultural", count=2, signed_on="1994-03"
    )
    record(app, command, app.provenance("clerk-li"))

    message = refused(app, partnership, "1994-06", events)

    assert message.startswith("value: the partnership cannot have begun on 1994-06, after the signing of its cultural")


def test_a_since_corrected_to_after_an_agreement_changed_status_is_refused(
    app: CityCoop, events: Callable[[], int]
) -> None:
    partnership = established(app)
    conference = held(app, partnership, "1994")
    command = SignProjects.validated(
        partnership=str(partnership), conference=str(conference), category="cultural", count=2
    )
    agreement = record(app, command, app.provenance("clerk-li"))
    status = ChangeAgreementStatus.validated(agreement=str(agreement), status="in-progress", on="1994-04")
    record(app, status, app.provenance("clerk-li"))

    message = refused(app, partnership, "1994-06", events)

    assert message.endswith("after its cultural projects became in-progress (1994-04)")


def test_a_since_corrected_to_after_a_change_of_stage_is_refused(app: CityCoop, events: Callable[[], int]) -> None:
    partnership = established(app)
    command = ChangeStage.validated(partnership=str(partnership), stage="sister-city", on="1995")
    record(app, command, app.provenance("clerk-li"))

    message = refused(app, partnership, "2000", events)

    assert (
        message == "value: the partnership cannot have begun on 2000, after its change of stage to sister-city (1995)"
    )


def test_a_conference_counts_as_its_date_was_corrected(app: CityCoop, events: Callable[[], int]) -> None:
    partnership = established(app)
    conference = held(app, partnership, "2019-05")
    corrected(app, conference, "held_on", "1996")

    message = refused(app, partnership, "1998", events)

    assert message.endswith("after the conference 'Forum' (1996)")


def test_a_conference_held_in_the_same_import_counts(app: CityCoop, events: Callable[[], int]) -> None:
    partnership = established(app)
    logged = events()
    hold = HoldConference.validated(partnership=str(partnership), title="Forum", held_on="1994", host_city="Suzhou")

    with pytest.raises(DateOrderError, match=r"after the conference 'Forum' \(1994\)$"):
        app.execute(
            [
                Step(hold, app.provenance("clerk-li")),
                Step(correction(partnership, "since", "1995"), app.provenance("auditor-tan")),
            ]
        )
    assert events() == logged


def test_a_since_corrected_to_before_its_conferences_is_recorded(app: CityCoop) -> None:
    partnership = established(app)
    held(app, partnership, "1994-02")
    other = record(
        app,
        EstablishPartnership.validated(city_a=SUZHOU, city_b={"name": "Osaka", "country": "Japan"}, since="1980"),
        app.provenance("clerk-li"),
    )
    held(app, other, "1981")  # another partnership's conference does not count

    corrected(app, partnership, "since", "1994-02")
    corrected(app, partnership, "since", "1992")

    assert app.get_record(partnership).state.since == "1992"
