"""A correction of the date a fact happened moves the fact on the business
time axis: as known after the correction, what was true on a day follows the
corrected date, both earlier and later, on both stores. As known before the
correction, it follows the date recorded then."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from citycoop.adapters.application.commands import CorrectFact, EstablishPartnership, HoldConference
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.audit.auditor import Auditor
from tests.recording import record

LOS_ANGELES = {"name": "Los Angeles", "country": "United States"}
GUANGZHOU = {"name": "Guangzhou", "country": "China"}


def now() -> datetime:
    return datetime.now(tz=UTC)


def established(app: CityCoop, since: str) -> UUID:
    command = EstablishPartnership.validated(city_a=LOS_ANGELES, city_b=GUANGZHOU, since=since, stage="sister-city")
    return record(app, command, app.provenance("clerk-li", source="Los Angeles City Council"))


def corrected(app: CityCoop, record_id: UUID, field: str, value: str, *, version: int = 1) -> None:
    command = CorrectFact.validated(
        record=str(record_id), corrects_version=version, field=field, value=value, reason="The council's minutes"
    )
    record(app, command, app.provenance("auditor-tan", source="Los Angeles City Council minutes"))


def test_a_since_corrected_earlier_makes_the_partnership_true_from_the_corrected_date(app: CityCoop) -> None:
    partnership = established(app, "1982")
    before_the_correction = now()
    corrected(app, partnership, "since", "1981-12-08")
    auditor = Auditor(app)

    known_now = auditor.record_known_on(partnership, known_on=now(), true_on="1981-12-31")
    known_then = auditor.record_known_on(partnership, known_on=before_the_correction, true_on="1981-12-31")

    assert known_now.state is not None
    assert known_now.state["since"] == "1981-12-08"
    assert known_now.versions == [1, 2]
    assert known_then.state is None


def test_a_since_corrected_later_makes_the_partnership_untrue_before_the_corrected_date(app: CityCoop) -> None:
    partnership = established(app, "1990")
    corrected(app, partnership, "since", "1995")
    auditor = Auditor(app)

    in_1992 = auditor.record_known_on(partnership, known_on=now(), true_on="1992-06-01")
    in_1995 = auditor.record_known_on(partnership, known_on=now(), true_on="1995-06-01")

    assert in_1992.state is None
    assert in_1995.state is not None
    assert in_1995.state["since"] == "1995"


def test_a_correction_of_a_correction_of_the_date_moves_the_fact_again(app: CityCoop) -> None:
    partnership = established(app, "1990")
    corrected(app, partnership, "since", "1995")
    corrected(app, partnership, "since", "1981-12-08", version=2)

    in_1982 = Auditor(app).record_known_on(partnership, known_on=now(), true_on="1982")

    assert in_1982.state is not None
    assert in_1982.state["since"] == "1981-12-08"
    assert in_1982.versions == [1, 2, 3]


def test_a_conference_whose_date_is_corrected_was_held_on_the_corrected_date(app: CityCoop) -> None:
    partnership = established(app, "1981-12-08")
    conference = record(
        app,
        HoldConference.validated(
            partnership=str(partnership), title="Sister City Summit", held_on="2019-05", host_city="Los Angeles"
        ),
        app.provenance("clerk-li"),
    )
    corrected(app, conference, "held_on", "2018-11-02")
    auditor = Auditor(app)

    in_2018 = auditor.record_known_on(conference, known_on=now(), true_on="2018-12")
    on_the_day_first_recorded = auditor.record_known_on(conference, known_on=now(), true_on="2019-05")

    assert in_2018.state is not None
    assert in_2018.state["held_on"] == "2018-11-02"
    assert on_the_day_first_recorded.state is not None
