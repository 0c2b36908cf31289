"""Every version of a public read model's rows, each valid from the position
of the event that made it up to the position of the event that changed it next.

A table's versions live beside it in ``<table>_versions``, one row per
version with the columns readers filter and sort on, so that the register as
it stood at any position is a query (``as_of.py``) rather than a replay. The
current version's row has no body: its document is the table's own, so a row
that never changes (most of the timeline) costs its columns only. An older
version's body is the patch (``patches.py``) that turns the version after it
back into it, or, every ``MAX_RUN`` versions (and whenever the patch would be
no shorter), the whole document: a reader applies at most ``MAX_RUN`` patches.

Versions are cut after every event, not once per batch, so that the versions
are the same whatever the batches were, and exact at every position.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import orjson

from .patches import advance, dump, patched

if TYPE_CHECKING:
    from .database import Session
    from .tables import Document, Table

FOREVER = 2**62
"""The end of the span of a version still current."""
MAX_RUN = 32
"""Patches in a row at most before a version is kept whole."""


@dataclass(slots=True)
class Version:
    """The current version of one row, as the batch knows it."""

    valid_from: int
    run: int
    """Versions just before this one kept as patches, since the last kept whole."""
    indexed: tuple[Any, ...]
    stored: bool
    """Its row is in the versions table already (made by an earlier batch)."""
    text: str | None
    """Its spelling, where known: as read, as written, or as first cut."""
    copy: Document | None
    """A copy of its document (parsed from ``text`` when first needed), which
    the next version is compared with and which then becomes that version."""
    size: int
    """The length of its spelling when last known: how long a patch may be
    before the version is better kept whole."""


class VersionLog:
    """The versions that one batch makes of one table's rows, written with the
    batch: the rows of versions it made, and the end of the span (and the
    patch) of each version that was current when it began."""

    def __init__(self, session: Session, table: Table, name: str, kept: dict[Any, Version]) -> None:
        self._session = session
        self._table = table
        self._name = name
        self.kept = kept
        self._ended: list[tuple[Any, ...]] = []
        """(valid_to, delta, body, key, valid_from) of versions made before this batch that it ended."""
        self._made: list[tuple[Any, ...]] = []
        """Rows of the versions made by this batch."""
        self._fresh: set[Any] = set()

    def cut(self, key: Any, document: Document, position: int) -> None:
        """Make ``document`` the version of ``key`` from ``position`` on, if it
        differs from the current one."""
        current = self.kept.get(key)
        if current is None:
            text = dump(document)
            self.kept[key] = Version(position, 0, self._table.index(document), False, text, None, len(text))
            self._fresh.add(key)
            return
        assert current.text is not None or current.copy is not None
        older = current.copy if current.copy is not None else orjson.loads(current.text or "")
        whole = None
        if current.run >= MAX_RUN:
            whole = current.text if current.text is not None else dump(older)
        patch, copy = advance(older, document)
        current.copy = copy
        if patch is None:
            return
        body = dump(patch)
        if whole is None and len(body) >= current.size:
            # Seldom: most of the document changed. The older version, spelled out again.
            whole = dump(patched(orjson.loads(dump(copy)), patch))
        delta, run = (0, 0) if whole is not None else (1, current.run + 1)
        body = whole if whole is not None else body
        if current.stored:
            self._ended.append((position, delta, body, key, current.valid_from))
        else:
            self._made.append((key, current.valid_from, position, *current.indexed, delta, body))
        self.kept[key] = Version(position, run, self._table.index(document), False, None, copy, current.size)
        self._fresh.add(key)

    def flush(self) -> None:
        """Write the versions made since the last flush."""
        for row_key in self._fresh:
            version = self.kept[row_key]
            self._made.append((row_key, version.valid_from, FOREVER, *version.indexed, 0, None))
            version.stored = True
        ended = [
            ("valid_to", "BIGINT"),
            ("delta", "INTEGER"),
            ("body", "TEXT"),
            self._table.key,
            ("valid_from", "BIGINT"),
        ]
        self._session.update(self._name, ended, 2, sorted(self._ended, key=lambda row: (row[3], row[4])))
        columns = [
            self._table.key,
            ("valid_from", "BIGINT"),
            ("valid_to", "BIGINT"),
            *self._table.columns,
            ("delta", "INTEGER"),
            ("body", "TEXT"),
        ]
        self._session.insert(self._name, columns, sorted(self._made, key=lambda row: (row[0], row[1])))
        self._ended.clear()
        self._made.clear()
        self._fresh.clear()
