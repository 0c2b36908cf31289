"""No client of ``citycoop serve`` waits without limit.

A PostgreSQL server that stops answering while its connections stay open (the
proxy goes silent: every packet is still acknowledged, nothing comes back)
costs each client a bounded wait: ``/ready`` says 503 within its deadline,
every read is answered 503 with ``Retry-After`` within its own, and the
server serves again by itself once the database answers; one that cannot be
reached at all is logged once when it goes and once when it is back. Replays
of the past queue up to a bound, and a reader past it is told 503 at once.
The deadlines are made short here (``--ready-timeout``, ``--request-timeout``)
so that the tests take seconds."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from citycoop.adapters.application.importing import import_path, record_demo
from citycoop.adapters.application.service import CityCoop
from reliability.conftest import through
from reliability.proxy import TcpProxy
from reliability.story import big_import
from tests.e2e.http_harness import Server, running_server

READY_SECONDS = 1.0
REQUEST_SECONDS = 3.0
LATE_SECONDS = 3.0
"""How much later than its deadline an answer may come on a loaded machine (and still not be a hang)."""
RECOVERY_SECONDS = 30.0
CONCURRENT_READS = 60
READS = ("/partnerships", "/conferences", "/agreements", "/cities", "/projections", "/feed/sections/1,10")


@pytest.fixture
def served(postgres_store: str, proxy: TcpProxy, tmp_path: Path) -> Iterator[Server]:
    """``citycoop serve`` on the founding story, reaching PostgreSQL through the proxy."""
    store = through(proxy, postgres_store)
    app = CityCoop(store)
    record_demo(app, actor="clerk@wuxi.gov.cn")
    app.close()
    options = ("--request-timeout", str(REQUEST_SECONDS), "--ready-timeout", str(READY_SECONDS))
    with running_server(store, tmp_path / "server.log", *options) as server:
        yield server


def timed_get(client: httpx.Client, path: str) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = client.get(path)
    return response, time.monotonic() - started


async def read_concurrently(base_url: str, count: int) -> list[tuple[int, str | None, float]]:
    """Each read's status, ``Retry-After`` and how long it took to come."""

    async def read(client: httpx.AsyncClient, path: str) -> tuple[int, str | None, float]:
        started = time.monotonic()
        response = await client.get(path)
        return response.status_code, response.headers.get("Retry-After"), time.monotonic() - started

    limits = httpx.Limits(max_connections=count)
    async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as client:
        return await asyncio.gather(*(read(client, READS[n % len(READS)]) for n in range(count)))


def wait_until_ready(client: httpx.Client) -> float:
    """Seconds until ``/ready`` says 200 again; fails past ``RECOVERY_SECONDS``."""
    started = time.monotonic()
    while client.get("/ready").status_code != 200:
        assert time.monotonic() - started < RECOVERY_SECONDS, "the server did not recover by itself"
        time.sleep(0.2)
    return time.monotonic() - started


@pytest.mark.postgres
def test_a_silent_postgresql_gets_503_in_time_and_the_server_recovers_when_it_answers(
    served: Server, proxy: TcpProxy
) -> None:
    with httpx.Client(base_url=served.base_url, timeout=60) as client:
        assert client.get("/ready").status_code == 200
        assert client.get("/partnerships").status_code == 200
        proxy.silence()
        try:
            ready, ready_took = timed_get(client, "/ready")
            reads = asyncio.run(read_concurrently(served.base_url, CONCURRENT_READS))
        finally:
            proxy.resume()
        wait_until_ready(client)
        after = client.get("/partnerships")

    assert ready.status_code == 503
    assert ready.headers["Retry-After"].isdigit()
    assert ready.json()["detail"].startswith("deadline: no answer within 1 s")
    assert ready_took < READY_SECONDS + LATE_SECONDS
    assert {(status, retry_after is not None) for status, retry_after, _ in reads} == {(503, True)}
    assert max(took for _, _, took in reads) < REQUEST_SECONDS + LATE_SECONDS
    assert after.status_code == 200
    assert "Traceback" not in served.log.read_text()


@pytest.mark.postgres
def test_an_unreachable_postgresql_is_logged_once_when_it_goes_and_once_when_it_returns(
    postgres_store: str, proxy: TcpProxy, tmp_path: Path
) -> None:
    """The server's own follower keeps trying (every 5 s, each try up to the
    connect timeout): twelve seconds away is two tries or more."""
    log = tmp_path / "server.log"
    with running_server(through(proxy, postgres_store), log) as server, server.client() as client:
        assert client.get("/ready").status_code == 200
        proxy.cut()
        time.sleep(12)
        proxy.restore()
        wait_until_ready(client)
        deadline = time.monotonic() + RECOVERY_SECONDS
        while "answers again" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.2)
        logged = log.read_text()

    assert "Traceback" not in logged
    assert [line.split(":", 2)[:2] for line in logged.splitlines() if line.startswith("projections:")] == [
        ["projections", " store"],
        ["projections", " the store answers again; following the log"],
    ]


PAST_READS = 40


def test_past_reads_beyond_the_queue_are_refused_at_once_with_retry_after(store: str, tmp_path: Path) -> None:
    """Each replay of every partnership as of a position near the head reads
    thousands of events, so forty asked at once cannot all wait in line."""
    app = CityCoop(store)
    import_path(app, big_import(tmp_path / "bulk.json", initiatives=6_000), actor="clerk@wuxi.gov.cn")
    head = app.recorder.max_notification_id() or 0
    app.close()

    async def read_the_past(base_url: str) -> list[httpx.Response]:
        limits = httpx.Limits(max_connections=PAST_READS)
        async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as client:
            return await asyncio.gather(*(client.get(f"/partnerships?as_of={head - n}") for n in range(PAST_READS)))

    with running_server(store, tmp_path / "server.log", "--no-follow") as server:
        answers = asyncio.run(read_the_past(server.base_url))

    refused = [answer for answer in answers if answer.status_code == 503]
    busy = [answer for answer in refused if "replays of the log's past are already waiting" in answer.json()["detail"]]
    assert {answer.status_code for answer in answers} <= {200, 503}
    assert busy, "some readers are told at once that the queue is full"
    assert all(answer.headers["Retry-After"].isdigit() for answer in refused)
    assert any(answer.status_code == 200 for answer in answers)


@pytest.mark.postgres
def test_a_cold_server_asked_for_the_projections_sixty_times_at_once_answers_each_promptly(
    postgres_store: str, tmp_path: Path
) -> None:
    """The first read of the projections sets up their database, which holds
    one pooled connection while it takes another: sixty first readers at once
    must not each hold one and starve it."""
    app = CityCoop(postgres_store)
    record_demo(app, actor="clerk@wuxi.gov.cn")
    app.close()

    async def read_the_projections(base_url: str) -> list[tuple[int, float]]:
        async def read(client: httpx.AsyncClient) -> tuple[int, float]:
            started = time.monotonic()
            response = await client.get("/projections")
            return response.status_code, time.monotonic() - started

        limits = httpx.Limits(max_connections=CONCURRENT_READS)
        async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as client:
            return await asyncio.gather(*(read(client) for _ in range(CONCURRENT_READS)))

    options = ("--no-follow", "--request-timeout", "30")
    with running_server(postgres_store, tmp_path / "server.log", *options) as server:
        answers = asyncio.run(read_the_projections(server.base_url))

    assert {status for status, _ in answers} == {200}
    assert max(took for _, took in answers) < REQUEST_SECONDS + LATE_SECONDS
