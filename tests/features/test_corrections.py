"""Corrections: a wrong figure is put right without erasing what was recorded."""

from __future__ import annotations

import pytest
from pytest_bdd import parsers, scenarios, then

from .chronicle import TYPES, Chronicle, in_words

pytestmark = pytest.mark.usefixtures("chronicle")
scenarios("corrections.feature")


@then(parsers.parse("the history of the conference of {held_on:Date} shows the attendance as", extra_types=TYPES))
def _(chronicle: Chronicle, *, held_on: str, datatable: list[list[str]]) -> None:
    history = chronicle.reads.history(chronicle.conferences[held_on])
    attendance = [
        [in_words(entry.event.type), str(entry.changes["attendance"].after)]
        for entry in history
        if "attendance" in entry.changes
    ]
    assert [["event", "attendance"], *attendance] == datatable
