"""Where the log lives: an SQLite file (the default) or a PostgreSQL URL.

The location is one string, so the CLI, the environment variable
``CITYCOOP_STORE`` and the HTTP server all name a store the same way.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import SplitResult, parse_qs, unquote, urlsplit

from ...domain.errors import InvalidValueError

STORE_VARIABLE = "CITYCOOP_STORE"
POSTGRES_SCHEMES = ("postgresql", "postgres")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_QUERY_SECRET = re.compile(r"([?&#][^=&#]*password[^=&#]*=)[^&#]*", re.IGNORECASE)


def default_store() -> str:
    """``$XDG_DATA_HOME/citycoop/citycoop.db``, i.e. ``~/.local/share/citycoop/citycoop.db``."""
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(data_home) / "citycoop" / "citycoop.db")


@dataclass(frozen=True)
class StoreLocation:
    """A path to an SQLite file, or ``postgresql://user:password@host:port/db?schema=name``."""

    location: str

    @classmethod
    def from_environment(cls, given: str | None = None) -> StoreLocation:
        return cls(given or os.environ.get(STORE_VARIABLE) or default_store())

    @property
    def scheme(self) -> str | None:
        """The URL scheme, in lower case as RFC 3986 compares it; None for a path."""
        match = _SCHEME.match(self.location)
        return match.group(1).lower() if match else None

    @property
    def is_postgres(self) -> bool:
        return self.scheme in POSTGRES_SCHEMES

    @property
    def sqlite_path(self) -> Path | None:
        """The SQLite file this location names; None for a URL."""
        return None if self.scheme is not None else Path(self.location).expanduser()

    def describe(self) -> str:
        """The location with every credential it carries masked, safe to print."""
        return masked(self.location)

    def environment(self) -> dict[str, str]:
        """The eventsourcing settings that open this store."""
        if self.scheme is None:
            return self._sqlite_environment()
        if self.is_postgres:
            return self._postgres_environment()
        raise InvalidValueError(
            "store", f"{self.scheme}:// names no kind of store; give an SQLite file's path or a postgresql:// URL"
        )

    def _sqlite_environment(self) -> dict[str, str]:
        path = Path(self.location).expanduser()
        if path.is_dir():
            raise InvalidValueError("store", f"{self.location} is a directory, not an SQLite file")
        return {
            "PERSISTENCE_MODULE": "citycoop.adapters.storage.sqlite:SQLiteFactory",
            "SQLITE_DBNAME": str(path),
            "SQLITE_LOCK_TIMEOUT": "10",
            "APPLICATION_RECORDER_TOPIC": "citycoop.adapters.storage.sqlite:SQLiteRecorder",
        }

    def _postgres_environment(self) -> dict[str, str]:
        url, port = self._parsed_url()
        query = parse_qs(url.query)
        dbname = unquote(url.path.lstrip("/"))
        if not dbname or not url.hostname:
            raise InvalidValueError("store", "a PostgreSQL URL needs a host and a database name")
        schema = query.get("schema", ["public"])[0]
        return {
            "PERSISTENCE_MODULE": "citycoop.adapters.storage.postgres:PostgresFactory",
            "POSTGRES_DBNAME": dbname,
            "POSTGRES_HOST": url.hostname,
            "POSTGRES_PORT": str(port),
            "POSTGRES_USER": unquote(url.username or os.environ.get("USER", "postgres")),
            "POSTGRES_PASSWORD": unquote(url.password) if url.password else query.get("password", [""])[0],
            "POSTGRES_SCHEMA": schema,
            "POSTGRES_CONNECT_TIMEOUT": "5",
            "POSTGRES_LOCK_TIMEOUT": "30",
            "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "60",
            "APPLICATION_RECORDER_TOPIC": "citycoop.adapters.storage.postgres:PostgresRecorder",
        }

    def _parsed_url(self) -> tuple[SplitResult, int]:
        """The URL and its port (5432 unless given), or one line saying what is wrong, credentials masked."""
        try:
            url = urlsplit(self.location)
            port = url.port
        except ValueError as error:
            problem = "its port must be a number from 1 to 65535" if "port" in str(error).lower() else str(error)
            raise InvalidValueError("store", f"{self.describe()} is not a valid PostgreSQL URL: {problem}") from None
        if port == 0:
            raise InvalidValueError(
                "store", f"{self.describe()} is not a valid PostgreSQL URL: its port must be a number from 1 to 65535"
            )
        return url, port or 5432


def masked(location: str) -> str:
    """``location`` with the password of its user and any ``password`` (or
    ``sslpassword`` …) parameter shown as ``***``; parsed by hand, so that
    even a URL that does not parse is masked."""
    match = _SCHEME.match(location)
    if match is None:
        return location
    head, rest = location[: match.end()], location[match.end() :]
    query_at = min((index for index in (rest.find("?"), rest.find("#")) if index >= 0), default=len(rest))
    authority, tail = rest[:query_at], rest[query_at:]
    user_end = authority.rfind("@")
    if user_end >= 0 and ":" in authority[:user_end]:
        user = authority[: authority.index(":")]
        authority = f"{user}:***{authority[user_end:]}"
    return head + authority + _QUERY_SECRET.sub(r"\1***", tail)
