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
    chronicle.record("change-stage", partnership=str(partnership_id), stage=stage, on=on)


@fact("{pair} suspended their partnership on {on:Date}")
def _(chronicle: Chronicle, *, pair: str, on: str) -> None:
    partnership_id = chronicle.partnerships[pair]
    chronicle.record("suspend-partnership", partnership=str(partnership_id), on=on, reason=None)


@fact("{pair} resumed their partnership on {on:Date}")
def _(chronicle: Chronicle, *, pair: str, on: str) -> None:
    partnership_id = chronicle.partnerships[pair]
    chronicle.record("resume-partnership", partnership=str(partnership_id), on=on, reason=None)


@fact("{pair} ended their partnership on {on:Date}")
def _(chronicle: Chronicle, *, pair: str, on: str) -> None:
    partnership_id = chronicle.partnerships[pair]
    chronicle.record("end-partnership", partnership=str(partnership_id), on=on, reason=None)


@then(parsers.parse("the partnership of {pair} is active"))
def _(chronicle: Chronicle, *, pair: str) -> None:
    assert chronicle.reads.record(chronicle.partnerships[pair]).state.status == PartnershipStatus.ACTIVE


@then(
    parsers.parse(
        "the partnership of {pair} reports {enterprises:d} enterprises investing {currency} {amount:Figure}"
        " as of {as_of:Date}",
        extra_types=TYPES,
    )
)
def _(chronicle: Chronicle, *, pair: str, enterprises: int, currency: str, amount: str, as_of: str) -> None:
    figures = chronicle.reads.record(chronicle.partnerships[pair]).state.investment
    assert figures is not None
    assert (figures.enterprises, str(figures.amount.amount), figures.amount.currency, figures.as_of) == (
        enterprises,
        amount,
        currency,
        as_of,
    )
