"""Other services read citycoop's projections over HTTP: the founding story
as the press release tells it, every list paged with a cursor, the past as of
a log position or a recorded time, and a contract whose schemas are the read models."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
import pytest
from eventsourcing.utils import get_topic
from http_harness import client_fixture, server_fixture  # noqa: F401 (fixtures)

from citycoop.adapters.application.commands import AddField, EstablishPartnership, HoldConference, SignProjects
from citycoop.adapters.application.importing import record_demo
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.projections import (
    AgreementEntry,
    CityEntry,
    ConferenceEntry,
    PartnershipSummary,
    ReadModels,
    TimelineEntry,
    catch_up,
    read_models_as_of,
)
from citycoop.adapters.storage.codec import decode_state
from citycoop.domain.agreement import Agreement
from citycoop.domain.errors import NotFoundError
from tests.recording import record

CLERK = "clerk@wuxi.gov.cn"
OTHER_PARTNERSHIPS = [
    ({"name": "Suzhou", "country": "China"}, {"name": "Singapore", "country": "Singapore"}, "1994"),
    ({"name": "Wuxi", "country": "China"}, {"name": "Akashi", "country": "Japan"}, "1981"),
    ({"name": "Wuxi", "country": "China"}, {"name": "Chattanooga", "country": "United States"}, "1982"),
]


@pytest.fixture(scope="module")
def recorded(module_store: str) -> Iterator[CityCoop]:
    app = CityCoop(module_store)
    record_demo(app, actor=CLERK)
    ids = [
        record(app, EstablishPartnership.validated(city_a=city_a, city_b=city_b, since=since), app.provenance(CLERK))
        for city_a, city_b, since in OTHER_PARTNERSHIPS
    ]
    akashi = ids[1]
    anniversary = record(
        app,
        HoldConference.validated(
            partnership=str(akashi),
            title="Wuxi–Akashi 40 years of friendship",
            held_on="2021-10-15",
            host_city="Akashi",
        ),
        app.provenance(CLERK),
    )
    record(
        app,
        SignProjects.validated(partnership=str(akashi), conference=str(anniversary), category="cultural", count=2),
        app.provenance(CLERK),
    )
    catch_up(app)
    yield app
    app.close()


@pytest.fixture
def read_models(recorded: CityCoop) -> ReadModels:
    catch_up(recorded)
    return ReadModels(recorded)


@pytest.fixture
def wuxi_singapore(read_models: ReadModels) -> str:
    (found,) = [summary for summary in read_models.partnerships() if summary.name == "Wuxi–Singapore"]
    return str(found.id)


def as_json(models: list[Any]) -> list[dict[str, Any]]:
    return [model.model_dump(mode="json") for model in models]


def every_page(client: httpx.Client, url: str, limit: int) -> list[list[dict[str, Any]]]:
    pages = []
    params: dict[str, Any] = {"limit": limit}
    while True:
        page = client.get(url, params=params).raise_for_status().json()
        pages.append(page["items"])
        if page["next_cursor"] is None:
            return pages
        params["cursor"] = page["next_cursor"]


def test_the_founding_partnership_reads_as_the_press_release_tells_it(
    client: httpx.Client, wuxi_singapore: str
) -> None:
    summary = client.get(f"/partnerships/{wuxi_singapore}").raise_for_status().json()

    assert summary["name"] == "Wuxi–Singapore"
    assert summary["projects_by_category"] == {"strategic": 3, "industrial": 10}
    assert summary["projects_total"] == 13
    assert summary["investment"]["enterprises"] == 700
    assert summary["investment"]["amount"] == {"amount": "16400000000", "currency": "USD"}
    assert PartnershipSummary.model_validate(summary).signings[0].held_on == "2023-05-05"


@pytest.mark.parametrize(
    ("url", "query", "limit"),
    [
        ("/partnerships", lambda models: models.partnerships(limit=1000), 2),
        ("/cities", lambda models: models.cities(limit=1000), 2),
        ("/conferences", lambda models: models.conferences(limit=1000), 1),
        ("/agreements", lambda models: models.agreements(limit=1000), 1),
    ],
)
def test_paging_with_the_cursor_visits_every_item_once_in_the_read_models_order(
    client: httpx.Client, read_models: ReadModels, url: str, query: Callable[[ReadModels], list[Any]], limit: int
) -> None:
    pages = every_page(client, url, limit)

    assert [item for page in pages for item in page] == as_json(query(read_models))
    assert all(len(page) <= limit for page in pages)
    assert len(pages) > 1


def test_a_partnerships_timeline_pages_in_business_date_order(
    client: httpx.Client, read_models: ReadModels, wuxi_singapore: str
) -> None:
    pages = every_page(client, f"/partnerships/{wuxi_singapore}/timeline", 3)

    entries = [TimelineEntry.model_validate(item) for page in pages for item in page]
    assert entries == read_models.timeline(wuxi_singapore)
    assert [entry.sorts_on or "" for entry in entries] == sorted(entry.sorts_on or "" for entry in entries)
    assert [(entry.event, entry.business_date) for entry in entries[:3]] == [
        ("InitiativeLaunched", None),
        ("InitiativeLaunched", None),
        ("Established", "1993"),
    ]


def test_signings_are_filtered_by_category_and_conference(
    client: httpx.Client, read_models: ReadModels, wuxi_singapore: str
) -> None:
    (conference,) = read_models.conferences(wuxi_singapore)

    industrial = client.get("/agreements", params={"category": "industrial", "conference_id": str(conference.id)})
    by_partnership = client.get("/agreements", params={"partnership_id": wuxi_singapore})

    assert [(a["category"], a["count"]) for a in industrial.json()["items"]] == [("industrial", 10)]
    assert sorted(a["count"] for a in by_partnership.json()["items"]) == [3, 10]


@pytest.mark.parametrize(
    ("kind", "url", "model"),
    [
        ("conference", "/conferences/{id}", ConferenceEntry),
        ("agreement", "/agreements/{id}", AgreementEntry),
    ],
)
def test_one_conference_or_signing_reads_as_it_is_listed(
    client: httpx.Client, read_models: ReadModels, kind: str, url: str, model: type[Any]
) -> None:
    listed = read_models.conferences()[0] if kind == "conference" else read_models.agreements()[0]

    found = client.get(url.format(id=listed.id)).raise_for_status().json()

    assert model.model_validate(found) == listed


def test_a_city_is_found_by_name_in_any_case_with_its_partners(client: httpx.Client) -> None:
    wuxi = CityEntry.model_validate(client.get("/cities/WUXI").raise_for_status().json())

    assert wuxi.key == "wuxi|china"
    assert sorted(partner.name for partner in wuxi.partners) == ["Akashi", "Chattanooga", "Singapore"]
    assert {partner.name: partner.projects_shared for partner in wuxi.partners}["Singapore"] == 13


@pytest.mark.parametrize(
    "url",
    [
        "/partnerships/6f0c7c0e-0000-4000-8000-000000000000",
        "/partnerships/6f0c7c0e-0000-4000-8000-000000000000/timeline",
        "/conferences/6f0c7c0e-0000-4000-8000-000000000000",
        "/agreements/6f0c7c0e-0000-4000-8000-000000000000",
        "/cities/Atlantis",
    ],
)
def test_an_unknown_record_is_a_404_problem_that_says_what_is_missing(client: httpx.Client, url: str) -> None:
    response = client.get(url)

    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/problem+json"
    assert "on record" in response.json()["detail"]


def test_as_of_the_position_before_the_signings_the_summary_shows_none_of_the_13_projects(
    client: httpx.Client, recorded: CityCoop, wuxi_singapore: str
) -> None:
    signings = recorded.recorder.select_notifications(start=1, limit=100, topics=[get_topic(Agreement.Signed)])
    before = signings[0].id - 1

    past = client.get(f"/partnerships/{wuxi_singapore}", params={"as_of": before}).raise_for_status().json()
    after = client.get(f"/partnerships/{wuxi_singapore}", params={"as_of": signings[-1].id}).json()

    assert (past["conferences"], past["projects_total"], past["signings"]) == (1, 0, [])
    assert after["projects_by_category"] == {"strategic": 3, "industrial": 10}


def test_as_of_the_moment_before_the_signings_were_recorded_the_summary_is_as_the_founding_storys_import_ended(
    client: httpx.Client, recorded: CityCoop, wuxi_singapore: str
) -> None:
    """The founding story is one import, all or nothing: a moment between two
    of its events reads the log as of the import's end (issue #21.10)."""
    [first_signing] = recorded.recorder.select_notifications(start=1, limit=1, topics=[get_topic(Agreement.Signed)])
    [before] = recorded.recorder.select_notifications(start=first_signing.id - 1, limit=1)
    recorded_before = decode_state(before.state)["timestamp"]
    url = f"/partnerships/{wuxi_singapore}"

    by_moment = client.get(url, params={"as_of": recorded_before}).raise_for_status().json()

    assert by_moment == client.get(url, params={"as_of": 8}).json()
    assert (by_moment["conferences"], by_moment["projects_total"]) == (1, 13)


