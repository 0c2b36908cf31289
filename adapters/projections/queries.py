"""Reading the read models: queries only, never a write, never an aggregate."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TypeVar
from uuid import UUID, uuid4

from eventsourcing.application import Application

from citycoop.adapters.projections.catalogue import PROJECTIONS
from citycoop.adapters.projections.database import ReadModelDatabase, in_memory_database
from citycoop.adapters.projections.models import (
    AgreementEntry,
    CityEntry,
    ConferenceEntry,
    PartnershipSummary,
    ReadModel,
    TimelineEntry,
)
from citycoop.adapters.projections.registry import create_registry
from citycoop.adapters.projections.runner import advance, prepare, read_model_database
from citycoop.domain.errors import InvalidValueError, NotFoundError
from citycoop.domain.vocabulary import AgreementStatus, ProjectCategory, normalise_term

M = TypeVar("M", bound=ReadModel)
DEFAULT_LIMIT = 100


class ReadModels:
    """The questions citycoop's read models answer. Lists that can grow take a
    ``limit`` and, to go on where the last page ended, ``after``: the id (the
    key, for cities; the position, for the timeline) of that page's last item."""

    def __init__(self, source: Application[UUID] | ReadModelDatabase) -> None:
        self._database = source if isinstance(source, ReadModelDatabase) else read_model_database(source)
        prepare(self._database, PROJECTIONS)

    def _documents(self, model: type[M], sql: str, params: Sequence[Any] = ()) -> list[M]:
        with self._database.reading() as session:
            rows = session.rows(sql, params)
        return [model.model_validate(json.loads(document)) for (document,) in rows]

    def _one(self, model: type[M], sql: str, params: Sequence[Any], missing: str) -> M:
        found = self._documents(model, sql, params)
        if not found:
            raise NotFoundError(missing)
        return found[0]

    def _table(self, name: str) -> str:
        return self._database.table(name)

    def partnerships(self, limit: int = DEFAULT_LIMIT, after: UUID | str | None = None) -> list[PartnershipSummary]:
        """Every partnership, by name."""
        table = self._table("partnership_summaries")
        where, params = _after(table, ("name", "id"), "id", after)
        return self._documents(
            PartnershipSummary,
            f"SELECT document FROM {table} {where} ORDER BY name, id LIMIT ?",
            (*params, _limit(limit)),
        )

    def partnership(self, partnership_id: UUID | str) -> PartnershipSummary:
        key = _id(partnership_id)
        return self._one(
            PartnershipSummary,
            f"SELECT document FROM {self._table('partnership_summaries')} WHERE id = ?",
            (key,),
            f"id: no partnership {key} is on record",
        )


def read_models_as_of(app: Application[UUID], position: int) -> ReadModels:
    """The read models as they stood once the log's first ``position`` events
    had happened, built afresh in a throwaway in-memory database; the live
    projections are not touched."""
    database = in_memory_database(f"citycoop-as-of-{uuid4().hex}")
    create_registry(database)
    found = prepare(database, PROJECTIONS)
    advance(app, database, [cls(database, found[cls.name].generation) for cls in PROJECTIONS], stop=position)
    return ReadModels(database)


def _id(value: UUID | str, field: str = "id") -> str:
    try:
        return str(value if isinstance(value, UUID) else UUID(str(value)))
    except ValueError:
        raise InvalidValueError(field, f"{value!r} is not a valid id") from None


def _limit(limit: int) -> int:
    if limit < 1:
        raise InvalidValueError("limit", "must be at least 1")
    return limit


def _after(table: str, order: tuple[str, ...], key: str, after: object) -> tuple[str, tuple[Any, ...]]:
    """The condition for rows that sort after the row whose ``key`` is ``after``."""
    if after is None:
        return "", ()
    columns = ", ".join(order)
    return f"WHERE ({columns}) > (SELECT {columns} FROM {table} WHERE {key} = ?)", (after,)


def _term(value: str | None, vocabulary: type[ProjectCategory] | type[AgreementStatus], field: str) -> str | None:
    if value is None:
        return None
    term = str(normalise_term(value))
    if term not in {member.value for member in vocabulary}:
        raise InvalidValueError(field, f"{value!r} is not one of {', '.join(member.value for member in vocabulary)}")
    return term


__all__ = ["AgreementEntry", "CityEntry", "ConferenceEntry", "ReadModels", "TimelineEntry", "read_models_as_of"]
