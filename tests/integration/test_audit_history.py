"""History and the global log on both stores: every event with its position,
provenance and what it changed; the log paged by position and filtered."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import pytest

from citycoop.adapters.application.commands import AddField, CorrectFact, ReportInvestment
from citycoop.adapters.application.importing import record_demo
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.audit.auditor import Auditor
from citycoop.adapters.audit.event_log import LogFilter
from citycoop.adapters.audit.history import Change
from citycoop.adapters.reads.moment import parse_time
from citycoop.domain.errors import InvalidValueError, NotFoundError
from tests.recording import record

SOURCE = "PRNewswire, Beijing, 6 May 2023: Wuxi-Singapore development cooperation and exchange conference"


def test_the_partnerships_history_lists_each_event_with_its_position_provenance_and_changes(app: CityCoop) -> None:
    partnership = record_demo(app, actor="clerk-li")[0]

    entries = Auditor(app).history(partnership)

    events = [entry.event for entry in entries]
    assert [(e.position, e.version, e.type) for e in events] == [
        (1, 1, "Established"),
        (2, 2, "InitiativeLaunched"),
        (7, 3, "InvestmentReported"),
        (8, 4, "InitiativeLaunched"),
    ]
    assert [e.business_date for e in events] == ["1993", None, "2023-05-05", None]
    assert {(e.actor, e.source) for e in events} == {("clerk-li", SOURCE)}
    assert len({e.correlation_id for e in events}) == 1, "one import, one command batch"
    assert [e.recorded_at for e in events] == sorted(e.recorded_at for e in events)
    assert entries[0].changes["since"] == Change(None, "1993")
    assert entries[2].changes == {
        "investment": Change(
            None,
            {
                "enterprises": 700,
                "amount": {"amount": "16400000000", "currency": "USD"},
                "as_of": "2023-05-05",
                "enterprises_qualifier": "more-than",
                "amount_qualifier": "exact",
            },
        )
    }
    assert list(entries[3].changes) == ["initiatives[1]"]
    assert entries[3].changes["initiatives[1]"].after["name"] == "Wuxi Singapore Science and Technology Innovation City"


def test_a_correction_shows_in_the_history_as_the_fact_before_and_after(app: CityCoop) -> None:
    partnership = record_demo(app, actor="clerk-li")[0]
    record(
        app,
        ReportInvestment.validated(
            partnership=str(partnership), enterprises=7000, amount="16400000000", currency="USD", as_of="2023-05-06"
        ),
        app.provenance("clerk-wang"),
    )
    record(
        app,
        CorrectFact.validated(
            record=str(partnership),
            corrects_version=5,
            field="investment.enterprises",
            value=700,
            reason="A slip of the keyboard: the press release says more than 700 enterprises",
        ),
        app.provenance("auditor-tan", source="PRNewswire, 6 May 2023"),
    )

    *_, typo, correction = Auditor(app).history(partnership)

    assert typo.changes == {
        "investment.enterprises": Change(700, 7000),
        "investment.as_of": Change("2023-05-05", "2023-05-06"),
        "investment.enterprises_qualifier": Change("more-than", "exact"),
    }
    assert correction.event.type == "Corrected"
    assert correction.event.actor == "auditor-tan"
    assert correction.event.fields["corrects_version"] == 5
    assert correction.changes == {"investment.enterprises": Change(7000, 700)}


def test_the_history_of_a_record_never_on_file_is_refused(app: CityCoop) -> None:
    with pytest.raises(NotFoundError, match="id: no record"):
        Auditor(app).history(UUID(int=1993))


def test_the_log_pages_by_position_each_page_starting_after_the_last(app: CityCoop) -> None:
    record_demo(app, actor="clerk-li")
    auditor = Auditor(app)

    first = auditor.log(LogFilter(), limit=3)
    second = auditor.log(LogFilter(), after=first.next_after or 0, limit=3)
    last = auditor.log(LogFilter(), after=second.next_after or 0, limit=3)

    assert [e.position for e in first.entries + second.entries + last.entries] == list(range(1, 9))
    assert (first.next_after, second.next_after, last.next_after) == (3, 6, None)


def test_the_log_filters_by_record_type_actor_and_recorded_time(app: CityCoop) -> None:
    partnership, _, conference, *_ = record_demo(app, actor="clerk-li")
    between = datetime.now(tz=UTC)
    record(app, AddField.validated(partnership=str(partnership), field="finance"), app.provenance("clerk-wang"))
    auditor = Auditor(app)

    def positions(**selection: object) -> list[int]:
        return [entry.position for entry in auditor.log(LogFilter(**selection)).entries]  # type: ignore[arg-type]

    assert positions(record_id=conference) == [3, 4]
    assert positions(types=("Signed",)) == [5, 6]
    assert positions(types=("Partnership.InitiativeLaunched", "Conference.Held")) == [2, 3, 8]
    assert positions(actor="clerk-wang") == [9]
    assert positions(since=between) == [9]
    assert positions(until=between) == list(range(1, 9))
    assert positions(record_id=partnership, actor="clerk-li", types=("InvestmentReported",)) == [7]


def test_a_filtered_page_resumes_where_the_last_match_was_found(app: CityCoop) -> None:
    record_demo(app, actor="clerk-li")
    auditor = Auditor(app)

    first = auditor.log(LogFilter(types=("Signed",)), limit=1)
    rest = auditor.log(LogFilter(types=("Signed",)), after=first.next_after or 0)

    assert [e.position for e in first.entries] == [5]
    assert [e.position for e in rest.entries] == [6]
    assert rest.next_after is None


def test_an_unknown_event_type_is_refused_naming_the_known_ones(app: CityCoop) -> None:
    with pytest.raises(InvalidValueError, match=r"type: no event type is named 'Signing'; known types: .*Signed"):
        Auditor(app).log(LogFilter(types=("Signing",)))


@pytest.mark.parametrize(
    ("text", "end_of_day", "expected"),
    [
        ("2023-05-04", False, datetime(2023, 5, 4, tzinfo=UTC)),
        ("2023-05-04", True, datetime(2023, 5, 4, 23, 59, 59, 999999, tzinfo=UTC)),
        ("2023-05-05T09:30:00+08:00", True, datetime(2023, 5, 5, 1, 30, tzinfo=UTC)),
        ("2023-05-05 09:30", False, datetime(2023, 5, 5, 9, 30, tzinfo=UTC)),
        ("2023-05-05t01:30:00z", False, datetime(2023, 5, 5, 1, 30, tzinfo=UTC)),
    ],
)
def test_a_moment_is_a_whole_day_or_a_time_and_utc_unless_a_zone_is_given(
    text: str, end_of_day: bool, expected: datetime
) -> None:
    assert parse_time(text, field="since", end_of_day=end_of_day) == expected


def test_a_moment_that_is_no_date_is_refused_naming_the_option() -> None:
    with pytest.raises(InvalidValueError, match="since: '4 May 2023' is not a date"):
        parse_time("4 May 2023", field="since")
