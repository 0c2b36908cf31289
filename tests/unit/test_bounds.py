"""Figures as the sources give them: "more than 700", "nearly 200", kept as
bounds, put back into words, summed and checked as bounds."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citycoop.adapters.application.commands import HoldConference, ReportInvestment, SignProjects
from citycoop.domain.agreement import Agreement
from citycoop.domain.bounds import bounded, combined, most
from citycoop.domain.conference import Conference
from citycoop.domain.errors import CorrectionError, InvalidValueError, ProjectCountExceededError
from citycoop.domain.partnership import Partnership
from citycoop.domain.vocabulary import Qualifier

CONFERENCE = {
    "partnership": "712a8a14-4928-5786-9e6c-a9b3845f5511",
    "title": "Wuxi Singapore Cooperation and Development Conference on Urban Internationalization",
    "held_on": "2023-05-05",
    "host_city": "Wuxi",
    "attendance": 200,
}


@pytest.mark.parametrize(
    ("qualifier", "words"),
    [
        ("exact", "700"),
        ("about", "about 700"),
        ("nearly", "nearly 700"),
        ("more-than", "more than 700"),
        ("at-least", "at least 700"),
        ("at-most", "at most 700"),
        ("less-than", "less than 700"),
    ],
)
def test_a_figure_is_put_back_into_the_words_of_its_source(qualifier: str, words: str) -> None:
    assert bounded(qualifier, "700") == words


@pytest.mark.parametrize(
    ("qualifiers", "sum_is"),
    [
        ((), "exact"),
        (("exact", "exact"), "exact"),
        (("more-than", "exact"), "more-than"),
        (("nearly", "exact", "nearly"), "nearly"),
        (("at-least", "more-than"), "more-than"),
        (("at-most", "less-than", "exact"), "less-than"),
        (("more-than", "less-than"), "about"),
        (("at-least", "at-least"), "at-least"),
        (("nearly", "at-most"), "at-most"),
        (("nearly", "less-than", "at-most"), "less-than"),
        (("nearly", "about"), "about"),
    ],
)
def test_a_sum_of_figures_is_bounded_as_its_parts_allow(qualifiers: tuple[str, ...], sum_is: str) -> None:
    assert combined(qualifiers) == sum_is


TOLERANCE = 10
"""About and nearly as the property reads them: within a tenth of the figure
(nearly: below it, as ``most`` has it)."""


def admits(qualifier: Qualifier, figure: int, truth: int) -> bool:
    """Whether ``truth`` is what ``figure`` so qualified may stand for."""
    near = abs(truth - figure) * TOLERANCE <= figure
    return {
        Qualifier.EXACT: truth == figure,
        Qualifier.ABOUT: near,
        Qualifier.NEARLY: near and truth <= figure,
        Qualifier.MORE_THAN: truth > figure,
        Qualifier.AT_LEAST: truth >= figure,
        Qualifier.AT_MOST: truth <= figure,
        Qualifier.LESS_THAN: truth < figure,
    }[qualifier]


_ONE_SIDED = (
    {Qualifier.EXACT, Qualifier.MORE_THAN, Qualifier.AT_LEAST},
    {Qualifier.EXACT, Qualifier.AT_MOST, Qualifier.LESS_THAN, Qualifier.NEARLY},
    {Qualifier.EXACT, Qualifier.ABOUT, Qualifier.NEARLY},
)


_ADMITTED = {
    Qualifier.EXACT: lambda figure: (figure, figure),
    Qualifier.ABOUT: lambda figure: (figure - figure // TOLERANCE, figure + figure // TOLERANCE),
    Qualifier.NEARLY: lambda figure: (figure - figure // TOLERANCE, figure),
    Qualifier.MORE_THAN: lambda figure: (figure + 1, 2 * figure + 1),
    Qualifier.AT_LEAST: lambda figure: (figure, 2 * figure),
    Qualifier.AT_MOST: lambda figure: (0, figure),
    Qualifier.LESS_THAN: lambda figure: (0, figure - 1),
}
"""The true values (some of them, for the bounds open above) each qualifier admits of a figure."""


@st.composite
def parts_and_truths(draw: st.DrawFn) -> list[tuple[Qualifier, int, int]]:
    """Figures whose qualifiers the vocabulary has a word for the sum of, each with a true value it admits."""
    side = draw(st.sampled_from(_ONE_SIDED))
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        qualifier = draw(st.sampled_from(sorted(side)))
        figure = draw(st.integers(1, 10_000))
        low, high = _ADMITTED[qualifier](figure)
        truth = draw(st.integers(low, high))
        assert admits(qualifier, figure, truth)
        parts.append((qualifier, figure, truth))
    return parts


@given(parts_and_truths())
def test_a_sum_s_qualifier_is_true_for_every_set_of_true_values_its_parts_admit(
    parts: list[tuple[Qualifier, int, int]],
) -> None:
    qualifier = combined(q for q, _, _ in parts)
    assert admits(qualifier, sum(f for _, f, _ in parts), sum(t for _, _, t in parts))


def test_only_exact_and_upper_bounds_cap_a_count() -> None:
    assert [most(qualifier, 3) for qualifier in Qualifier] == [3, None, 3, None, None, 3, 2]


def test_the_press_releases_words_are_accepted_as_qualifiers() -> None:
    command = ReportInvestment.validated(
        partnership=CONFERENCE["partnership"],
        enterprises=700,
        enterprises_qualifier="More than",
        amount="16400000000",
        as_of="2023-05-05",
    )
    assert command.figures().enterprises_qualifier == Qualifier.MORE_THAN
    assert command.figures().amount_qualifier == Qualifier.EXACT


def test_an_unknown_qualifier_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidValueError, match=r"^count_qualifier: "):
        SignProjects.validated(
            partnership=CONFERENCE["partnership"],
            conference="c",
            category="strategic",
            count=3,
            count_qualifier="roughly",
        )


def test_approximate_attendance_is_about_as_it_always_was() -> None:
    assert HoldConference.validated(**CONFERENCE, attendance_is_approximate=True).attendance_qualifier == "about"
    assert HoldConference.validated(**CONFERENCE).attendance_qualifier == "exact"
    nearly = HoldConference.validated(**CONFERENCE, attendance_qualifier="nearly")
    assert "attendance_is_approximate" not in nearly.stated()


def test_approximate_attendance_with_another_qualifier_is_refused() -> None:
    with pytest.raises(
        InvalidValueError, match=r"^attendance_is_approximate: says about, but the attendance qualifier says nearly$"
    ):
        HoldConference.validated(**CONFERENCE, attendance_is_approximate=True, attendance_qualifier="nearly")


def test_events_recorded_before_qualifiers_read_as_exact() -> None:
    figures: dict[str, Any] = {"figures": {"enterprises": 700, "as_of": "2023-05-05"}}
    Partnership.InvestmentReported.upcast_v1_v2(figures)
    assert figures["figures"] == {
        "enterprises": 700,
        "as_of": "2023-05-05",
        "enterprises_qualifier": "exact",
        "amount_qualifier": "exact",
    }
    signed: dict[str, Any] = {"count": 3}
    Agreement.Signed.upcast_v1_v2(signed)
    assert signed == {"count": 3, "count_qualifier": "exact"}
    assert (Partnership.InvestmentReported.class_version, Agreement.Signed.class_version) == (2, 2)
    assert Conference.Held.class_version == 3


def _signed(conference: Conference, meta, qualifier: str) -> Agreement:
    return Agreement.sign(
        partnership_id=conference.partnership_id,
        conference_id=conference.id,
        category="strategic",  # type: ignore[arg-type]
        count=3,
        count_qualifier=qualifier,  # type: ignore[arg-type]
        signed_on="2023-05-05",
        meta=meta(),
    )


def test_more_than_3_projects_may_have_a_fourth_name(conference: Conference, meta) -> None:
    agreement = _signed(conference, meta, "more-than")
    for number in range(4):
        agreement.name_project({"name": f"Project {number}"}, meta=meta())
    assert len(agreement.state.projects) == 4


def test_less_than_3_projects_have_at_most_2_names(conference: Conference, meta) -> None:
    agreement = _signed(conference, meta, "less-than")
    agreement.name_project({"name": "Changi Airport Group cooperation"}, meta=meta())
    agreement.name_project({"name": "SGX listing support"}, meta=meta())
    with pytest.raises(ProjectCountExceededError, match="all less than 3 strategic projects of this signing"):
        agreement.name_project({"name": "DHL logistics hub"}, meta=meta())


def test_the_count_cannot_be_made_exact_below_the_names_on_record(conference: Conference, meta) -> None:
    agreement = _signed(conference, meta, "more-than")
    for number in range(4):
        agreement.name_project({"name": f"Project {number}"}, meta=meta())
    with pytest.raises(CorrectionError, match="4 projects are named already, so the count cannot be 3"):
        agreement.correct(corrects_version=1, field="count_qualifier", value="exact", reason="typo", meta=meta())
    agreement.correct(corrects_version=1, field="count_qualifier", value="at-least", reason="typo", meta=meta())
    assert agreement.state.count_qualifier == "at-least"


def test_a_correction_can_change_how_a_figure_bounds_the_truth(partnership: Partnership, meta) -> None:
    partnership.report_investment(
        {"enterprises": 700, "amount": {"amount": "16400000000", "currency": "USD"}, "as_of": "2023-05-05"}, meta=meta()
    )
    partnership.correct(
        corrects_version=2,
        field="investment.enterprises_qualifier",
        value="more than",
        reason="The press release says more than 700",
        meta=meta(),
    )
    assert partnership.state.investment is not None
    assert partnership.state.investment.enterprises_qualifier == Qualifier.MORE_THAN
    assert partnership.pending_events[-1].value == "more-than"  # type: ignore[attr-defined]


def test_the_attendance_qualifier_can_be_corrected(conference: Conference, meta) -> None:
    conference.correct(
        corrects_version=1, field="attendance_qualifier", value="nearly", reason="Nearly 200 guests", meta=meta()
    )
    assert conference.state.attendance_qualifier == Qualifier.NEARLY
