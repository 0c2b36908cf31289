"""Reading the read models: queries only, never a write, never an aggregate."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import Application

from ...domain.errors import InvalidValueError, NotFoundError
from ...domain.values import folded
from ...domain.vocabulary import AgreementStatus, ProjectCategory, normalise_term
from .catalogue import PROJECTIONS
from .database import ReadModelDatabase
from .models import (
    AgreementEntry,
    CityEntry,
    ConferenceEntry,
    PartnershipSummary,
    ReadModel,
    TimelineEntry,
)
from .runner import prepare, read_model_database

M = TypeVar("M", bound=ReadModel)
DEFAULT_LIMIT = 100


class ReadModels:
    """The questions citycoop's read models answer. Lists that can grow take a
    ``limit`` and, to go on where the last page ended, ``after``: the id (the
    key, for cities; the position, for the timeline) of that page's last item."""

    def __init__(self, source: Application[UUID] | ReadModelDatabase, *, as_of: int | None = None) -> None:
        self._database = source if isinstance(source, ReadModelDatabase) else read_model_database(source)
        self.as_of = as_of
        """The log position these read models stand at, for those built as of
        a position of the past; None for the live ones, which follow the log."""
        prepare(self._database, PROJECTIONS)

    def _documents(self, model: type[M], sql: str, params: Sequence[Any] = ()) -> list[M]:
        with self._database.reading() as session:
            rows = session.rows(sql, params)
        return [model.model_validate_json(document) for (document,) in rows]

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
        conditions = _Conditions(table, ("name", "id"), "id", after and record_key(after, "after"))
        return self._documents(
            PartnershipSummary,
            f"SELECT document FROM {table} {conditions.where} ORDER BY name, id LIMIT ?",
            (*conditions.params, _limit(limit)),
        )

    def partnership(self, partnership_id: UUID | str) -> PartnershipSummary:
        key = record_key(partnership_id)
        return self._one(
            PartnershipSummary,
            f"SELECT document FROM {self._table('partnership_summaries')} WHERE id = ?",
            (key,),
            f"id: no partnership {key} is on record",
        )

    def conferences(
        self, partnership_id: UUID | str | None = None, *, limit: int = DEFAULT_LIMIT, after: UUID | str | None = None
    ) -> list[ConferenceEntry]:
        """Conferences by date, of one partnership or of all."""
        table = self._table("conference_register")
        conditions = _Conditions(table, ("held_on", "id"), "id", after and record_key(after, "after"))
        conditions.equal("partnership_id", partnership_id and record_key(partnership_id, "partnership"))
        return self._documents(
            ConferenceEntry,
            f"SELECT document FROM {table} {conditions.where} ORDER BY held_on, id LIMIT ?",
            (*conditions.params, _limit(limit)),
        )

    def conference(self, conference_id: UUID | str) -> ConferenceEntry:
        key = record_key(conference_id)
        return self._one(
            ConferenceEntry,
            f"SELECT document FROM {self._table('conference_register')} WHERE id = ?",
            (key,),
            f"id: no conference {key} is on record",
        )

    def agreements(
        self,
        partnership_id: UUID | str | None = None,
        *,
        conference_id: UUID | str | None = None,
        category: str | None = None,
        status: str | None = None,
        limit: int = DEFAULT_LIMIT,
        after: UUID | str | None = None,
    ) -> list[AgreementEntry]:
        """Signings by date, filtered by partnership, conference, category and status."""
        table = self._table("agreement_register")
        conditions = _Conditions(table, ("signed_on", "id"), "id", after and record_key(after, "after"))
        conditions.equal("partnership_id", partnership_id and record_key(partnership_id, "partnership"))
        conditions.equal("conference_id", conference_id and record_key(conference_id, "conference"))
        conditions.equal("category", _term(category, ProjectCategory, "category"))
        conditions.equal("status", _term(status, AgreementStatus, "status"))
        return self._documents(
            AgreementEntry,
            f"SELECT document FROM {table} {conditions.where} ORDER BY signed_on, id LIMIT ?",
            (*conditions.params, _limit(limit)),
        )

    def agreement(self, agreement_id: UUID | str) -> AgreementEntry:
        key = record_key(agreement_id)
        return self._one(
            AgreementEntry,
            f"SELECT document FROM {self._table('agreement_register')} WHERE id = ?",
            (key,),
            f"id: no agreement {key} is on record",
        )

    def cities(self, limit: int = DEFAULT_LIMIT, after: str | None = None) -> list[CityEntry]:
        """Cities by name; ``after`` is the key of the last city of the previous page."""
        table = self._table("city_directory")
        conditions = _Conditions(table, ("name", "key"), "key", after)
        return self._documents(
            CityEntry,
            f"SELECT document FROM {table} {conditions.where} ORDER BY name, key LIMIT ?",
            (*conditions.params, _limit(limit)),
        )

    def city(self, name: str) -> CityEntry:
        """The city of this name (any case), or of this key."""
        table = self._table("city_directory")
        found = self._documents(
            CityEntry,
            f"SELECT document FROM {table} WHERE name_folded = ? OR key = ? ORDER BY key",
            (folded(name.strip()), unicodedata.normalize("NFC", name.strip())),
        )
        if not found:
            raise NotFoundError(f"name: no city called {name!r} is on record")
        if len(found) > 1:
            keys = ", ".join(city.key for city in found)
            raise InvalidValueError("name", f"{len(found)} cities are called {name!r}; name one by its key: {keys}")
        return found[0]

    def timeline(
        self, partnership_id: UUID | str, *, limit: int | None = None, after: int | None = None
    ) -> list[TimelineEntry]:
        """A partnership's events in business-date order, all of them unless
        ``limit`` is given; ``after`` is the position of the last entry of the
        previous page."""
        summary = self.partnership(partnership_id)
        table = self._table("timeline")
        conditions = _Conditions(table, ("sorts_on", "position"), "position", after)
        conditions.equal("partnership_id", str(summary.id))
        if limit is not None:
            conditions.params.append(_limit(limit))
        return self._documents(
            TimelineEntry,
            f"SELECT document FROM {table} {conditions.where} ORDER BY sorts_on, position"
            + (" LIMIT ?" if limit is not None else ""),
            conditions.params,
        )


