"""Auditors read the founding story in a browser, served by ``citycoop serve``
beside the JSON API: the register, the partnership with its timeline, its
corrections struck and replaced and its charts, each record's history, the
register as it stood at a position or a recorded time, and the proof."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID, uuid4

import httpx
import pytest
from http_harness import client_fixture, running_server, server_fixture  # noqa: F401 (fixtures)
from page_reader import field_values, page, register_rows, url

from citycoop.adapters.application.commands import AddField
from citycoop.adapters.application.importing import record_demo
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.audit.auditor import Auditor
from citycoop.adapters.audit.event_log import LogFilter
from citycoop.adapters.projections import ReadModels, TimelineEntry, catch_up
from citycoop.adapters.projections.wording import day_text
from tests.integration.projection_story import History, record_history
from tests.integration.test_tampering import PARTNERSHIP, RawLog, edited
from tests.recording import record

DEMO_END = 8
"""The founding story (``citycoop demo``) is positions 1 to 8; what followed it comes after."""
FOUNDING_PROJECTS = "3 strategic and 10 industrial projects (13 in total)"
CORRECTED_PROJECTS = "3 strategic and 12 industrial projects (15 in total)"
CORRECTED_INVESTMENT = (
    "more than 750 enterprises, US$16.4 billion, as of 5 May 2023 (corrected, source: Wuxi Daily, 8 May 2023)"
)


@pytest.fixture(scope="module")
def recorded(module_store: str) -> Iterator[tuple[CityCoop, History]]:
    app = CityCoop(module_store)
    story = record_history(app)
    catch_up(app)
    yield app, story
    app.close()


@pytest.fixture(scope="module")
def story(recorded: tuple[CityCoop, History]) -> History:
    return recorded[1]


def partnership_url(story: History, **query: str) -> str:
    return url(f"/pages/partnerships/{story.wuxi_singapore}", **query)


def test_the_register_lists_each_partnership_with_its_cities_stage_status_projects_investment_and_last_activity(
    client: httpx.Client, story: History
) -> None:
    shown = page(client, "/")

    rows = register_rows(shown)
    assert list(rows) == ["Suzhou–Singapore", "Wuxi–Singapore"]
    assert rows["Wuxi–Singapore"] == [
        "Wuxi–Singapore",
        "Wuxi, China · Singapore, Singapore",
        "sister-city",
        "active",
        CORRECTED_PROJECTS,
        CORRECTED_INVESTMENT,
        "2023-09",
    ]
    assert rows["Suzhou–Singapore"][3:5] == ["active since 2022-01", "5 investment projects"]
    links = [a.attrs["href"] for a in shown.all("a") if a.text == "Wuxi–Singapore"]
    assert links == [f"/pages/partnerships/{story.wuxi_singapore}"]
    assert not shown.all(cls="as-of-banner"), "now is not the past"


@pytest.mark.parametrize(
    ("city", "found", "notice"),
    [
        ("wuxi", ["Wuxi–Singapore"], "Partnerships of Wuxi, China"),
        ("SINGAPORE", ["Suzhou–Singapore", "Wuxi–Singapore"], "Partnerships of Singapore, Singapore"),
        ("Atlantis", [], "No city called 'Atlantis' is on record"),
    ],
)
def test_the_register_is_searched_by_city(client: httpx.Client, city: str, found: list[str], notice: str) -> None:
    shown = page(client, url("/", city=city))

    assert sorted(register_rows(shown)) == found
    assert shown.one(cls="notice").text == notice
    assert field_values(shown, "city") == [city, city], "the search box, and the as-of control keeps it"


def test_as_of_the_end_of_the_founding_story_the_register_shows_its_3_10_and_13_projects(client: httpx.Client) -> None:
    shown = page(client, url("/", as_of=str(DEMO_END)))

    assert shown.one(cls="as-of-banner").text.startswith(f"As the register stood at log position {DEMO_END}, recorded ")
    rows = register_rows(shown)
    assert list(rows) == ["Wuxi–Singapore"], "Suzhou–Singapore came later"
    assert rows["Wuxi–Singapore"][4:6] == [
        FOUNDING_PROJECTS,
        "more than 700 enterprises, US$16.4 billion, as of 5 May 2023",
    ]
    (link,) = [a.attrs["href"] for a in shown.all("a") if a.text == "Wuxi–Singapore"]
    assert link.endswith(f"?as_of={DEMO_END}")
    assert field_values(shown, "as_of") == [str(DEMO_END), str(DEMO_END)], "the as-of control, and the search keeps it"


def test_the_partnership_page_sums_it_up_and_charts_its_projects_and_investment(
    client: httpx.Client, story: History
) -> None:
    shown = page(client, partnership_url(story))

    assert shown.one("h1").text == "Wuxi–Singapore"
    summary = dict(zip(shown.texts("dt"), shown.texts("dd"), strict=False))
    assert summary["Cities"] == "Wuxi, China · Singapore, Singapore"
    assert summary["Projects"] == CORRECTED_PROJECTS
    assert summary["Investment"] == CORRECTED_INVESTMENT
    assert summary["Conferences"] == "1"
    charts = shown.all("svg", "chart")
    assert [chart.attrs["aria-label"] for chart in charts] == [
        "Projects signed per year, by category",
        "Investment reported over time, in USD",
    ]
    assert [bar.one("title").text for bar in charts[0].all("rect") if bar.all("title")] == [
        "2023: 3 strategic",
        "2023: 12 industrial",
    ]
    assert charts[1].one("circle").text == "5 May 2023: US$16.4 billion, more than 750 enterprises"


def _derived(entry: TimelineEntry) -> str:
    if entry.business_date_kind != "derived":
        return ""
    return " (from the conference)" if entry.record == "conference" else " (from the signing)"


def test_the_timeline_is_in_business_date_order_with_each_correction_struck_and_replaced(
    client: httpx.Client, recorded: tuple[CityCoop, History]
) -> None:
    app, story = recorded
    expected = ReadModels(app).timeline(story.wuxi_singapore)

    shown = page(client, partnership_url(story))

    entries = shown.all("li", "entry")
    assert [entry.one(cls="summary-text").text for entry in entries] == [entry.summary for entry in expected]
    assert [entry.one(cls="date").text for entry in entries] == [
        "undated" if entry.business_date is None else day_text(entry.business_date) + _derived(entry)
        for entry in expected
    ]
    park = next(entry for entry in entries if "Industrial Park was launched" in entry.text)
    assert park.one(cls="date").text == "undated", "the press release gives no date for the park"
    assert entries[0] == park, "undated entries come first"
    introduced = next(entry for entry in entries if "was introduced" in entry.text)
    assert introduced.one(cls="date").text == "5 May 2023 (from the conference)"
    signed = next(entry for entry in entries if entry.one(cls="summary-text").text == "12 industrial projects signed")
    correction = signed.one("p", "correction")
    assert (correction.one("del").text, correction.one("ins").text) == ("10", "12")
    assert "Corrected count:" in correction.text
    assert "by clerk-li, because “two were late”, recorded " in correction.text
    assert len(shown.all("del")) == 3, "three corrections of this partnership's records, each shown"


def test_the_partnership_page_lists_its_conferences_and_agreements_each_linked_to_its_history(
    client: httpx.Client, story: History
) -> None:
    shown = page(client, partnership_url(story))

    (conference,) = shown.one("table", "conferences").all("tbody")[0].all("tr")
    cells = conference.texts("td")
    assert cells[0] == "Wuxi Singapore Cooperation and Development Conference on Urban Internationalization"
    assert cells[1:4] == ["5 May 2023", "Wuxi", "nearly 199"]
    assert cells[6] == CORRECTED_PROJECTS
    assert conference.one("a").attrs["href"] == f"/pages/records/{story.conference_2023}"
    agreements = shown.one("table", "agreements").all("tbody")[0].all("tr")
    assert [row.texts("td")[1] for row in agreements] == ["3 strategic projects", "12 industrial projects"]
    assert agreements[0].texts("td")[3] == "in-progress since 2023-09"
    assert [row.one("a").attrs["href"] for row in agreements] == [
        f"/pages/records/{story.strategic}",
        f"/pages/records/{story.industrial}",
    ]


def test_as_of_a_recorded_time_the_partnership_page_shows_the_founding_story_before_its_corrections(
    client: httpx.Client, recorded: tuple[CityCoop, History]
) -> None:
    app, story = recorded
    (last_of_demo,) = Auditor(app).log(LogFilter(), after=DEMO_END - 1, limit=1).entries
    moment = last_of_demo.recorded_at.isoformat()

    shown = page(client, partnership_url(story, as_of=moment))

    banner = shown.one(cls="as-of-banner").text
    assert banner == f"As the register stood at {last_of_demo.recorded_at:%Y-%m-%d %H:%M:%S} UTC, log position 8"
    assert dict(zip(shown.texts("dt"), shown.texts("dd"), strict=False))["Projects"] == FOUNDING_PROJECTS
    assert not shown.all("del"), "no correction had been recorded by then"
    history_links = [a.attrs["href"] for a in shown.all("a") if a.text == "record history"]
    assert history_links
    assert all(httpx.URL(link).params["as_of"] == moment for link in history_links)


def test_a_records_history_shows_every_event_with_its_metadata_and_the_fields_it_changed(
    client: httpx.Client, recorded: tuple[CityCoop, History]
) -> None:
    app, story = recorded
    expected = Auditor(app).history(story.wuxi_singapore)

    shown = page(client, f"/pages/records/{story.wuxi_singapore}")

    assert shown.one("h1").text == "History of the partnership Wuxi–Singapore"
    rows = shown.all("tr", "event")
    assert [int(row.one(cls="position").text) for row in rows] == [entry.event.position for entry in expected]
    assert [row.one(cls="event-type").text for row in rows] == [f"Partnership.{e.event.type}" for e in expected]
    established = rows[0].texts("td")
    assert established[4] == "1993"
    assert established[5].startswith("clerk-li source: PRNewswire, Beijing, 6 May 2023")
    assert rows[1].texts("td")[4] == "undated"
    corrected = rows[-1]
    assert corrected.one(cls="event-type").text == "Partnership.Corrected"
    assert [(li.one("code").text, li.one("del").text, li.one("ins").text) for li in corrected.all("li")] == [
        ("investment.enterprises", "700", "750")
    ]
    assert "source: Wuxi Daily, 8 May 2023" in corrected.text
    assert {path for entry in expected for path in entry.changes} == {
        code.text for row in rows for code in row.all("code")
    }


def test_a_records_history_as_of_a_position_stops_there(client: httpx.Client, story: History) -> None:
    shown = page(client, url(f"/pages/records/{story.conference_2023}", as_of=str(DEMO_END)))

    assert [row.one(cls="position").text for row in shown.all("tr", "event")] == ["3", "4"]
    assert shown.one(cls="as-of-banner").text.startswith("As the register stood at log position 8")


def test_the_proof_says_the_log_is_intact_and_that_it_extends_a_head_sealed_earlier(
    client: httpx.Client, recorded: tuple[CityCoop, History]
) -> None:
    app, _ = recorded
    head = Auditor(app).seal()

    plain = page(client, "/pages/proof")
    against_seal = page(client, url("/pages/proof", expect=head.hash))
    against_another = page(client, url("/pages/proof", expect="ab" * 32))
    malformed = page(client, url("/pages/proof", expect="8d95b551"))

    assert plain.one(cls="banner").text == f"Intact: {head.position} events, head at position {head.position}"
    assert against_seal.one(cls="banner").text.endswith(f"the sealed head given (at position {head.position})")
    assert against_another.one(cls="banner").text.startswith("Altered: the log does not extend the sealed head abab")
    assert malformed.one(cls="banner").text == ("expect: must be the 64 hex digits that 'citycoop audit seal' printed")
    assert field_values(malformed, "expect") == ["8d95b551", "8d95b551"]


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        (f"/pages/partnerships/{UUID(int=1)}", f"id: no partnership {UUID(int=1)} is on record"),
        ("/pages/partnerships/wuxi-singapore", "id: no partnership 'wuxi-singapore' is on record"),
        (f"/pages/records/{UUID(int=2)}", f"id: no record {UUID(int=2)} is on file"),
        ("/pages/records/12", "id: no record '12' is on record"),
    ],
)
def test_an_unknown_id_is_answered_with_a_404_page(client: httpx.Client, path: str, detail: str) -> None:
    shown = page(client, path, status=404)

    assert shown.one("h1").text == "Not Found"
    assert shown.one(cls="banner").text == detail


def test_a_record_that_came_later_is_not_found_as_of_before_it(client: httpx.Client, story: History) -> None:
    assert page(client, partnership_url(story, as_of="0"), status=404).one(cls="banner").text == (
        f"id: no partnership {story.wuxi_singapore} is on record"
    )
    assert page(client, url(f"/pages/records/{story.suzhou_singapore}", as_of="3"), status=404)


@pytest.mark.parametrize("as_of", ["yesterday", "-1", "2023-13-01", "1.7e9"])
def test_an_as_of_that_is_neither_a_position_nor_a_time_is_answered_with_a_page_that_names_it(
    client: httpx.Client, as_of: str
) -> None:
    shown = page(client, url("/", as_of=as_of), status=422)

    assert shown.one(cls="banner").text.startswith("as_of: ")
    assert field_values(shown, "as_of") == [as_of]


def test_the_pages_stay_out_of_the_json_apis_contract_and_refuse_every_method_but_get_and_head(
    client: httpx.Client, story: History
) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    pages = ["/", f"/pages/partnerships/{story.wuxi_singapore}", f"/pages/records/{uuid4()}", "/pages/proof"]

    assert not [path for path in paths if path == "/" or path.startswith("/pages")]
    for path in pages:
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            response = client.request(method, path)
            assert (path, method, response.status_code) == (path, method, 405)
            assert response.headers["Allow"] == "GET, HEAD"


def test_a_page_carries_an_etag_and_no_script_nor_inline_style(client: httpx.Client, story: History) -> None:
    first = client.get(partnership_url(story))
    again = client.get(partnership_url(story), headers={"If-None-Match": first.headers["ETag"]})
    stylesheet = client.get("/pages/citycoop.css")

    assert again.status_code == 304
    assert "<script" not in first.text
    assert " style=" not in first.text
    assert "<style" not in first.text
    assert stylesheet.headers["Content-Type"] == "text/css; charset=utf-8"
    assert ".category-strategic" in stylesheet.text


def test_after_one_byte_of_the_log_is_changed_the_proof_says_at_which_event(store: str, tmp_path: Path) -> None:
    with CityCoop(store) as app:
        record_demo(app, actor="clerk-li")
        head = Auditor(app).seal()
    log = RawLog(store)

    with running_server(store, tmp_path / "server.log") as server, server.client() as client:
        before = page(client, "/pages/proof").one(cls="banner").text
        log.put(7, edited(log.row(7), b'"enterprises":700', b'"enterprises":701'))
        after = page(client, url("/pages/proof", expect=head.hash)).one(cls="banner").text

    assert before == f"Intact: {DEMO_END} events, head at position {DEMO_END}"
    assert after.startswith(f"Altered at event 7: changed — record {PARTNERSHIP} version 3 ")
    assert after.endswith("(1 finding in all)")


def test_a_records_history_shows_an_event_as_soon_as_it_is_in_the_log_before_any_projection_has_it(
    store: str, tmp_path: Path
) -> None:
    with CityCoop(store) as app:
        record_demo(app, actor="clerk-li")
        catch_up(app)
        with running_server(store, tmp_path / "server.log", "--no-follow") as server, server.client() as client:
            history = f"/pages/records/{PARTNERSHIP}"
            before = page(client, history).texts(cls="position")
            record(app, AddField.validated(partnership=str(PARTNERSHIP), field="logistics"), app.provenance("clerk-li"))
            deadline = time.monotonic() + 5  # answers are kept for at most 50 ms after the log moves
            while (after := page(client, history).texts(cls="position")) == before:
                assert time.monotonic() < deadline
                time.sleep(0.01)

    assert before == ["1", "2", "7", "8"]
    assert after == [*before, "9"]
