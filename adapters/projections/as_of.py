"""The read models as they stood at a position of the log, read from the
versions that the live projections keep (``versions.py``): a query, not a replay.

As of position P, each read model is the set of versions valid at P
(``valid_from <= P < valid_to``), which every query of ``ReadModels`` reads
as it reads the live table: the same filters, order and pages. A version's
document is the live row's (the current version), a document kept whole, or
a token naming the version, which is then rebuilt from the next version kept
whole (or the current one) and the patches between, in the same transaction.

Each query first checks, in its own transaction, that every generation the
views show is of the current version and has reached P: a rebuild may switch
readers to a generation still a few events behind P at any moment after the
caller's own look (``versions_reach``). If one has not, the query is answered
by the replay the caller gives instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import wraps
from typing import Any

import orjson

from ..storage.sql import REGISTRY_TABLE
from .catalogue import PROJECTIONS
from .database import ReadModelDatabase, Session
from .patches import patched
from .queries import M, ReadModels
from .registry import registrations
from .tables import Table, versions_of
from .versions import MAX_RUN

_TABLES = {table.name: table for projection in PROJECTIONS for table in projection.tables if table.public}
_VIEWS = [view for table in _TABLES.values() for view in (table.name, versions_of(table.name))]
_TOKEN = "@"
"""How the document of a version kept as a patch starts: no JSON document does."""


class _GenerationsBehindError(Exception):
    """A generation the views show has not reached the position asked for."""


class VersionedReadModels(ReadModels):
    """The read models as they stood at ``position``, read from the versions
    while the generations readers see have reached it, else from ``replay``."""

    def __init__(self, database: ReadModelDatabase, position: int, replay: Callable[[], ReadModels]) -> None:
        super().__init__(database, as_of=position)
        self._position = int(position)
        self._replay = replay

    def _table(self, name: str) -> str:
        table = _TABLES[name]
        key, columns = table.key[0], "".join(f", v.{column}" for column, _ in table.columns)
        current, versions = self._database.table(name), self._database.table(versions_of(name))
        at = self._position
        return (
            f"(SELECT v.{key}{columns},"
            f" CASE WHEN v.body IS NULL THEN (SELECT c.document FROM {current} c WHERE c.{key} = v.{key})"
            f" WHEN v.delta = 0 THEN v.body"
            f" ELSE '{_TOKEN}{name} ' || v.valid_from || ' ' || v.{key} END AS document"
            f" FROM {versions} v WHERE v.valid_from <= {at} AND v.valid_to > {at}) AS as_of"
        )

    def _documents(self, model: type[M], sql: str, params: Sequence[Any] = ()) -> list[M]:
        with self._database.reading() as session:
            if not _shown_reach(session, self._position):
                raise _GenerationsBehindError
            rows = session.rows(sql, params)
            documents = [_rebuilt(session, text) if text.startswith(_TOKEN) else text for (text,) in rows]
        return [model.model_validate_json(document) for document in documents]


def _or_replayed(query: Callable[..., Any]) -> Callable[..., Any]:
    """``query``, asked of the replay when the versions have not reached the position."""

    @wraps(query)
    def answered(self: VersionedReadModels, *args: Any, **kwargs: Any) -> Any:
        try:
            return query(self, *args, **kwargs)
        except _GenerationsBehindError:
            return getattr(self._replay(), query.__name__)(*args, **kwargs)

    return answered


for _name, _query in vars(ReadModels).items():
    if callable(_query) and not _name.startswith("_"):
        setattr(VersionedReadModels, _name, _or_replayed(_query))


def _shown_reach(session: Session, position: int) -> bool:
    """Whether every generation the views show is registered at its current
    version and tracked at ``position`` or beyond, as this transaction sees them.

    The registry and the views change in one transaction (``registry.switch``):
    on SQLite the transaction's snapshot shows both as they were together. On
    PostgreSQL the transaction reads one snapshot too (``reading`` asks for
    repeatable read), but a view is resolved against the catalogue as it is
    when a statement starts; naming every view here takes a lock on each,
    before this statement's snapshot, that a switch must wait for until this
    transaction ends, so the query that follows reads the generations seen here.
    """
    database = session.database
    held = " UNION ALL ".join(f"SELECT 1 FROM {database.table(view)}" for view in _VIEWS)
    # The tracking name of a generation is ReadModelProjection.tracking_name.
    rows = session.rows(
        f"SELECT r.name, r.version, t.notification_id FROM {database.table(REGISTRY_TABLE)} r"
        f" LEFT JOIN {database.tracking_table} t ON t.application_name = r.name || '@' || r.generation"
        f" WHERE NOT EXISTS (SELECT 1 FROM ({held}) AS held WHERE 1 = 0)"
    )
    return _reached({name: (version, reached or 0) for name, version, reached in rows}, position)


def _reached(found: Mapping[str, tuple[int, int]], position: int) -> bool:
    """Whether every projection, by name with its registered version and
    tracked position (``found``), is at its current version and at ``position``."""
    for projection_class in PROJECTIONS:
        version, reached = found.get(projection_class.name, (None, 0))
        if version != projection_class.version or reached < position:
            return False
    return True


def _rebuilt(session: Session, token: str) -> str:
    """The document of the version that ``token`` names, rebuilt from the
    version after it that is kept whole and the patches down to it."""
    name, valid_from, key = token[len(_TOKEN) :].split(" ", 2)
    table: Table = _TABLES[name]
    column = table.key[0]
    row_key: Any = int(key) if table.key[1] == "BIGINT" else key
    database = session.database
    # At most MAX_RUN patches in a row, then a version kept whole or the current one.
    rows = session.rows(
        f"SELECT delta, body FROM {database.table(versions_of(name))}"
        f" WHERE {column} = ? AND valid_from >= ? ORDER BY valid_from LIMIT {MAX_RUN + 1}",
        (row_key, int(valid_from)),
    )
    patches = []
    for delta, body in rows:
        if body is None:
            [(text,)] = session.rows(f"SELECT document FROM {database.table(name)} WHERE {column} = ?", (row_key,))
            break
        if not delta:
            text = body
            break
        patches.append(body)
    else:
        raise AssertionError(f"{token}: no version kept whole within {MAX_RUN} patches")
    document = orjson.loads(text)
    for patch in reversed(patches):
        document = patched(document, orjson.loads(patch))
    return orjson.dumps(document).decode()


def versions_reach(database: ReadModelDatabase, position: int) -> bool:
    """Whether the live read models keep versions and have reached ``position``,
    so that ``VersionedReadModels`` answer as of it (a store written by an
    earlier release keeps none until its projections are rebuilt)."""
    with database.reading() as session:
        found = registrations(session)
    reached = database.positions()
    tracked = {
        cls.name: (registration.version, reached.get(cls(database, registration.generation).tracking_name, 0))
        for cls in PROJECTIONS
        if (registration := found.get(cls.name)) is not None
    }
    return _reached(tracked, position)