def record_key(value: UUID | str, field: str = "id") -> str:
    """A record id as the read models key it; ``field`` names it in the error if it is not an id."""
    try:
        return str(value if isinstance(value, UUID) else UUID(str(value)))
    except ValueError:
        raise InvalidValueError(field, f"{value!r} is not a valid id") from None


def _limit(limit: int) -> int:
    if limit < 1:
        raise InvalidValueError("limit", "must be at least 1")
    return limit


class _Conditions:
    """A WHERE clause built from the filters that were given."""

    def __init__(self, table: str, order: tuple[str, ...], key: str, after: object) -> None:
        self._clauses: list[str] = []
        self.params: list[Any] = []
        if after is not None:
            columns = ", ".join(order)
            self._clauses.append(f"({columns}) > (SELECT {columns} FROM {table} WHERE {key} = ?)")
            self.params.append(after)

    def equal(self, column: str, value: object) -> None:
        if value is not None:
            self._clauses.append(f"{column} = ?")
            self.params.append(value)

    @property
    def where(self) -> str:
        return f"WHERE {' AND '.join(self._clauses)}" if self._clauses else ""


def _term(value: str | None, vocabulary: type[ProjectCategory] | type[AgreementStatus], field: str) -> str | None:
    if value is None:
        return None
    term = str(normalise_term(value))
    if term not in {member.value for member in vocabulary}:
        raise InvalidValueError(field, f"{value!r} is not one of {', '.join(member.value for member in vocabulary)}")
    return term


__all__ = ["AgreementEntry", "CityEntry", "ConferenceEntry", "ReadModels", "TimelineEntry"]
