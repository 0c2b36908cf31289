"""Corrections: a new event names the fact it corrects and why; the original stays."""

from __future__ import annotations

from decimal import Decimal

import pytest

from citycoop.domain.aggregate import Aggregate
from citycoop.domain.agreement import Agreement
from citycoop.domain.conference import Conference
from citycoop.domain.errors import CorrectionError, InvalidValueError
from citycoop.domain.partnership import Partnership


def corrections(record: Aggregate) -> list[Aggregate.Corrected]:
    return [event for event in record.pending_events if isinstance(event, Aggregate.Corrected)]


@pytest.fixture
def reported(partnership: Partnership, meta) -> Partnership:
    """Wuxi–Singapore with the figures of May 2023 reported at version 2."""
    partnership.report_investment(
        {"enterprises": 700, "amount": {"amount": "16400000000", "currency": "USD"}, "as_of": "2023-05-05"}, meta=meta()
    )
    return partnership


def test_correcting_the_investment_amount_records_the_new_and_the_previous_value(reported: Partnership, meta) -> None:
    reported.correct(
        corrects_version=2,
        field="investment.amount",
        value={"amount": "16.4e9", "currency": "USD"},
        reason="The release says 16.4 billion U.S. dollars; the clerk typed it in full.",
        meta=meta(),
    )
    (correction,) = corrections(reported)
    assert correction.corrects_version == 2
    assert correction.field == "investment.amount"
    assert correction.previous == {"amount": "16400000000", "currency": "USD"}
    assert reported.state.investment is not None
    assert reported.state.investment.amount.amount == Decimal("16400000000")
    assert reported.state.investment.enterprises == 700


def test_the_corrected_event_stays_and_the_correction_is_a_new_event(reported: Partnership, meta) -> None:
    reported.correct(
        corrects_version=2,
        field="investment.enterprises",
        value=701,
        reason="The release says more than 700.",
        meta=meta(),
    )
    names = [type(event).__name__ for event in reported.pending_events]
    assert names == ["Established", "InvestmentReported", "Corrected"]
    original = reported.pending_events[1]
    assert isinstance(original, Partnership.InvestmentReported)
    assert original.figures.enterprises == 700
    assert reported.state.investment is not None
    assert reported.state.investment.enterprises == 701


def test_correcting_the_year_a_partnership_began(partnership: Partnership, meta) -> None:
    partnership.correct(corrects_version=1, field="since", value="1993-05", reason="Known to the month.", meta=meta())
    assert partnership.state.since == "1993-05"
    assert corrections(partnership)[0].previous == "1993"


def test_a_correction_can_itself_be_corrected(reported: Partnership, meta) -> None:
    reported.correct(corrects_version=2, field="investment.enterprises", value=710, reason="Misread.", meta=meta())
    reported.correct(corrects_version=3, field="investment.enterprises", value=701, reason="Again.", meta=meta())
    assert reported.state.investment is not None
    assert reported.state.investment.enterprises == 701
    assert corrections(reported)[-1].previous == 710


def test_correcting_the_attendance_of_the_conference(conference: Conference, meta) -> None:
    conference.correct(corrects_version=1, field="attendance", value=198, reason="Guest list.", meta=meta())
    assert conference.state.attendance == 198
    assert corrections(conference)[0].previous == 200


def test_a_correction_naming_an_event_that_did_not_state_the_fact_is_refused(reported: Partnership, meta) -> None:
    with pytest.raises(CorrectionError, match=r"^corrects_version: event 1 of this record did not state 'investment'"):
        reported.correct(corrects_version=1, field="investment", value=None, reason="Wrong event.", meta=meta())
    assert reported.version == 2


def test_correcting_a_fact_never_stated_is_refused(partnership: Partnership, meta) -> None:
    with pytest.raises(CorrectionError, match=r"^field: 'investment.enterprises' is not a fact that can be corrected"):
        partnership.correct(
            corrects_version=1, field="investment.enterprises", value=700, reason="No figures yet.", meta=meta()
        )
    assert corrections(partnership) == []


@pytest.mark.parametrize("field", ["stage", "cities", "idempotency_keys", "investment.currency", "nonsense"])
def test_a_field_that_no_event_states_cannot_be_corrected(reported: Partnership, meta, field: str) -> None:
    with pytest.raises(CorrectionError, match=rf"^field: '{field}' is not a fact that can be corrected"):
        reported.correct(corrects_version=1, field=field, value="x", reason="Try.", meta=meta())
    assert reported.version == 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("investment.enterprises", -700, r"^value: cannot be negative"),
        ("investment.enterprises", "many", r"^value: must be a whole number"),
        ("investment.amount", {"amount": "-1", "currency": "USD"}, r"^value\.amount: cannot be negative"),
        ("investment.as_of", "2023-02-30", r"^value: is not a valid date"),
    ],
)
def test_a_corrected_value_that_breaks_the_rules_is_refused_naming_the_value(
    reported: Partnership, meta, field: str, value: object, message: str
) -> None:
    with pytest.raises(InvalidValueError, match=message):
        reported.correct(corrects_version=2, field=field, value=value, reason="Try.", meta=meta())
    assert reported.version == 2


def test_a_correction_needs_a_reason(reported: Partnership, meta) -> None:
    with pytest.raises(InvalidValueError, match=r"^reason: "):
        reported.correct(corrects_version=2, field="investment.enterprises", value=701, reason=" ", meta=meta())


def test_correcting_the_count_below_the_projects_named_is_refused(industrial: Agreement, meta) -> None:
    for name in ("Changi logistics hub", "SGX listing centre"):
        industrial.name_project({"name": name, "parties": (), "description": None}, meta=meta())
    for count in (1, "1"):
        with pytest.raises(CorrectionError, match="2 projects are named already, so the count cannot be 1"):
            industrial.correct(corrects_version=1, field="count", value=count, reason="Misread.", meta=meta())
    assert industrial.state.count == 10


def test_correcting_the_count_up_lets_more_projects_be_named(conference: Conference, meta) -> None:
    strategic = Agreement.sign(
        partnership_id=conference.partnership_id,
        conference_id=conference.id,
        category="strategic",  # type: ignore[arg-type]
        count=1,
        signed_on="2023-05-05",
        meta=meta(),
    )
    strategic.name_project({"name": "Innovation City expansion", "parties": (), "description": None}, meta=meta())
    strategic.correct(corrects_version=1, field="count", value=3, reason="The release says 3.", meta=meta())
    strategic.name_project({"name": "SGX listing support", "parties": (), "description": None}, meta=meta())
    assert (strategic.state.count, len(strategic.state.projects)) == (3, 2)


@pytest.mark.parametrize(("field", "value"), [("attendance", -200), ("held_on", "2023-02-30"), ("title", "")])
def test_a_corrected_conference_fact_is_checked_like_the_original(
    conference: Conference, meta, field: str, value: object
) -> None:
    with pytest.raises(InvalidValueError, match=r"^value: "):
        conference.correct(corrects_version=1, field=field, value=value, reason="Try.", meta=meta())
    assert conference.version == 1


def test_correcting_the_count_to_nothing_is_refused(industrial: Agreement, meta) -> None:
    with pytest.raises(InvalidValueError, match=r"^value: must be 1 or more"):
        industrial.correct(corrects_version=1, field="count", value=0, reason="None were signed.", meta=meta())