def test_as_of_a_day_before_anything_was_recorded_no_partnership_exists_yet(
    client: httpx.Client, wuxi_singapore: str
) -> None:
    assert client.get("/partnerships", params={"as_of": "2000-01-01"}).json() == {"items": [], "next_cursor": None}
    assert client.get(f"/partnerships/{wuxi_singapore}", params={"as_of": "2000-01-01"}).status_code == 404


def test_as_of_a_day_after_the_recording_the_summary_shows_all_13_projects(
    client: httpx.Client, wuxi_singapore: str
) -> None:
    tomorrow = (datetime.now(tz=UTC) + timedelta(days=1)).date().isoformat()

    summary = client.get(f"/partnerships/{wuxi_singapore}", params={"as_of": tomorrow}).raise_for_status().json()

    assert summary["projects_by_category"] == {"strategic": 3, "industrial": 10}


def test_one_partnerships_past_over_http_is_at_every_position_what_a_replay_of_the_log_says(
    client: httpx.Client, recorded: CityCoop, wuxi_singapore: str
) -> None:
    head = recorded.recorder.max_notification_id() or 0
    seen = 0
    for position in range(head + 1):
        replayed = read_models_as_of(recorded, position)
        params: dict[str, Any] = {"as_of": position}
        timeline = client.get(f"/partnerships/{wuxi_singapore}/timeline", params=params)
        conferences = client.get("/conferences", params={**params, "partnership_id": wuxi_singapore})
        agreements = client.get("/agreements", params={**params, "partnership_id": wuxi_singapore})
        try:
            expected = replayed.timeline(wuxi_singapore)
        except NotFoundError:
            assert timeline.status_code == 404, position
            assert conferences.json()["items"] == agreements.json()["items"] == []
            continue
        seen += 1
        assert timeline.json()["items"] == [entry.model_dump(mode="json") for entry in expected], position
        assert conferences.json()["items"] == [
            conference.model_dump(mode="json") for conference in replayed.conferences(wuxi_singapore)
        ], position
        assert agreements.json()["items"] == [
            agreement.model_dump(mode="json") for agreement in replayed.agreements(wuxi_singapore)
        ], position
    assert seen >= 4, "the partnership was compared at each step of its story"


