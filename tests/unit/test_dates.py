"""Which dates are possible: partial dates compared at the coarser precision,
no date after the day of recording anywhere on Earth, and nothing of a
partnership dated before it began."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from citycoop.domain.dates import is_before, latest_day
from citycoop.domain.errors import DateOrderError
from citycoop.domain.partnership import Partnership


@pytest.mark.parametrize(
    ("earlier", "later", "before"),
    [
        ("1992", "1993", True),
        ("1992-12-31", "1993", True),
        ("1993-05", "1993", False),
        ("1993", "1993-05", False),
        ("1993-05-06", "1993-05-10", True),
        ("1993-05-10", "1993-05-06", False),
        ("1993-05-06", "1993-05-06", False),
    ],
)
def test_a_partial_date_is_before_another_only_when_it_certainly_is(earlier: str, later: str, before: bool) -> None:
    assert is_before(earlier, later) is before


def test_the_latest_possible_day_is_the_day_it_already_is_somewhere_on_earth() -> None:
    late_evening_in_london = datetime(2026, 12, 3, 21, 0, tzinfo=UTC)
    early_morning_in_london = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
    in_wuxi = datetime(2026, 12, 4, 5, 0, tzinfo=timezone(timedelta(hours=8)))

    assert latest_day(late_evening_in_london) == date(2026, 12, 4)
    assert latest_day(early_morning_in_london) == date(2026, 12, 3)
    assert latest_day(in_wuxi) == date(2026, 12, 4)


@pytest.mark.parametrize(
    ("field", "act"),
    [
        ("on", lambda p, meta: p.change_stage(stage="friendship-city", on="1900", meta=meta)),
        ("on", lambda p, meta: p.suspend(on="1900-01", reason=None, meta=meta)),
        ("on", lambda p, meta: p.end(on="1992-12-31", reason=None, meta=meta)),
        (
            "as_of",
            lambda p, meta: p.report_investment(
                {"enterprises": 7, "amount": {"amount": "1", "currency": "USD"}, "as_of": "1980"}, meta=meta
            ),
        ),
        (
            "started",
            lambda p, meta: p.launch_initiative(
                {"name": "Park", "kind": "industrial-park", "started": "1990"}, meta=meta
            ),
        ),
    ],
)
def test_nothing_of_a_partnership_is_dated_before_it_began(partnership: Partnership, meta, field: str, act) -> None:
    with pytest.raises(DateOrderError, match=rf"^{field}: .* is before the partnership began \(1993\)$"):
        act(partnership, meta())
    assert partnership.version == 1


def test_the_start_of_a_partnership_cannot_be_corrected_to_after_what_happened_in_it(
    partnership: Partnership, meta
) -> None:
    partnership.suspend(on="2020-03", reason="Travel stopped", meta=meta())

    with pytest.raises(DateOrderError, match=r"^value: the partnership cannot have begun on 2021, after it became"):
        partnership.correct(corrects_version=1, field="since", value="2021", reason="Misread", meta=meta())
    partnership.correct(corrects_version=1, field="since", value="1993-05", reason="The charter", meta=meta())
    assert partnership.state.since == "1993-05"
