"""Time travel on both stores: a record as of a version or a recorded time,
the log's position at a time, and bitemporal questions — as known on one
date, what was true on another — where late records and corrections show."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from citycoop.adapters.application.commands import (
    CorrectFact,
    EstablishPartnership,
    HoldConference,
    ReportInvestment,
    SignProjects,
)
from citycoop.adapters.application.importing import record_demo
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.audit.auditor import Auditor
from citycoop.adapters.audit.event_log import LogFilter
from citycoop.adapters.audit.time_travel import RecordKnownOn
from citycoop.adapters.projections import ReadModels, catch_up
from citycoop.adapters.reads import Moment, Reads
from citycoop.domain.errors import InvalidValueError, NotFoundError
from tests.recording import record

WUXI = {"name": "Wuxi", "country": "China"}
SINGAPORE = {"name": "Singapore", "country": "Singapore"}
PRESS_RELEASE = "PRNewswire, 6 May 2023"


def now() -> datetime:
    return datetime.now(tz=UTC)


def establish(app: CityCoop) -> UUID:
    return record(
        app,
        EstablishPartnership.validated(city_a=WUXI, city_b=SINGAPORE, since="1993", stage="sister-city"),
        app.provenance("clerk-li"),
    )


def enterprises(known: RecordKnownOn) -> int | None:
    """The partnership's enterprises figure in effect, None before any was reported."""
    assert known.state is not None, "the partnership exists since 1993"
    investment = known.state["investment"]
    return None if investment is None else int(investment["enterprises"])


def test_a_record_as_of_a_version_is_what_it_was_after_that_event(app: CityCoop) -> None:
    partnership = record_demo(app, actor="clerk-li")[0]

    second = Auditor(app).record(partnership, version=2)

    assert second.version == 2
    assert second.kind == "Partnership"
    assert second.state["investment"] is None
    assert [initiative["name"] for initiative in second.state["initiatives"]] == ["Wuxi-Singapore Industrial Park"]
    assert second.state == app.get_record(partnership, version=2).state.model_dump(
        mode="json", exclude={"idempotency_keys", "key_commands", "fact_versions"}
    )


def test_a_version_the_record_never_reached_is_refused(app: CityCoop) -> None:
    partnership = record_demo(app, actor="clerk-li")[0]
    auditor = Auditor(app)

    with pytest.raises(NotFoundError, match=r"version: record .* has 4 versions, not 9"):
        auditor.record(partnership, version=9)
    with pytest.raises(InvalidValueError, match="version: must be 1 or more"):
        auditor.record(partnership, version=0)


def test_a_record_as_of_a_recorded_time_is_what_the_register_said_then(app: CityCoop) -> None:
    partnership = establish(app)
    before_the_figures = now()
    record(
        app,
        ReportInvestment.validated(
            partnership=str(partnership), enterprises=700, amount="16400000000", currency="USD", as_of="2023-05-05"
        ),
        app.provenance("clerk-li", source=PRESS_RELEASE),
    )
    auditor = Auditor(app)

    then = auditor.record(partnership, as_of=before_the_figures)
    current = auditor.record(partnership, as_of=now())

    assert (then.version, then.state["investment"]) == (1, None)
    assert then.recorded_at <= before_the_figures
    assert current.version == 2
    assert current.state["investment"]["enterprises"] == 700


def test_a_record_as_of_a_time_before_it_was_recorded_is_not_found(app: CityCoop) -> None:
    partnership = establish(app)

    with pytest.raises(NotFoundError, match=r"as_of: record .* was not yet on file at 2023-05-04"):
        Auditor(app).record(partnership, as_of=datetime(2023, 5, 4, 23, 59, tzinfo=UTC))


def test_the_logs_position_at_a_time_ends_before_the_first_event_recorded_after_it(app: CityCoop) -> None:
    auditor = Auditor(app)
    assert auditor.moment_in_log(now()).position == 0
    record_demo(app, actor="clerk-li")
    between = now()
    establish_another = record(
        app,
        EstablishPartnership.validated(city_a={"name": "Suzhou", "country": "China"}, city_b=SINGAPORE, since="1994"),
        app.provenance("clerk-li"),
    )

    assert establish_another
    assert auditor.moment_in_log(between).position == 8
    assert auditor.moment_in_log(now()).position == 9
    assert auditor.moment_in_log(between - timedelta(days=365)).position == 0


def test_the_logs_position_at_a_time_is_settled_once_an_event_recorded_after_it_is_in_the_log(app: CityCoop) -> None:
    auditor = Auditor(app)
    record_demo(app, actor="clerk-li")
    between = now()

    assert auditor.moment_in_log(between) == (8, False), "the next event may yet be timestamped before it"
    record(
        app,
        EstablishPartnership.validated(city_a={"name": "Suzhou", "country": "China"}, city_b=SINGAPORE, since="1994"),
        app.provenance("clerk-li"),
    )
    assert auditor.moment_in_log(between) == (8, True)
    assert auditor.moment_in_log(now()) == (9, False)


