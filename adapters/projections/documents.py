"""The rows of a read-model table that a batch reads and writes, once per batch.

A batch loads the rows its events touch, changes them in memory and writes
each changed row once, so a thousand events on one partnership cost one write.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import orjson

from .database import Session
from .document_cache import DocumentCache
from .patches import dump
from .tables import Document, Table, versions_of
from .versions import Version, VersionLog


class Documents:
    """The rows of one table that a batch reads and changes."""

    def __init__(
        self, session: Session, table: Table, generation: int, cache: DocumentCache | None, *, versions: bool = True
    ) -> None:
        self._session = session
        self._table = table
        self._name = session.database.table(table.physical(generation))
        self._kept = cache or DocumentCache()
        self._cache = self._kept.rows
        self._stored = self._kept.stored
        self._changed: dict[Any, Document] = {}
        self._touched: set[Any] = set()
        self._numbers = {name: number for number, (name, _) in enumerate(table.columns)}
        self._put: list[Any] = []
        """The keys of the rows put since the last flush, in order."""
        self._found: dict[tuple[str, ...], tuple[dict[tuple[Any, ...], list[Any]], list[int]]] = {}
        """For each list of columns ``where`` was asked about: the rows put since
        the last flush by their values there, and how many of ``_put`` that covers."""
        self._asked: set[int] = set()
        """The numbers of the columns ``where`` was asked about since the last flush."""
        self.versions = (
            VersionLog(
                session, table, session.database.table(versions_of(table.physical(generation))), self._kept.versions
            )
            if table.public and versions
            else None
        )
        """The versions this batch makes of the rows, if the table keeps them."""

    def prefetch(self, keys: Iterable[Any]) -> None:
        """Load the rows of ``keys`` with one query."""
        missing = list({key for key in keys if key is not None and key not in self._cache})
        if not missing:
            return
        for key in missing:
            self._cache[key] = None
        key = self._table.key[0]
        spans = ", valid_from, run" if self.versions else ""
        rows = self._session.rows_in(f"SELECT {key}, document{spans} FROM {self._name} WHERE {key} {{in}}", missing)
        for key, document, *span in rows:
            self._cache[key] = loaded = orjson.loads(document)
            self._stored[key] = indexed = self._table.index(loaded)
            self._kept.used(key, len(document))
            if span:
                valid_from, run = span
                self._kept.versions[key] = Version(valid_from, run, indexed, True, document, None, len(document))

    def get(self, key: Any) -> Document | None:
        if key not in self._cache:
            self.prefetch((key,))
        return self._cache[key]

    def __getitem__(self, key: Any) -> Document:
        document = self.get(key)
        if document is None:
            raise KeyError(key)
        return document

    def put(self, key: Any, document: Document) -> None:
        """Keep ``document`` as the row of ``key``, to be written at the end of the batch."""
        self._cache[key] = document
        self._changed[key] = document
        self._touched.add(key)
        self._put.append(key)

    def changed(self, key: Any) -> Document:
        """The row of ``key``, marked to be written: change it in place."""
        document = self[key]
        self._changed[key] = document
        self._touched.add(key)
        return document

    def cut(self, position: int) -> None:
        """Make the rows that the event at ``position`` touched new versions, if they changed."""
        if self.versions is not None:
            for key in self._touched:
                document = self._cache[key]
                assert document is not None
                self.versions.cut(key, document, position)
        self._touched.clear()

    def where(self, **columns: Any) -> list[Document]:
        """Every row with these column values, this batch's changes included.

        Only columns that a row keeps from the moment it is put may be asked
        about (a record's partnership, an entry's record and version), so that
        the table holds the right values for every row written, and rows put
        since are found by the values they were put with: a lookup writes
        nothing. (Writing the batch so far before each lookup, as a query of
        the table alone would need, took a tenth of a rebuild.) The flush fails
        if an asked-about column changed in the batch, in a row put since the
        lookup or in one written before."""
        names = tuple(columns)
        self._asked.update(self._numbers[name] for name in names)
        values = tuple(columns.values())
        condition = " AND ".join(f"{column} = ?" for column in names)
        rows = self._session.rows(f"SELECT {self._table.key[0]} FROM {self._name} WHERE {condition}", values)
        keys = dict.fromkeys(key for (key,) in rows)
        keys.update(dict.fromkeys(self._put_where(names).get(values, ())))
        return [self[key] for key in keys]

    def _put_where(self, names: tuple[str, ...]) -> dict[tuple[Any, ...], list[Any]]:
        """The rows put since the last flush, by their values in columns ``names``."""
        found, covered = self._found.setdefault(names, ({}, [0]))
        numbers = [self._numbers[name] for name in names]
        for key in self._put[covered[0] :]:
            indexed = self._table.index(self._cache[key])  # type: ignore[arg-type]
            found.setdefault(tuple(indexed[number] for number in numbers), []).append(key)
        covered[0] = len(self._put)
        return found

    def flush(self) -> None:
        """Write the changed rows. An existing row gets only the columns whose
        values changed: SQLite updates every index on a column that an UPDATE
        sets, even to the value it had."""
        if self.versions is not None:
            self.versions.flush()
        self._check_found()
        asked, self._asked = self._asked, set()
        if not self._changed:
            return
        key = self._table.key[0]
        spans = ("valid_from", "run") if self._table.public else ()
        upserts, updates = [], defaultdict(list)
        # In key order, so that each page of the table is visited once per batch.
        for row_key, document in sorted(self._changed.items()):
            # No version when the table keeps none or the batch makes none (a replay).
            version = self._kept.versions.get(row_key)
            span = (version.valid_from, version.run) if version else (0, 0) if spans else ()
            # A row is spelled as the version its last event cut, if that one is spelled out.
            if version is not None and version.text is not None:
                text = version.text
            else:
                text = dump(document)
                if version is not None:
                    version.text, version.size = text, len(text)
            indexed = self._table.index(document)
            stored = self._stored.get(row_key)
            if stored is None:
                upserts.append((row_key, *indexed, text, *span))
            else:
                changed = tuple(number for number, value in enumerate(indexed) if value != stored[number])
                if asked.intersection(changed):
                    raise AssertionError(f"{self._table.name} {row_key}: a looked-up column changed in the batch")
                updates[changed].append((*(indexed[number] for number in changed), text, *span, row_key))
            self._stored[row_key] = indexed
            self._kept.used(row_key, len(text))
        span_columns = (("valid_from", "BIGINT"), ("run", "INTEGER")) if spans else ()
        for changed, rows in updates.items():
            assigned = [*(self._table.columns[number] for number in changed), ("document", "TEXT"), *span_columns]
            self._session.update(self._name, [*assigned, self._table.key], 1, rows)
        columns = [self._table.key, *self._table.columns, ("document", "TEXT"), *span_columns]
        assignments = ", ".join(f"{name} = excluded.{name}" for name, _ in columns[1:])
        self._session.insert(self._name, columns, upserts, f" ON CONFLICT ({key}) DO UPDATE SET {assignments}")
        self._changed.clear()

    def _check_found(self) -> None:
        """Fail loudly if a row put since the last flush no longer has the
        values ``where`` found it by, which the table must not miss."""
        for names, (found, _) in self._found.items():
            numbers = [self._numbers[name] for name in names]
            for values, keys in found.items():
                for key in keys:
                    indexed = self._table.index(self._cache[key])  # type: ignore[arg-type]
                    if tuple(indexed[number] for number in numbers) != values:
                        msg = f"{self._table.name} {key}: columns {names} changed after the row was put"
                        raise AssertionError(msg)
        self._put.clear()
        self._found.clear()
