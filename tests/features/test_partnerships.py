"""Partnerships between cities: stages, fields, figures, and the end of one."""

from __future__ import annotations

import pytest
from pytest_bdd import parsers, scenarios, then

from citycoop.domain.vocabulary import PartnershipStatus

from .chronicle import TYPES, Chronicle, fact

pytestmark = pytest.mark.usefixtures("chronicle")
scenarios("partnerships.feature")


@fact("{pair} moved to the {stage} stage on {on:Date}")
def _(chronicle: Chronicle, *, pair: str, stage: str, on: str) -> None:
    partnership_id = chronicle.partnerships[pair]
    chronicle.attempt(lambda: chronicle.app.change_stage(partnership_id, stage=stage, on=on, meta=chronicle.meta()))


@fact("{pair} suspended their partnership on {on:Date}")
def _(chronicle: Chronicle, *, pair: str, on: str) -> None:
    partnership_id = chronicle.partnerships[pair]
    chronicle.attempt(
        lambda: chronicle.app.suspend_partnership(partnership_id, on=on, reason=None, meta=chronicle.meta())
    )


@fact("{pair} resumed their partnership on {on:Date}")
def _(chronicle: Chronicle, *, pair: str, on: str) -> None:
    partnership_id = chronicle.partnerships[pair]
    chronicle.attempt(
        lambda: chronicle.app.resume_partnership(partnership_id, on=on, reason=None, meta=chronicle.meta())
    )


@fact("{pair} ended their partnership on {on:Date}")
def _(chronicle: Chronicle, *, pair: str, on: str) -> None:
    partnership_id = chronicle.partnerships[pair]
    chronicle.attempt(lambda: chronicle.app.end_partnership(partnership_id, on=on, reason=None, meta=chronicle.meta()))


@then(parsers.parse("the partnership of {pair} is active"))
def _(chronicle: Chronicle, *, pair: str) -> None:
    assert chronicle.app.get_partnership(chronicle.partnerships[pair]).state.status == PartnershipStatus.ACTIVE


@then(
    parsers.parse(
        "the partnership of {pair} reports {enterprises:d} enterprises investing {currency} {amount:Figure}"
        " as of {as_of:Date}",
        extra_types=TYPES,
    )
)
def _(chronicle: Chronicle, *, pair: str, enterprises: int, currency: str, amount: str, as_of: str) -> None:
    figures = chronicle.app.get_partnership(chronicle.partnerships[pair]).state.investment
    assert figures is not None
    assert (figures.enterprises, str(figures.amount.amount), figures.amount.currency, figures.as_of) == (
        enterprises,
        amount,
        currency,
        as_of,
    )
