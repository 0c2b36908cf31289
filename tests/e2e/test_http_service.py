"""The server as a service: read-only, strict about what it is asked, honest
about its health, loopback by default, and several workers on PostgreSQL."""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path

import httpx
import pytest
from http_harness import (
    Server,
    client_fixture,  # noqa: F401 (a fixture)
    free_port,
    recorded_fixture,  # noqa: F401 (a fixture)
    running_server,
    server_fixture,  # noqa: F401 (a fixture)
)

from citycoop.adapters.application.commands import AddField
from citycoop.adapters.application.importing import record_demo
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.projections import catch_up
from tests.recording import record

PROBLEM = "application/problem+json"
WRITE_METHODS = ["POST", "PUT", "PATCH", "DELETE"]


def concrete(path: str) -> str:
    """A path of the contract with something in place of each parameter."""
    return re.sub(r"\{[^}]+\}", "1,10", path) if path.startswith("/feed") else re.sub(r"\{[^}]+\}", "x", path)


def test_the_server_is_ready_once_it_reads_the_head_of_the_log(client: httpx.Client, recorded: CityCoop) -> None:
    readiness = client.get("/ready").json()

    assert client.get("/health").json() == {"status": "up"}
    assert readiness["status"] == "ready"
    assert readiness["head"] == recorded.recorder.max_notification_id()


def test_every_write_method_on_every_path_is_refused_with_405(client: httpx.Client) -> None:
    paths = [concrete(path) for path in client.get("/openapi.json").json()["paths"]]

    for path in [*paths, "/openapi.json"]:
        for method in WRITE_METHODS:
            response = client.request(method, path, json={"status": "ended"})
            assert (path, method, response.status_code) == (path, method, 405)
            assert "GET" in response.headers["Allow"]
            assert not set(response.headers["Allow"].split(", ")) & set(WRITE_METHODS)
            assert response.headers["Content-Type"] == PROBLEM
            assert response.json()["status"] == 405


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/feed/notifications?limit=0", "limit"),
        ("/feed/notifications?limit=1001", "limit"),
        ("/feed/notifications?limit=ten", "limit"),
        ("/feed/notifications?start=-1", "start"),
        (f"/feed/notifications?start={10**19}", "start"),
        ("/feed/notifications?inclusive_of_start=perhaps", "inclusive_of_start"),
        ("/feed/notifications?topics=" + "x" * 301, "topics[0]"),
        ("/feed/notifications?topics=citycoop.domain.agreement%00:Agreement.Signed", "topics[0]"),
        ("/feed/notifications?" + "&".join(["topics=a"] * 51), "topics"),
        ("/feed/notifications?limt=5", "limt"),
        ("/feed/sections/one,ten", "section_id"),
        ("/partnerships?limit=0", "limit"),
        ("/partnerships?limit=100000", "limit"),
        ("/partnerships?cursor=wuxi-singapore", "cursor"),
        ("/partnerships?as_of=-1", "as_of"),
        (f"/partnerships?as_of={10**30}", "as_of"),
        ("/partnerships?as_of=yesterday", "as_of"),
        ("/partnerships?as_of=1.7e9", "as_of"),
        ("/partnerships?as_of=2023-13-01", "as_of"),
        ("/partnerships?as_of=2023-05-04T25:00:00Z", "as_of"),
        ("/partnerships/wuxi-singapore", "partnership_id"),
        ("/partnerships/712a8a14-4928-5786-9e6c-a9b3845f5511/timeline?cursor=first", "cursor"),
        ("/agreements?category=friendship", "category"),
        ("/agreements?status=pending", "status"),
        ("/agreements?conference_id=2023-05-05", "conference_id"),
        ("/conferences?partnership_id=" + "f" * 5000, "partnership_id"),
        ("/cities?cursor=" + "w" * 1101, "cursor"),
        ("/cities/" + "w" * 1101, "name"),
        ("/cities/Wu%00xi", "name"),
        ("/cities?sort=name", "sort"),
        ("/feed/sections/1,10,20", "section_id"),
        (f"/feed/sections/1,{10**19}", "section_id"),
    ],
)
def test_a_malformed_or_oversized_parameter_is_a_422_problem_that_names_it(
    client: httpx.Client, url: str, parameter: str
) -> None:
    response = client.get(url)

    assert response.status_code == 422
    assert response.headers["Content-Type"] == PROBLEM
    problem = response.json()
    assert (problem["status"], problem["title"]) == (422, "Unprocessable Entity")
    assert problem["detail"].startswith(f"{parameter}: ")
    assert parameter in [error["parameter"] for error in problem["errors"]]


