"""The auditors' pages, served beside the JSON API: server-rendered HTML,
charts as inline SVG, no script. ``routes`` answers, ``reads`` is the one
door to the store, ``views`` and ``charts`` shape what is shown, and
``rendering`` holds the templates, the headers and the error pages."""

from __future__ import annotations

from .routes import router

__all__ = ["router"]
