"""Names come from clerks, so a page shows whatever they typed as text and
never as markup: a city called ``<script>…</script>``, a conference title
with an image tag, a source, a reason, even what is typed into the page's
own boxes or its address, on every page."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote
from uuid import UUID

import httpx
import pytest
from http_harness import client_fixture, server_fixture  # noqa: F401 (fixtures)
from page_reader import field_values, page, read_page, url

from citycoop.adapters.application.commands import (
    CorrectFact,
    EstablishPartnership,
    HoldConference,
    NameProject,
    SignProjects,
)
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.projections import catch_up
from citycoop.domain.values import Provenance
from tests.recording import record

SCRIPT = '<script>alert("pwned")</script>'
TAG = "<img src=x onerror=alert(1)>"
IMAGE = f"{TAG} & friends"
CLERK = "clerk-<b>li</b>"


@dataclass(frozen=True)
class Hostile:
    partnership: UUID
    conference: UUID
    agreement: UUID


@pytest.fixture(scope="module")
def recorded(module_store: str) -> Iterator[Hostile]:
    app = CityCoop(module_store)

    def meta() -> Provenance:
        return app.provenance(CLERK, source=f"The {SCRIPT} Gazette")

    partnership = record(
        app,
        EstablishPartnership.validated(
            city_a={"name": SCRIPT, "country": "Narnia"},
            city_b={"name": "Singapore", "country": "Singapore"},
            since="2001",
        ),
        meta(),
    )
    conference = record(
        app,
        HoldConference.validated(
            partnership=str(partnership), title=IMAGE, held_on="2023-05-05", host_city=SCRIPT, organizations=[SCRIPT]
        ),
        meta(),
    )
    agreement = record(
        app,
        SignProjects.validated(partnership=str(partnership), conference=str(conference), category="cultural", count=2),
        meta(),
    )
    record(app, NameProject.validated(agreement=str(agreement), name=SCRIPT, parties=[IMAGE]), meta())
    record(
        app,
        CorrectFact.validated(
            record=str(conference), corrects_version=1, field="title", value=f"{IMAGE}!", reason=SCRIPT
        ),
        meta(),
    )
    catch_up(app)
    yield Hostile(partnership, conference, agreement)
    app.close()


def pages(hostile: Hostile) -> list[str]:
    records = [f"/pages/records/{record}" for record in (hostile.partnership, hostile.conference, hostile.agreement)]
    shown = ["/", url("/", city=SCRIPT), f"/pages/partnerships/{hostile.partnership}", *records]
    return [*shown, *(url(path, as_of="3") if "?" not in path else f"{path}&as_of=3" for path in shown)]


def assert_only_text(html: str) -> None:
    assert "<script" not in html
    assert "<img" not in html
    assert "<b>" not in html


def test_every_page_shows_the_clerks_markup_as_text(client: httpx.Client, recorded: Hostile) -> None:
    for path in pages(recorded):
        response = client.get(path)
        assert response.status_code == 200, path

        assert_only_text(response.text)
        shown = read_page(response.text).text
        assert SCRIPT in shown, path
        if "/records/" in path or "/partnerships/" in path:
            assert CLERK in shown, path


def test_the_partnership_page_shows_markup_in_titles_corrections_and_names_as_text(
    client: httpx.Client, recorded: Hostile
) -> None:
    shown = page(client, f"/pages/partnerships/{recorded.partnership}")

    assert shown.one("h1").text == f"{SCRIPT}–Singapore"
    correction = shown.one("p", "correction")
    assert (correction.one("del").text, correction.one("ins").text) == (IMAGE, f"{IMAGE}!")
    assert f"because “{SCRIPT}”" in correction.text
    assert f"{SCRIPT} ({IMAGE})" in shown.one("table", "agreements").text


def test_markup_typed_into_the_pages_boxes_or_address_comes_back_as_text(
    client: httpx.Client, recorded: Hostile
) -> None:
    proof = client.get(url("/pages/proof", expect=SCRIPT))
    as_of = client.get(url("/", as_of=SCRIPT))
    unknown = client.get(f"/pages/partnerships/{quote(TAG, safe='')}")  # no "/", which would leave the route

    for response in (proof, as_of, unknown):
        assert_only_text(response.text)
    assert field_values(read_page(proof.text), "expect") == [SCRIPT, SCRIPT]
    assert as_of.status_code == 422
    assert field_values(read_page(as_of.text), "as_of") == [SCRIPT]
    assert unknown.status_code == 404
    assert read_page(unknown.text).one(cls="banner").text == f"id: no partnership {TAG!r} is on record"
