"""Auditing: the history of a record with its provenance, past states on both
time axes, and proof that the log was not altered."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pytest_bdd import parsers, scenarios, then, when

from citycoop.adapters.reads import HistoryEntry, Moment, PartnershipSummary, RecordKnownOn, Verification
from citycoop.domain.vocabulary import normalise_term

from .chronicle import CLERK, TYPES, Chronicle, in_words

pytestmark = pytest.mark.usefixtures("chronicle")
scenarios("auditing.feature")


@when(
    parsers.parse(
        "the auditor asks what was true of the partnership of {pair} on {true_on:Date}, as known today",
        extra_types=TYPES,
    ),
    target_fixture="past",
)
def _(chronicle: Chronicle, *, pair: str, true_on: str) -> RecordKnownOn:
    known_on = datetime.now(UTC)
    return chronicle.reads.state_known_on(chronicle.partnerships[pair], known_on=known_on, true_on=true_on)


@then(
    parsers.parse(
        "on that day the partnership was at the {stage} stage since {since:Date},"
        " with no investment figures reported yet",
        extra_types=TYPES,
    )
)
def _(past: RecordKnownOn, *, stage: str, since: str) -> None:
    assert past.state is not None
    assert (past.state["stage"], past.state["since"], past.state["investment"]) == (normalise_term(stage), since, None)


@then(parsers.parse("on that day the conference of {held_on:Date} had not been held yet", extra_types=TYPES))
def _(chronicle: Chronicle, past: RecordKnownOn, *, held_on: str) -> None:
    conference_id = chronicle.conferences[held_on]
    on_that_day = chronicle.reads.state_known_on(conference_id, known_on=past.known_on, true_on=past.true_on)
    assert on_that_day.state is None


@when(
    parsers.parse(
        "the auditor asks for the summary of {pair} as it stood before the conference of {held_on:Date} was recorded",
        extra_types=TYPES,
    ),
    target_fixture="past_summary",
)
def _(chronicle: Chronicle, *, pair: str, held_on: str) -> PartnershipSummary:
    [held, *_] = chronicle.reads.history(chronicle.conferences[held_on])
    past = chronicle.reads.read_models(Moment(position=held.event.position - 1))
    return past.partnership(chronicle.partnerships[pair])


@then("that summary shows no conference and no projects signed")
def _(past_summary: PartnershipSummary) -> None:
    assert (past_summary.conferences, past_summary.projects_total, past_summary.projects_by_category) == (0, 0, {})


@when(parsers.parse("the auditor asks for the history of the partnership of {pair}"), target_fixture="history")
def _(chronicle: Chronicle, *, pair: str) -> list[HistoryEntry]:
    return chronicle.reads.history(chronicle.partnerships[pair])


@then("the history lists, in order")
def _(history: list[HistoryEntry], datatable: list[list[str]]) -> None:
    assert [["event"], *([in_words(entry.event.type)] for entry in history)] == datatable


@then(parsers.parse('every event of the history was recorded by the clerk from "{source}"'))
def _(history: list[HistoryEntry], *, source: str) -> None:
    assert {(entry.event.actor, entry.event.source) for entry in history} == {(CLERK, source)}


@when("the auditor verifies the log", target_fixture="verification")
def _(chronicle: Chronicle) -> Verification:
    return chronicle.reads.verify()


@then("the log is intact")
def _(chronicle: Chronicle, verification: Verification) -> None:
    assert verification.ok, verification.summary()
    assert verification.events == len(chronicle.log())