def test_an_unknown_path_is_a_404_problem(client: httpx.Client) -> None:
    response = client.get("/partnerships-of-wuxi")

    assert response.status_code == 404
    assert response.headers["Content-Type"] == PROBLEM
    assert response.json()["instance"] == "/partnerships-of-wuxi"


def test_a_read_carries_an_etag_that_changes_when_the_log_does(client: httpx.Client, recorded: CityCoop) -> None:
    head = recorded.recorder.max_notification_id() or 0
    url = f"/feed/notifications?start={head}&limit=5"
    before = client.get(url)
    assert client.get(url, headers={"If-None-Match": f"W/{before.headers['ETag']}"}).status_code == 304

    (partnership,) = {n.originator_id for n in recorded.recorder.select_notifications(start=1, limit=1)}
    record(
        recorded,
        AddField.validated(partnership=str(partnership), field="tourism"),
        recorded.provenance("clerk@wuxi.gov.cn"),
    )

    after = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    assert len(after.json()) == len(before.json()) + 1


def listening_addresses(port: int) -> set[str]:
    """The local addresses of the sockets listening on ``port``, from the kernel's table."""
    addresses = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                addresses.add(address)
    return addresses


def test_the_server_listens_on_loopback_only_unless_told_otherwise(server: Server) -> None:
    port = int(server.base_url.rsplit(":", 1)[1])

    assert listening_addresses(port) == {"0100007F"}  # 127.0.0.1, little-endian


def test_the_server_starts_and_says_it_is_not_ready_while_its_store_is_unreachable(tmp_path: Path) -> None:
    unreachable = f"postgresql://postgres@127.0.0.1:{free_port()}/test"

    with running_server(unreachable, tmp_path / "server.log") as server, server.client() as client:
        health = client.get("/health")
        readiness = client.get("/ready")

    assert health.status_code == 200
    assert readiness.status_code == 503
    assert readiness.headers["Content-Type"] == PROBLEM
    assert readiness.json()["detail"].startswith("store: cannot use postgresql://postgres@127.0.0.1")


def worker_processes(server: Server) -> list[int]:
    children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children").read_text().split()
    return [int(pid) for pid in children if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text()]


@pytest.mark.postgres
def test_several_workers_serve_one_postgresql_store_alike(postgres_store: str, tmp_path: Path) -> None:
    app = CityCoop(postgres_store)
    record_demo(app, actor="clerk@wuxi.gov.cn")
    app.close()

    async def read_concurrently(base_url: str) -> list[httpx.Response]:
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
            return await asyncio.gather(*(client.get("/feed/sections/1,10") for _ in range(60)))

    with running_server(postgres_store, tmp_path / "server.log", "--workers", "3") as server:
        workers = worker_processes(server)
        responses = asyncio.run(read_concurrently(server.base_url))

    assert len(workers) == 3
    assert {response.status_code for response in responses} == {200}
    assert len({response.headers["ETag"] for response in responses}) == 1


def test_without_following_the_served_projections_show_their_lag_until_caught_up(store: str, tmp_path: Path) -> None:
    app = CityCoop(store)
    ids = record_demo(app, actor="clerk@wuxi.gov.cn")
    catch_up(app)

    with running_server(store, tmp_path / "server.log", "--no-follow") as server, server.client() as client:
        record(app, AddField.validated(partnership=str(ids[0]), field="logistics"), app.provenance("clerk@wuxi.gov.cn"))
        lagging = client.get("/projections").json()
        stale = client.get(f"/partnerships/{ids[0]}").json()
        catch_up(app)
        deadline = time.monotonic() + 5  # answers are kept for at most 50 ms after the projections move
        while "logistics" not in (current := client.get(f"/partnerships/{ids[0]}").json())["fields"]:
            assert time.monotonic() < deadline, current
            time.sleep(0.01)
    app.close()

    assert {status["lag_events"] for status in lagging} == {1}
    assert "logistics" not in stale["fields"]
    assert "logistics" in current["fields"]
