"""The founding story: the Wuxi–Singapore conference of 5 May 2023, recorded
fact by fact from the press release, and what the read models then show."""

from __future__ import annotations

import pytest
from pytest_bdd import parsers, scenarios, then

from .chronicle import TYPES, Bounded, Chronicle

pytestmark = pytest.mark.usefixtures("chronicle")
scenarios("founding_story.feature")


@then(
    parsers.parse(
        "the conference of {held_on:Date} was hosted by {host} with {attendance:Bounded} guests,"
        " among them people from",
        extra_types=TYPES,
    )
)
def _(chronicle: Chronicle, *, held_on: str, host: str, attendance: Bounded, datatable: list[list[str]]) -> None:
    conference = chronicle.reads.record(chronicle.conferences[held_on]).state
    assert (conference.host_city, conference.attendance_qualifier, conference.attendance) == (host, *attendance)
    assert conference.organizations == [row[0] for row in datatable]


@then(parsers.parse("the summary of {pair} shows {conferences:d} conference"))
def _(chronicle: Chronicle, *, pair: str, conferences: int) -> None:
    assert chronicle.read_models().partnership(chronicle.partnerships[pair]).conferences == conferences


@then(parsers.parse("the summary of {pair} shows the initiatives"))
def _(chronicle: Chronicle, *, pair: str, datatable: list[list[str]]) -> None:
    initiatives = chronicle.read_models().partnership(chronicle.partnerships[pair]).initiatives
    assert [initiative.name for initiative in initiatives] == [row[0] for row in datatable]


@then(
    parsers.parse(
        "the conference register shows {strategic:d} strategic and {industrial:d} industrial projects signed"
        " at the conference of {held_on:Date}",
        extra_types=TYPES,
    )
)
def _(chronicle: Chronicle, *, strategic: int, industrial: int, held_on: str) -> None:
    entry = chronicle.read_models().conference(chronicle.conferences[held_on])
    assert entry.projects_by_category == {"strategic": strategic, "industrial": industrial}


@then(parsers.parse("the conference register shows guests at the conference of {held_on:Date} from", extra_types=TYPES))
def _(chronicle: Chronicle, *, held_on: str, datatable: list[list[str]]) -> None:
    entry = chronicle.read_models().conference(chronicle.conferences[held_on])
    assert entry.organizations == [row[0] for row in datatable]


@then(parsers.parse("the city directory shows {partner} as a partner of {city} sharing {projects:d} projects"))
def _(chronicle: Chronicle, *, partner: str, city: str, projects: int) -> None:
    partners = chronicle.read_models().city(city).partners
    assert [(entry.name, entry.projects_shared) for entry in partners] == [(partner, projects)]
