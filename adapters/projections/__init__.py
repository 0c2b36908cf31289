"""Projections: read models built from the log, exactly once, on SQLite and PostgreSQL.

Readers reach them through the read door (``citycoop.adapters.reads``); below
it, this package offers (``from citycoop.adapters.projections import …``):

- Read models, pydantic, whose JSON Schema is the contract (``schemas/``):
  ``PartnershipSummary``, ``ConferenceEntry`` (conference register),
  ``AgreementEntry`` (agreement register), ``CityEntry`` (city directory) and
  ``TimelineEntry`` (a partnership's events in business-date order, corrections
  applied).
- ``catch_up(app) -> int``: bring every projection to the head of the log and
  return that position; cheap when nothing is pending. New projections are
  built, and projections whose version changed are rebuilt, on the way.
- ``ReadModels(app)``: queries only — ``partnerships(limit, after)``,
  ``partnership(id)``, ``conferences(partnership_id=None, limit, after)``,
  ``conference(id)``, ``agreements(partnership_id=None, conference_id=None,
  category=None, status=None, limit, after)``, ``agreement(id)``,
  ``cities(limit, after)``, ``city(name)``, ``timeline(partnership_id, limit,
  after)``. An unknown id raises ``citycoop.domain.errors.NotFoundError``.
- ``read_models_as_of(app, position) -> ReadModels``: the same read models as
  they stood at a log position, built in a throwaway SQLite file (deleted with
  them); ``past.partnership_as_of`` builds one partnership's from its own
  records' events.
- ``rebuild(app, projections=PROJECTIONS)``: build again from zero into new
  tables while readers keep the old ones, then switch (blue/green).
- ``follow(app, stop=…)``: keep projections caught up as events arrive
  (PostgreSQL: LISTEN/NOTIFY; SQLite: polling).
- ``status(app) -> list[ProjectionStatus]``: position, head, lag in events and
  age of the oldest unprocessed event, per projection.

Readers (the CLI, the HTTP API, other services) query the views named after
the read models (``partnership_summaries``, ``conference_register``,
``agreement_register``, ``city_directory``, ``timeline``) in the store's
database; each points at the live generation of its projection's tables.

The queries, the read models' pydantic classes, the past read models and
the projections' status (``statuses``, whose two models a command that only
catches up has no use for) are imported from their modules on first use
(``__getattr__``): a command that only catches up loads none of them. A name
that is also a module's name (``follow``) is imported here, so that it stays
the function once its module is loaded; hence the status module's plural.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .catalogue import PROJECTIONS
from .follow import follow
from .runner import catch_up, rebuild

if TYPE_CHECKING:
    from .models import (
        AgreementEntry,
        CityEntry,
        ConferenceEntry,
        PartnershipSummary,
        TimelineEntry,
    )
    from .past import read_models_as_of
    from .queries import ReadModels
    from .statuses import ProjectionStatus, status

_MODULE_OF = {
    "AgreementEntry": "models",
    "CityEntry": "models",
    "ConferenceEntry": "models",
    "PartnershipSummary": "models",
    "ProjectionStatus": "statuses",
    "ReadModels": "queries",
    "TimelineEntry": "models",
    "read_models_as_of": "past",
    "status": "statuses",
}

__all__ = [
    "PROJECTIONS",
    "AgreementEntry",
    "CityEntry",
    "ConferenceEntry",
    "PartnershipSummary",
    "ProjectionStatus",
    "ReadModels",
    "TimelineEntry",
    "catch_up",
    "follow",
    "read_models_as_of",
    "rebuild",
    "status",
]


def __getattr__(name: str) -> Any:
    if name not in _MODULE_OF:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_MODULE_OF[name]}", __name__), name)
