"""Where the log lives: an SQLite file (the default) or a PostgreSQL URL.

The location is one string, so the CLI, the environment variable
``CITYCOOP_STORE`` and the HTTP server all name a store the same way.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from ...domain.errors import InvalidValueError

STORE_VARIABLE = "CITYCOOP_STORE"


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
    def is_postgres(self) -> bool:
        return self.location.startswith(("postgresql://", "postgres://"))

    @property
    def sqlite_path(self) -> Path | None:
        """The SQLite file this location names; None for PostgreSQL."""
        return None if self.is_postgres else Path(self.location).expanduser()

    def describe(self) -> str:
        """The location with any password masked, safe to print."""
        if not self.is_postgres:
            return self.location
        url = urlsplit(self.location)
        if url.password is None:
            return self.location
        return self.location.replace(f":{url.password}@", ":***@", 1)

    def environment(self) -> dict[str, str]:
        """The eventsourcing settings that open this store."""
        return self._postgres_environment() if self.is_postgres else self._sqlite_environment()

    def _sqlite_environment(self) -> dict[str, str]:
        path = Path(self.location).expanduser()
        if path.is_dir():
            raise InvalidValueError("store", f"{self.location} is a directory, not an SQLite file")
        path.parent.mkdir(parents=True, exist_ok=True)
        return {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": str(path),
            "SQLITE_LOCK_TIMEOUT": "10",
            "APPLICATION_RECORDER_TOPIC": "citycoop.adapters.storage.sqlite:SQLiteRecorder",
        }

    def _postgres_environment(self) -> dict[str, str]:
        url = urlsplit(self.location)
        dbname = unquote(url.path.lstrip("/"))
        if not dbname or not url.hostname:
            raise InvalidValueError("store", "a PostgreSQL URL needs a host and a database name")
        schema = parse_qs(url.query).get("schema", ["public"])[0]
        return {
            "PERSISTENCE_MODULE": "citycoop.adapters.storage.postgres:PostgresFactory",
            "POSTGRES_DBNAME": dbname,
            "POSTGRES_HOST": url.hostname,
            "POSTGRES_PORT": str(url.port or 5432),
            "POSTGRES_USER": unquote(url.username or os.environ.get("USER", "postgres")),
            "POSTGRES_PASSWORD": unquote(url.password or ""),
            "POSTGRES_SCHEMA": schema,
            "POSTGRES_CONNECT_TIMEOUT": "5",
            "POSTGRES_LOCK_TIMEOUT": "30",
            "POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT": "60",
            "APPLICATION_RECORDER_TOPIC": "citycoop.adapters.storage.postgres:PostgresRecorder",
        }
