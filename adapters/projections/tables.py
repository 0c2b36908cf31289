"""The read-model tables a projection owns: one JSON document per row beside
the few columns that queries filter and sort on, which are derived from the
document (``Table``); what a batch does with their rows is in ``documents``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Document = dict[str, Any]


@dataclass(frozen=True)
class Table:
    """A table a projection owns. Readers see public tables through a view
    named ``name``; the rows live in ``<name>_g<generation>``, so a rebuild
    can fill new tables while readers keep using the old ones."""

    name: str
    key: tuple[str, str]
    """The primary key column and its type."""
    columns: tuple[tuple[str, str], ...] = ()
    """Columns beside the document, for filtering and sorting."""
    index: Callable[[Document], tuple[Any, ...]] = lambda _: ()
    """The values of ``columns`` for a document."""
    indexes: tuple[str, ...] = ()
    """Column lists that readers filter and sort on. A rebuild creates these
    indexes only when it is done, just before readers switch to its tables:
    one sort at the end costs far less than keeping them up to date row by row."""
    lookups: tuple[str, ...] = ()
    """Column lists that the projection itself looks rows up by, so indexed from the start."""
    public: bool = True
    """Read by readers through a view, now and as of any position of the
    past: a public table keeps every version of its rows (``versions``)."""
    cached: bool = True
    """Keep rows in memory from batch to batch: worth it for rows that many
    events change (a partnership's summary), not for rows written once."""

    def physical(self, generation: int) -> str:
        return f"{self.name}_g{generation}"

    def physicals(self, generation: int) -> dict[str, str]:
        """Each view readers query, with the table of ``generation`` it shows."""
        physical = self.physical(generation)
        if not self.public:
            return {}
        return {self.name: physical, versions_of(self.name): versions_of(physical)}

    def create_statements(self, generation: int, quote: Callable[[str], str]) -> list[str]:
        """The tables, with the indexes the projection needs while it fills them."""
        physical = self.physical(generation)
        key = self.key[0]
        columns = ", ".join(f"{name} {kind}" for name, kind in (self.key, *self.columns))
        version_columns = [
            " ".join(self.key),
            "valid_from BIGINT NOT NULL",
            "valid_to BIGINT NOT NULL",
            *(f"{name} {kind}" for name, kind in self.columns),
            "delta INTEGER NOT NULL",
            "body TEXT",
        ]
        if not self.public:
            return [
                f"CREATE TABLE {quote(physical)} ({columns}, document TEXT NOT NULL, PRIMARY KEY ({key}))",
                *self._index_statements(physical, "l", self.lookups, quote),
            ]
        return [
            f"CREATE TABLE {quote(physical)} ({columns}, document TEXT NOT NULL,"
            f" valid_from BIGINT NOT NULL, run INTEGER NOT NULL, PRIMARY KEY ({key}))",
            *self._index_statements(physical, "l", self.lookups, quote),
            f"CREATE TABLE {quote(versions_of(physical))} ({', '.join(version_columns)},"
            f" PRIMARY KEY ({key}, valid_from))",
        ]

    def index_statements(self, generation: int, quote: Callable[[str], str]) -> list[str]:
        """The indexes readers need: on the versions too, each followed by the
        span of positions a version is valid for, so that a query of the past
        filters them in the index."""
        physical = self.physical(generation)
        statements = self._index_statements(physical, "i", self.indexes, quote)
        if self.public:
            spans = tuple(f"{indexed}, valid_from, valid_to" for indexed in self.indexes)
            statements += self._index_statements(versions_of(physical), "i", spans, quote)
        return statements

    @staticmethod
    def _index_statements(
        physical: str, prefix: str, indexes: tuple[str, ...], quote: Callable[[str], str]
    ) -> list[str]:
        return [
            f"CREATE INDEX IF NOT EXISTS {physical}_{prefix}{number} ON {quote(physical)} ({indexed})"
            for number, indexed in enumerate(indexes)
        ]


def versions_of(table: str) -> str:
    """The name of the table (or view) that holds every version of ``table``'s rows."""
    return f"{table}_versions"


def set_path(document: Document, path: str, value: Any) -> None:
    """Set the field that the dotted ``path`` names; a mapping given for a
    mapping updates it, so fields the correction does not state are kept."""
    *parents, last = path.split(".")
    for name in parents:
        document = document[name]
    current = document.get(last)
    document[last] = {**current, **value} if isinstance(current, dict) and isinstance(value, dict) else value
