"""citycoop's read-only HTTP JSON API (FastAPI): read models, the event feed,
and the service's own health."""

from __future__ import annotations

from citycoop.adapters.http.app import create_app, create_app_from_environment

__all__ = ["create_app", "create_app_from_environment"]
