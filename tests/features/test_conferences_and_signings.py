"""Conferences and the projects signed at them: each signing counted once, for
the partnership whose conference it was."""

from __future__ import annotations

import pytest
from pytest_bdd import parsers, scenarios, then

from .chronicle import TYPES, Chronicle, fact

pytestmark = pytest.mark.usefixtures("chronicle")
scenarios("conferences_and_signings.feature")


@fact('the {category} projects signed at the conference of {held_on:Date} include "{name}"')
def _(chronicle: Chronicle, category: str, held_on: str, name: str) -> None:
    agreement_id = chronicle.agreements[(held_on, category)]
    chronicle.record("name-project", agreement=str(agreement_id), name=name)


@then(
    parsers.parse(
        "{count:d} {category} projects are on record as signed at the conference of {held_on:Date}",
        extra_types=TYPES,
    )
)
def _(chronicle: Chronicle, count: int, category: str, held_on: str) -> None:
    agreement = chronicle.reads.record(chronicle.agreements[(held_on, category)])
    assert (agreement.state.count, agreement.state.conference_id) == (count, chronicle.conferences[held_on])


@then(parsers.parse('the conference of {held_on:Date} introduced "{project}"', extra_types=TYPES))
def _(chronicle: Chronicle, held_on: str, project: str) -> None:
    conference = chronicle.reads.record(chronicle.conferences[held_on])
    assert [introduced.name for introduced in conference.state.introduced_projects] == [project]
