"""Starting the real server: the installed ``citycoop serve`` in a subprocess,
on a free loopback port, stopped (and its log shown on failure) afterwards.

A test module uses the fixtures by importing them (``from http_harness import
client_fixture``: the ``_fixture`` names keep the imports apart from the test
arguments they fill): ``server`` serves the module's store once the module's
``recorded`` fixture has written it (the founding story here, unless the module
defines its own), ``client`` talks to it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from citycoop.adapters.application.importing import record_demo
from citycoop.adapters.application.service import CityCoop

CITYCOOP = str(Path(sys.executable).with_name("citycoop"))
START_TIMEOUT_SECONDS = 30.0
BIND_ATTEMPTS = 3


@dataclass(frozen=True)
class Server:
    base_url: str
    process: subprocess.Popen[bytes]
    log: Path

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, timeout=30)


@pytest.fixture(scope="module", name="recorded")
def recorded_fixture(module_store: str) -> Iterator[CityCoop]:
    app = CityCoop(module_store)
    record_demo(app, actor="clerk@wuxi.gov.cn")
    yield app
    app.close()


@pytest.fixture(scope="module", name="server")
def server_fixture(recorded: CityCoop, module_store: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with running_server(module_store, tmp_path_factory.mktemp("server") / "server.log") as running:
        yield running


@pytest.fixture(name="client")
def client_fixture(server: Server) -> Iterator[httpx.Client]:
    with server.client() as http:
        yield http


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def running_server(store: str, log: Path, *options: str) -> Iterator[Server]:
    """``citycoop --store STORE serve --port P OPTIONS`` until the block ends."""
    server = _started(store, log, options)
    try:
        yield server
    finally:
        stop(server)


def _started(store: str, log: Path, options: tuple[str, ...]) -> Server:
    attempts_left = BIND_ATTEMPTS
    while True:
        attempts_left -= 1
        port = free_port()
        command = [CITYCOOP, "--store", store, "serve", "--port", str(port), "--no-access-log", *options]
        with log.open("wb") as output:
            process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=os.environ.copy())
        server = Server(f"http://127.0.0.1:{port}", process, log)
        try:
            _wait_until_up(server)
        except AssertionError:
            stop(server)
            # Another process can take a free port before the server binds it.
            if not attempts_left or "address already in use" not in log.read_text():
                raise
        else:
            return server


def _wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(f"the server exited with {server.process.returncode}:\n{server.log.read_text()}")
        try:
            if httpx.get(f"{server.base_url}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError(f"the server did not answer within {START_TIMEOUT_SECONDS} s:\n{server.log.read_text()}")


def stop(server: Server) -> None:
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGINT)
        try:
            server.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()
