"""Read models rebuilt from the log equal the ones kept up to date live."""

from __future__ import annotations

import pytest
from pytest_bdd import given, scenarios, then, when

from citycoop.adapters.reads import ReadModel, ReadModels

from .chronicle import Chronicle

pytestmark = pytest.mark.usefixtures("chronicle")
scenarios("projections.feature")

EVERYTHING = 10_000
"""More than any scenario records: a page that holds every item."""


def everything(read: ReadModels) -> dict[str, list[ReadModel]]:
    """Every document of every read model, as readers get them."""
    partnerships = read.partnerships(limit=EVERYTHING)
    return {
        "partnership summaries": list(partnerships),
        "conference register": list(read.conferences(limit=EVERYTHING)),
        "agreement register": list(read.agreements(limit=EVERYTHING)),
        "city directory": list(read.cities(limit=EVERYTHING)),
        "timelines": [entry for summary in partnerships for entry in read.timeline(summary.id)],
    }


@given("the read models have caught up with the log")
@when("the read models have caught up with the log")
def _(chronicle: Chronicle) -> None:
    assert chronicle.reads.catch_up() == chronicle.reads.head()


@when("the read models are rebuilt from the log", target_fixture="before_the_rebuild")
def _(chronicle: Chronicle) -> dict[str, list[ReadModel]]:
    before = everything(chronicle.reads.read_models())
    assert chronicle.reads.rebuild() == chronicle.reads.head()
    return before


@then("every read model holds exactly what it held before the rebuild")
def _(chronicle: Chronicle, before_the_rebuild: dict[str, list[ReadModel]]) -> None:
    assert everything(chronicle.reads.read_models()) == before_the_rebuild
    assert all(before_the_rebuild.values()), "every read model holds something to compare"
