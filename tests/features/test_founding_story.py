"""The founding story: the Wuxi–Singapore conference of 5 May 2023, recorded
fact by fact from the press release, and what the read models then show."""

from __future__ import annotations

import pytest
from pytest_bdd import parsers, scenario, then

from .chronicle import TYPES, Chronicle

pytestmark = pytest.mark.usefixtures("chronicle")


@scenario("founding_story.feature", "The 2023 conference is recorded from the press release, fact by fact")
def test_the_2023_conference_is_recorded_from_the_press_release_fact_by_fact() -> None:
    """Bound on its own until the read models land; then ``scenarios(...)`` binds the whole feature."""


@then(
    parsers.parse(
        "the conference of {held_on:Date} was hosted by {host} with about {attendance:d} guests,"
        " among them people from",
        extra_types=TYPES,
    )
)
def _(chronicle: Chronicle, held_on: str, host: str, attendance: int, datatable: list[list[str]]) -> None:
    conference = chronicle.app.get_conference(chronicle.conferences[held_on]).state
    assert (conference.host_city, conference.attendance, conference.attendance_is_approximate) == (
        host,
        attendance,
        True,
    )
    assert conference.organizations == [row[0] for row in datatable]
