"""The register says only what its sources say: bounded figures stay bounds,
undated facts stay undated."""

from __future__ import annotations

import pytest
from pytest_bdd import parsers, scenarios, then

from citycoop.adapters.reads import TimelineEntry, day_text

from .chronicle import Chronicle

pytestmark = pytest.mark.usefixtures("chronicle")
scenarios("as_the_sources_say.feature")


def _when(entry: TimelineEntry) -> str:
    if entry.business_date is None:
        return "undated"
    when = day_text(entry.business_date)
    return when if entry.business_date_kind == "stated" else f"{when} (from the {entry.date_derived_from})"


@then(parsers.parse("the timeline of {pair} reads"))
def _(chronicle: Chronicle, *, pair: str, datatable: list[list[str]]) -> None:
    timeline = chronicle.read_models().timeline(chronicle.partnerships[pair])
    assert [["when", "what happened"], *([_when(entry), entry.summary] for entry in timeline)] == datatable


@then(parsers.parse('the summary of {pair} says the figures were corrected, on the word of "{source}"'))
def _(chronicle: Chronicle, *, pair: str, source: str) -> None:
    investment = chronicle.read_models().partnership(chronicle.partnerships[pair]).investment
    assert investment is not None
    assert investment.corrected
    assert investment.source == source
    assert investment.reported_source is None
