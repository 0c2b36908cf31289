"""The auditors' pages over a generated history of many partnerships: every
partnership on the register, and each page showing what the read models and
the log hold — every timeline entry and correction, every signing in the
chart, every event of a record — now and as the register stood halfway."""

from __future__ import annotations

import re
from collections.abc import Iterator
from uuid import UUID

import httpx
import pytest
from http_harness import client_fixture, server_fixture  # noqa: F401 (fixtures)
from page_reader import Element, page, register_rows, url

from benchmarks.generator import History, entries
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.audit.auditor import Auditor
from citycoop.adapters.http.web.views import value_text
from citycoop.adapters.projections import ReadModels, catch_up, read_models_as_of
from citycoop.adapters.projections.wording import projects_text
from tests.integration.projection_story import fill

EVENTS = 3_000
"""Enough for a partnership whose timeline takes more than one page."""
PARTNERSHIPS_SHOWN = 3


@pytest.fixture(scope="module")
def recorded(module_store: str) -> Iterator[CityCoop]:
    app = CityCoop(module_store)
    fill(app, entries(EVENTS))
    catch_up(app)
    yield app
    app.close()


@pytest.fixture(scope="module")
def partnership_ids(recorded: CityCoop) -> list[UUID]:
    return History(EVENTS).partnership_ids[:PARTNERSHIPS_SHOWN]


def signed_per_chart(shown: Element) -> int:
    """The projects the chart's bars stand for, from their titles ("1994: 3 strategic")."""
    bars = [rect.one("title").text for rect in shown.all("svg", "chart")[0].all("rect") if rect.all("title")]
    return sum(int(re.fullmatch(r"\d{4}: (\d+) \w+", bar)[1]) for bar in bars)  # type: ignore[index]


def timeline_pages(client: httpx.Client, path: str) -> list[Element]:
    """A partnership's page and those its "Later events" links lead to, in turn."""
    pages = [page(client, path)]
    while later := [a.attrs["href"] for a in pages[-1].all("a") if a.text == "Later events"]:
        pages.append(page(client, later[0]))
        assert len(pages) < 50
    return pages


def test_the_register_lists_every_partnership_of_the_history(client: httpx.Client, recorded: CityCoop) -> None:
    expected = ReadModels(recorded).partnerships(limit=1000)

    rows = register_rows(page(client, "/"))

    assert len(expected) > 10
    assert list(rows) == [summary.name for summary in expected]
    assert [row[4] for row in rows.values()] == [
        projects_text(summary.projects_by_category, summary.projects_total) for summary in expected
    ]


def test_each_partnership_page_shows_its_whole_timeline_its_corrections_and_every_signing(
    client: httpx.Client, recorded: CityCoop, partnership_ids: list[UUID]
) -> None:
    read_models = ReadModels(recorded)
    for partnership_id in partnership_ids:
        summary = read_models.partnership(partnership_id)
        timeline = read_models.timeline(partnership_id)

        pages = timeline_pages(client, f"/pages/partnerships/{partnership_id}")

        shown = pages[0]
        assert shown.one("h1").text == summary.name
        entries = [entry for each in pages for entry in each.all("li", "entry")]
        assert [entry.one(cls="summary-text").text for entry in entries] == [entry.summary for entry in timeline]
        corrections = [(c.previous, c.value) for entry in timeline for c in entry.corrections]
        assert corrections, "the generator corrects some facts of each partnership"
        assert [(c.one("del").text, c.one("ins").text) for each in pages for c in each.all("p", "correction")] == [
            (value_text(previous), value_text(value)) for previous, value in corrections
        ]
        assert signed_per_chart(shown) == summary.projects_total
        conferences = shown.one("table", "conferences").all("tbody")[0].all("tr")
        assert len(conferences) == summary.conferences
        agreements = shown.one("table", "agreements").all("tbody")[0].all("tr")
        assert len(agreements) == len(read_models.agreements(partnership_id, limit=1000))
    assert len(timeline_pages(client, f"/pages/partnerships/{partnership_ids[0]}")) > 1


def test_a_conferences_history_shows_each_of_its_events(
    client: httpx.Client, recorded: CityCoop, partnership_ids: list[UUID]
) -> None:
    conference = ReadModels(recorded).conferences(partnership_ids[0], limit=1000)[-1]
    expected = Auditor(recorded).history(conference.id)

    shown = page(client, f"/pages/records/{conference.id}")

    assert shown.one("h1").text == f"History of the conference {expected[0].event.fields['title']}"
    positions = [int(row.one(cls="position").text) for row in shown.all("tr", "event")]
    assert positions == [entry.event.position for entry in expected]
    assert len(shown.all("ul", "changes")[0].all("li")) == len(expected[0].changes)


def test_halfway_through_the_log_the_pages_show_the_register_as_it_stood_then(
    client: httpx.Client, recorded: CityCoop, partnership_ids: list[UUID]
) -> None:
    halfway = (recorded.recorder.max_notification_id() or 0) // 2
    then = read_models_as_of(recorded, halfway)
    summary = then.partnership(partnership_ids[0])

    register = page(client, url("/", as_of=str(halfway)))
    partnership = page(client, url(f"/pages/partnerships/{partnership_ids[0]}", as_of=str(halfway)))

    assert list(register_rows(register)) == [found.name for found in then.partnerships(limit=1000)]
    assert register.one(cls="as-of-banner").text.startswith(f"As the register stood at log position {halfway}")
    summary_shown = dict(zip(partnership.texts("dt"), partnership.texts("dd"), strict=False))
    assert summary_shown["Projects"] == projects_text(summary.projects_by_category, summary.projects_total)
    shown_then = timeline_pages(client, url(f"/pages/partnerships/{partnership_ids[0]}", as_of=str(halfway)))
    assert len([entry for each in shown_then for entry in each.all("li", "entry")]) == len(
        then.timeline(partnership_ids[0])
    )
    assert summary.projects_total < ReadModels(recorded).partnership(partnership_ids[0]).projects_total


def test_the_proof_of_the_whole_history_says_it_is_intact(client: httpx.Client, recorded: CityCoop) -> None:
    head = recorded.recorder.max_notification_id()

    shown = page(client, "/pages/proof")

    assert shown.one(cls="banner").text == f"Intact: {head} events, head at position {head}"
