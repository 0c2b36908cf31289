"""Bounded figures through the read models, on each store: the founding
story's "more than 700 enterprises" and "nearly 200 guests" as the press
release gives them, counts of projects summed as bounds, and a corrected
figure standing on the correction's source (issue #21, item 3)."""

from __future__ import annotations

from uuid import UUID

from citycoop.adapters.application.commands import COMMANDS
from citycoop.adapters.application.importing import record_demo
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.projections import ReadModels, catch_up, rebuild
from citycoop.adapters.projections.wording import projects_text
from tests.integration.projection_story import read_model_tables
from tests.recording import record

PRESS_RELEASE = "PRNewswire, Beijing, 6 May 2023: Wuxi-Singapore development cooperation and exchange conference"


def _correct(  # noqa: PLR0917 - a correction's parts, in the order a clerk states them
    app: CityCoop, record_id: UUID, version: int, field: str, value: object, source: str | None
) -> None:
    command = COMMANDS["correct"].validated(
        kind="correct", record=str(record_id), corrects_version=version, field=field, value=value, reason="checked"
    )
    record(app, command, app.provenance("auditor-tan", source=source))


def test_the_founding_story_reads_as_the_press_release_puts_its_figures(app: CityCoop) -> None:
    wuxi_singapore, _, conference, *_ = record_demo(app, actor="clerk-li")
    catch_up(app)
    read_models = ReadModels(app)

    summary = read_models.partnership(wuxi_singapore)
    assert summary.investment is not None
    assert (summary.investment.enterprises_qualifier, summary.investment.enterprises) == ("more-than", 700)
    assert summary.investment.amount_qualifier == "exact"
    held = read_models.conference(conference)
    assert (held.attendance_qualifier, held.attendance, held.attendance_is_approximate) == ("nearly", 200, True)
    summaries = [entry.summary for entry in read_models.timeline(wuxi_singapore)]
    assert "more than 700 enterprises had invested US$16.4 billion, as of 2023-05-05" in summaries
    assert any(line.endswith("on 5 May 2023, nearly 200 guests") for line in summaries)


def test_a_corrected_figure_stands_on_the_corrections_source_and_says_it_was_corrected(app: CityCoop) -> None:
    wuxi_singapore = record_demo(app, actor="clerk-li")[0]
    reported = app.get_record(wuxi_singapore).state.fact_versions["investment"][-1]

    _correct(app, wuxi_singapore, reported, "investment.amount", {"amount": "16500000000", "currency": "USD"}, "MOFCOM")
    catch_up(app)

    investment = ReadModels(app).partnership(wuxi_singapore).investment
    assert investment is not None
    assert str(investment.amount.amount) == "16500000000"
    assert (investment.source, investment.reported_source) == ("MOFCOM", PRESS_RELEASE)
    assert investment.corrected == ["investment.amount"]

    _correct(app, wuxi_singapore, reported, "investment.enterprises_qualifier", "at least", "Wuxi Daily")
    catch_up(app)
    investment = ReadModels(app).partnership(wuxi_singapore).investment
    assert investment is not None
    assert (investment.enterprises_qualifier, investment.source) == ("at-least", "Wuxi Daily")
    assert investment.corrected == ["investment.amount", "investment.enterprises_qualifier"]


def test_a_new_report_stands_on_its_own_source_again(app: CityCoop) -> None:
    wuxi_singapore = record_demo(app, actor="clerk-li")[0]
    reported = app.get_record(wuxi_singapore).state.fact_versions["investment"][-1]
    _correct(app, wuxi_singapore, reported, "investment.enterprises", 701, "Wuxi Daily")
    command = COMMANDS["report-investment"].validated(
        kind="report-investment", partnership=str(wuxi_singapore), enterprises=800, amount="17e9", as_of="2024"
    )
    record(app, command, app.provenance("clerk-li", source="MOFCOM 2024"))
    catch_up(app)

    investment = ReadModels(app).partnership(wuxi_singapore).investment
    assert investment is not None
    assert (investment.enterprises, investment.enterprises_qualifier) == (800, "exact")
    assert (investment.source, investment.reported_source, investment.corrected) == ("MOFCOM 2024", "MOFCOM 2024", [])


def test_counts_of_projects_are_summed_as_the_bounds_allow_in_every_read_model(app: CityCoop) -> None:
    wuxi_singapore, _, conference, _, strategic, *_ = record_demo(app, actor="clerk-li")
    _correct(app, strategic, 1, "count_qualifier", "more than", "Wuxi Daily")
    catch_up(app)
    read_models = ReadModels(app)

    summary = read_models.partnership(wuxi_singapore)
    assert summary.projects_qualifiers == {"strategic": "more-than"}
    [signings] = summary.signings
    assert signings.projects_qualifiers == {"strategic": "more-than"}
    assert read_models.conference(conference).projects_qualifiers == {"strategic": "more-than"}
    assert read_models.agreement(strategic).count_qualifier == "more-than"
    words = projects_text(summary.projects_by_category, summary.projects_total, summary.projects_qualifiers)
    assert words == "more than 3 strategic and 10 industrial projects (more than 13 in total)"
    [signed] = [entry for entry in read_models.timeline(wuxi_singapore) if entry.record_id == strategic]
    assert signed.summary == "more than 3 strategic projects signed"

    _correct(app, strategic, 1, "count_qualifier", "exact", None)
    catch_up(app)
    assert ReadModels(app).partnership(wuxi_singapore).projects_qualifiers == {}
    live = read_model_tables(app)
    rebuild(app)
    assert read_model_tables(app) == live