def test_the_read_door_names_the_position_a_moment_stands_for_and_when_the_event_there_was_recorded(
    app: CityCoop,
) -> None:
    reads = Reads(app)
    record_demo(app, actor="clerk-li")
    between = now()
    (eighth,) = Auditor(app).log(LogFilter(), after=7, limit=1).entries

    assert reads.position(Moment(time=between)) == 8
    assert reads.position(Moment(time=between - timedelta(days=365))) == 0
    assert reads.position(Moment(position=5)) == 5
    assert reads.position(Moment(position=99)) == 8, "no further than the log goes"
    assert reads.recorded_at(8) == eighth.recorded_at
    assert [reads.recorded_at(position) for position in (0, 9)] == [None, None], (
        "before the first event, after the last"
    )


def test_projects_signed_on_5_may_were_not_yet_true_on_4_may_though_known_now(app: CityCoop) -> None:
    _, _, _, _, strategic, industrial, *_ = record_demo(app, actor="clerk-li")
    auditor = Auditor(app)

    day_before = auditor.record_known_on(strategic, known_on=now(), true_on="2023-05-04")
    conference_day = auditor.record_known_on(industrial, known_on=now(), true_on="2023-05-05")

    assert day_before.state is None
    assert conference_day.state is not None
    assert (conference_day.state["category"], conference_day.state["count"]) == ("industrial", 10)


def test_a_later_correction_changes_what_is_known_about_the_past_but_not_what_was_known_before(
    app: CityCoop,
) -> None:
    partnership = establish(app)
    record(
        app,
        ReportInvestment.validated(
            partnership=str(partnership), enterprises=7000, amount="16400000000", currency="USD", as_of="2023-05-05"
        ),
        app.provenance("clerk-li", source=PRESS_RELEASE),
    )
    before_the_correction = now()
    record(
        app,
        CorrectFact.validated(
            record=str(partnership),
            corrects_version=2,
            field="investment.enterprises",
            value=700,
            reason="The press release says more than 700 enterprises",
        ),
        app.provenance("auditor-tan", source=PRESS_RELEASE),
    )
    auditor = Auditor(app)

    known_then = auditor.record_known_on(partnership, known_on=before_the_correction, true_on="2023-05-06")
    known_now = auditor.record_known_on(partnership, known_on=now(), true_on="2023-05-06")
    before_the_report = auditor.record_known_on(partnership, known_on=now(), true_on="2023-05-04")

    assert enterprises(known_then) == 7000
    assert enterprises(known_now) == 700
    assert known_now.versions == [1, 2, 3]
    assert enterprises(before_the_report) is None
    assert before_the_report.versions == [1]


def test_facts_take_effect_in_business_order_whatever_order_they_were_recorded_in(app: CityCoop) -> None:
    partnership = establish(app)
    record(
        app,
        ReportInvestment.validated(
            partnership=str(partnership), enterprises=700, amount="16400000000", currency="USD", as_of="2023-05-05"
        ),
        app.provenance("clerk-li", source=PRESS_RELEASE),
    )
    # An older annual report, found and recorded afterwards (figures for the illustration).
    record(
        app,
        ReportInvestment.validated(
            partnership=str(partnership), enterprises=650, amount="15000000000", currency="USD", as_of="2022-12-31"
        ),
        app.provenance("clerk-li", source="Annual report 2022"),
    )
    auditor = Auditor(app)

    in_2023 = auditor.record_known_on(partnership, known_on=now(), true_on="2023-06")
    in_2022 = auditor.record_known_on(partnership, known_on=now(), true_on="2022-12-31")

    assert enterprises(in_2023) == 700
    assert in_2023.versions == [1, 3, 2]
    assert enterprises(in_2022) == 650


def test_a_business_date_that_is_no_date_is_refused(app: CityCoop) -> None:
    partnership = establish(app)

    with pytest.raises(InvalidValueError, match="true_on: must be a year"):
        Auditor(app).record_known_on(partnership, known_on=now(), true_on="4 May 2023")


def test_the_summary_as_of_the_day_before_the_conference_shows_none_of_its_13_projects(app: CityCoop) -> None:
    partnership = establish(app)
    day_before_the_conference = now()
    meta = app.provenance("clerk-li", source=PRESS_RELEASE)
    conference = record(
        app,
        HoldConference.validated(
            partnership=str(partnership),
            title="Wuxi Singapore Cooperation and Development Conference on Urban Internationalization",
            held_on="2023-05-05",
            host_city="Wuxi",
            attendance=200,
            attendance_qualifier="about",
        ),
        meta,
    )
    record(
        app,
        SignProjects.validated(partnership=str(partnership), conference=str(conference), category="strategic", count=3),
        meta,
    )
    record(
        app,
        SignProjects.validated(
            partnership=str(partnership), conference=str(conference), category="industrial", count=10
        ),
        meta,
    )
    catch_up(app)
    reads = Reads(app)

    then = reads.read_models(Moment(time=day_before_the_conference))
    once_held = reads.read_models(Moment(position=2))

    assert then.as_of == 1
    (summary_then,) = then.partnerships()
    assert (summary_then.conferences, summary_then.projects_total) == (0, 0)
    assert then.agreements() == []
    (summary_held,) = once_held.partnerships()
    assert (summary_held.conferences, summary_held.projects_total) == (1, 0)
    (live,) = ReadModels(app).partnerships()
    assert live.projects_total == 13, "the live read models are not touched"
    assert {str(category): count for category, count in live.projects_by_category.items()} == {
        "strategic": 3,
        "industrial": 10,
    }
