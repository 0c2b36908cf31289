"""The read models as they stood at a position of the log, read from the
versions that the live projections keep (``versions.py``): a query, not a replay.

As of position P, each read model is the set of versions valid at P
(``valid_from <= P < valid_to``), which every query of ``ReadModels`` reads
as it reads the live table: the same filters, order and pages. A version's
document is the live row's (the current version), a document kept whole, or
a token naming the version, which is then rebuilt from the next version kept
whole (or the current one) and the patches between, in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson

from .catalogue import PROJECTIONS
from .database import ReadModelDatabase, Session
from .patches import patched
from .queries import M, ReadModels
from .registry import registrations
from .tables import Table, versions_of
from .versions import MAX_RUN

_TABLES = {table.name: table for projection in PROJECTIONS for table in projection.tables if table.public}
_TOKEN = "@"
"""How the document of a version kept as a patch starts: no JSON document does."""


class VersionedReadModels(ReadModels):
    """The read models as they stood at ``position``, which the live
    projections must have reached (``versions_reach``)."""

    def __init__(self, database: ReadModelDatabase, position: int) -> None:
        super().__init__(database, as_of=position)
        self._position = int(position)

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
            rows = session.rows(sql, params)
            documents = [_rebuilt(session, text) if text.startswith(_TOKEN) else text for (text,) in rows]
        return [model.model_validate_json(document) for document in documents]


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
    for projection_class in PROJECTIONS:
        registration = found.get(projection_class.name)
        if registration is None or registration.version != projection_class.version:
            return False
        tracking = projection_class(database, registration.generation).tracking_name
        if reached.get(tracking, 0) < position:
            return False
    return True
