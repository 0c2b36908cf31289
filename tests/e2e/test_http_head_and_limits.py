"""Over the real server, on both stores: HEAD answers wherever GET does,
with the same status and headers (the ETag too) and no body; and an
``as_of`` too long for any log is a 422 in the API's own words, not Python's."""

from __future__ import annotations

import httpx
import pytest
from http_harness import (
    client_fixture,  # noqa: F401 (a fixture)
    recorded_fixture,  # noqa: F401 (a fixture)
    server_fixture,  # noqa: F401 (a fixture)
)

P = "712a8a14-4928-5786-9e6c-a9b3845f5511"


@pytest.mark.parametrize(
    "path",
    [
        "/partnerships",
        f"/partnerships/{P}",
        f"/partnerships/{P}/timeline?as_of=4",
        "/cities",
        "/feed/sections/1,5",
        "/health",
        "/",
        f"/pages/partnerships/{P}",
    ],
)
def test_head_answers_as_get_does_without_a_body(client: httpx.Client, path: str) -> None:
    got = client.get(path)
    head = client.head(path)

    assert (head.status_code, got.status_code) == (200, 200)
    assert head.content == b""
    assert head.headers.get("ETag") == got.headers.get("ETag")
    assert head.headers["Content-Type"] == got.headers["Content-Type"]
    assert head.headers["Content-Length"] == str(len(got.content))


def test_head_with_the_etag_is_not_modified(client: httpx.Client) -> None:
    etag = client.get("/partnerships").headers["ETag"]

    assert client.head("/partnerships", headers={"If-None-Match": etag}).status_code == 304


def test_a_write_method_names_head_among_those_allowed(client: httpx.Client) -> None:
    response = client.post("/partnerships")

    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD"}


@pytest.mark.parametrize("digits", [19, 4_301, 10_000])
def test_an_as_of_of_too_many_digits_is_a_422_in_the_apis_words(client: httpx.Client, digits: int) -> None:
    response = client.get("/partnerships", params={"as_of": "9" * digits})

    assert response.status_code == 422
    assert response.json()["detail"] == "as_of: a log position is from 0 to 999999999999999999"