def test_as_of_the_start_of_the_log_no_partnership_exists_yet(client: httpx.Client, wuxi_singapore: str) -> None:
    assert client.get("/partnerships", params={"as_of": 0}).json() == {"items": [], "next_cursor": None}
    assert client.get(f"/partnerships/{wuxi_singapore}", params={"as_of": 0}).status_code == 404


def test_a_partnership_read_answers_304_until_its_summary_changes(
    client: httpx.Client, recorded: CityCoop, wuxi_singapore: str
) -> None:
    url = f"/partnerships/{wuxi_singapore}"
    first = client.get(url)
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304

    record(
        recorded, AddField.validated(partnership=str(UUID(wuxi_singapore)), field="health"), recorded.provenance(CLERK)
    )

    changed = wait_for(lambda: client.get(url, headers={"If-None-Match": first.headers["ETag"]}), 200)
    assert "health" in changed.json()["fields"]
    assert changed.headers["ETag"] != first.headers["ETag"]


def wait_for(request: Callable[[], httpx.Response], status: int, seconds: float = 15) -> httpx.Response:
    """The server's follower applies new events within moments; poll until it has."""
    deadline = time.monotonic() + seconds
    while (response := request()).status_code != status and time.monotonic() < deadline:
        time.sleep(0.05)
    return response


def test_projection_status_shows_every_projection_at_the_head_of_the_log(
    client: httpx.Client, recorded: CityCoop
) -> None:
    head = recorded.recorder.max_notification_id()

    statuses = wait_for(lambda: client.get("/projections"), 200).json()

    names = {status["name"] for status in statuses}
    assert {"partnership_summaries", "conference_register", "agreement_register", "city_directory", "timeline"} <= names
    assert {(status["head"], status["position"], status["lag_events"]) for status in statuses} == {(head, head, 0)}


@pytest.mark.parametrize(
    ("path", "model"),
    [
        ("/partnerships/{partnership_id}", PartnershipSummary),
        ("/conferences/{conference_id}", ConferenceEntry),
        ("/agreements/{agreement_id}", AgreementEntry),
        ("/cities/{name}", CityEntry),
    ],
)
def test_the_contract_describes_each_answer_with_its_read_model(
    client: httpx.Client, path: str, model: type[Any]
) -> None:
    contract = client.get("/openapi.json").json()

    response = contract["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    schema = contract["components"]["schemas"][model.__name__]
    assert response == {"$ref": f"#/components/schemas/{model.__name__}"}
    assert set(schema["properties"]) == set(model.model_json_schema(mode="serialization")["properties"])
    assert schema["description"] == model.__doc__


def test_the_contract_names_the_qualifiers_and_how_a_timeline_entry_is_dated(client: httpx.Client) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]

    assert schemas["Qualifier"]["enum"] == ["exact", "about", "nearly", "more-than", "at-least", "at-most", "less-than"]
    for model, field in [
        ("Investment", "enterprises_qualifier"),
        ("Investment", "amount_qualifier"),
        ("ConferenceEntry", "attendance_qualifier"),
        ("AgreementEntry", "count_qualifier"),
    ]:
        assert schemas[model]["properties"][field]["$ref"] == "#/components/schemas/Qualifier", (model, field)
    timeline = schemas["TimelineEntry"]["properties"]
    assert timeline["business_date_kind"]["enum"] == ["stated", "derived", "unknown"]
    assert {"type": "null"} in timeline["sorts_on"]["anyOf"]
    assert {"source", "reported_source", "corrected"} <= set(schemas["Investment"]["properties"])
