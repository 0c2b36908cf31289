"""citycoop's read-only HTTP JSON API (FastAPI): read models, the event feed,
and the service's own health."""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
