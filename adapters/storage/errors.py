"""Errors that come from the outside world rather than the business rules."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from eventsourcing.persistence import IntegrityError, OperationalError, PersistenceError

from ...domain.errors import CityCoopError
from .location import StoreLocation


class StoreUnavailableError(CityCoopError):
    """Raised when the store cannot be opened, reached or read."""


@contextmanager
def translated_store_errors(location: StoreLocation) -> Iterator[None]:
    """Turn a store that cannot be reached or read into one clear line."""
    try:
        yield
    except (OperationalError, PersistenceError, OSError, sqlite3.Error) as error:
        if isinstance(error, IntegrityError):
            raise
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise StoreUnavailableError(f"store: cannot use {location.describe()}: {reason}") from None
