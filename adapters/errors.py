"""Errors that come from the outside world rather than the business rules."""

from __future__ import annotations

from citycoop.domain.errors import CityCoopError


class StoreUnavailableError(CityCoopError):
    """Raised when the store cannot be opened, reached or read."""
