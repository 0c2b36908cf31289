"""Read models rebuilt from the log equal the ones kept up to date live."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_bdd import given, scenarios, then, when

from tests.reading import everything

from .chronicle import Chronicle

pytestmark = pytest.mark.usefixtures("chronicle")
scenarios("projections.feature")


@given("the read models have caught up with the log")
@when("the read models have caught up with the log")
def _(chronicle: Chronicle) -> None:
    assert chronicle.reads.catch_up() == chronicle.reads.head()


@when("the read models are rebuilt from the log", target_fixture="before_the_rebuild")
def _(chronicle: Chronicle) -> dict[str, list[dict[str, Any]]]:
    before = everything(chronicle.reads.read_models())
    assert chronicle.reads.rebuild() == chronicle.reads.head()
    return before


@then("every read model holds exactly what it held before the rebuild")
def _(chronicle: Chronicle, before_the_rebuild: dict[str, list[dict[str, Any]]]) -> None:
    assert everything(chronicle.reads.read_models()) == before_the_rebuild
    assert all(before_the_rebuild.values()), "every read model holds something to compare"
