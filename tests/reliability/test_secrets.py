"""Secrets: the PostgreSQL password in a store URL and the audit key
(``CITYCOOP_AUDIT_KEY``) never appear in what citycoop prints, logs or
answers, whether things go well or badly, nor in the store itself."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from reliability.conftest import through
from reliability.crashes import start_citycoop
from reliability.processes import citycoop, one_line_error
from reliability.proxy import TcpProxy

PASSWORD = "Wuxi-S3cret-1993"
ENCODED_PASSWORD = "p%40ss%3Aw0rd%2FWuxi"
"""``p@ss:w0rd/Wuxi``, as a URL must spell it."""
DECODED_PASSWORD = "p@ss:w0rd/Wuxi"
AUDIT_KEY = "singapore-wuxi-audit-key-7f3a9c"
CORPUS = Path(__file__).with_name("corpus")


def assert_no_secret_in(*texts: str) -> None:
    for secret in (PASSWORD, ENCODED_PASSWORD, DECODED_PASSWORD, AUDIT_KEY):
        for text in texts:
            assert secret not in text, f"{secret!r} was shown:\n{text}"


@pytest.mark.postgres
@pytest.mark.parametrize("password", [PASSWORD, ENCODED_PASSWORD])
def test_an_unreachable_postgresql_server_is_named_without_its_password(
    postgres_store: str, proxy: TcpProxy, home: Path, password: str
) -> None:
    store = through(proxy, postgres_store, password=password)
    proxy.cut()

    result = citycoop("--store", store, "demo", home=home)

    assert ":***@" in one_line_error(result)
    assert_no_secret_in(result.stdout, result.stderr)


@pytest.mark.postgres
def test_a_postgresql_password_is_never_shown_while_the_server_answers(
    postgres_store: str, proxy: TcpProxy, home: Path
) -> None:
    """The test server trusts loopback clients, so the password is sent and ignored."""
    store = through(proxy, postgres_store, password=ENCODED_PASSWORD)
    missing_schema = store.replace("schema=", "schema=no_such_schema_")
    runs = [
        citycoop("--store", store, "--json", "demo", home=home),
        citycoop("--store", store, "import", str(CORPUS / "refused-at-the-last-entry.yaml"), home=home),
        citycoop("--store", store, "import", str(CORPUS / "malformed-yaml.yaml"), home=home),
        citycoop("--store", store, "projections", "status", home=home),
        citycoop("--store", store, "audit", "verify", home=home),
        citycoop("--store", store, "--json", "log", home=home),
        citycoop("--store", missing_schema, "demo", home=home),
    ]

    assert [run.returncode for run in runs] == [0, 1, 2, 0, 0, 0, 1]
    assert "no_such_schema_" in one_line_error(runs[-1])
    assert_no_secret_in(*(run.stdout + run.stderr for run in runs))


def test_the_audit_key_is_never_shown_nor_stored(sqlite_store: str, home: Path, tmp_path: Path) -> None:
    keyed = {"CITYCOOP_AUDIT_KEY": AUDIT_KEY}
    export = tmp_path / "export.jsonl"
    runs = [
        citycoop("--store", sqlite_store, "--json", "demo", home=home, env=keyed),
        citycoop("--store", sqlite_store, "audit", "verify", home=home, env=keyed),
        citycoop("--store", sqlite_store, "audit", "seal", home=home, env=keyed),
        citycoop("--store", sqlite_store, "--json", "log", home=home, env=keyed),
        citycoop("--store", sqlite_store, "export", str(export), home=home, env=keyed),
        citycoop("--store", sqlite_store, "import", str(CORPUS / "duplicate-local-name.yaml"), home=home, env=keyed),
        citycoop("--store", sqlite_store, "audit", "verify", home=home, env={"CITYCOOP_AUDIT_KEY": "a guess"}),
    ]

    assert [run.returncode for run in runs[:-1]] == [0, 0, 0, 0, 0, 2]
    assert runs[-1].returncode != 0, "a wrong key does not verify"
    assert_no_secret_in(*(run.stdout + run.stderr for run in runs))
    store_bytes = b"".join(path.read_bytes() for path in Path(sqlite_store).parent.glob("citycoop.db*"))
    assert AUDIT_KEY.encode() not in store_bytes
    assert AUDIT_KEY.encode() not in export.read_bytes()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Server:
    """A running ``citycoop serve``; ``stop()`` returns everything it printed."""

    def __init__(self, store: str, home: Path) -> None:
        self.port = free_port()
        self.address = f"http://127.0.0.1:{self.port}"
        self.process = start_citycoop(store, "serve", "--port", str(self.port), "--no-follow", home=home)
        deadline = time.monotonic() + 60
        while not self.answers():
            assert self.process.poll() is None, self.process.communicate()[1]
            assert time.monotonic() < deadline, "the server did not answer within a minute"
            time.sleep(0.1)

    def answers(self) -> bool:
        try:
            return httpx.get(f"{self.address}/health", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            output, errors = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            output, errors = self.process.communicate()
        return output + errors


@pytest.fixture
def server(postgres_store: str, proxy: TcpProxy, home: Path) -> Iterator[Server]:
    """The HTTP server on a store whose URL holds a password, reached through the proxy."""
    store = through(proxy, postgres_store, password=PASSWORD)
    assert citycoop("--store", store, "demo", home=home).returncode == 0
    running = Server(store, home)
    yield running
    running.stop()


@pytest.mark.postgres
def test_the_http_server_never_shows_the_password_in_answers_or_logs_even_when_the_store_is_lost(
    server: Server, proxy: TcpProxy
) -> None:
    paths = ("/ready", "/partnerships", "/nowhere", "/", "/pages/proof")
    answers = [httpx.get(f"{server.address}{path}", timeout=30) for path in paths]
    proxy.cut()
    lost = httpx.get(f"{server.address}/ready", timeout=60)
    lost_page = httpx.get(f"{server.address}/pages/proof", timeout=60)
    logs = server.stop()

    assert [answer.status_code for answer in answers] == [200, 200, 404, 200, 200]
    assert (lost.status_code, lost_page.status_code) == (503, 503)
    assert "store: cannot use postgresql://" in lost_page.text, "the page says why"
    assert "/ready" in logs, "the access log was written"
    assert_no_secret_in(logs, *(answer.text for answer in [*answers, lost, lost_page]), str(lost.headers))
