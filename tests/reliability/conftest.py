"""Fixtures for the reliability tests: a home for CLI runs, a TCP proxy in
front of the shared PostgreSQL server, and a store reached through it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from reliability.proxy import TcpProxy


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """The home directory of the clerk whose ``citycoop`` runs in a subprocess."""
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def proxy(postgres_store: str) -> Iterator[TcpProxy]:
    """A proxy to the server that ``postgres_store`` names; cut it to make the server unreachable."""
    url = urlsplit(postgres_store)
    tcp_proxy = TcpProxy(upstream=(url.hostname or "127.0.0.1", url.port or 5432))
    yield tcp_proxy
    tcp_proxy.close()


@pytest.fixture
def proxied_store(postgres_store: str, proxy: TcpProxy) -> str:
    """``postgres_store`` reached through ``proxy``."""
    return through(proxy, postgres_store)


def through(proxy: TcpProxy, store: str, *, password: str | None = None) -> str:
    """The same PostgreSQL store URL, but via the proxy (and with a password, if given)."""
    url = urlsplit(store)
    user = url.username or "postgres"
    credentials = f"{user}:{password}" if password else user
    return urlunsplit(url._replace(netloc=f"{credentials}@{proxy.address}"))
