"""What differs between the two kinds of store, said once.

Every store is an SQLite file or a PostgreSQL schema, and the decision which
is made once, where the store is opened: ``StoreLocation`` names the
library's factory and our recorder class for it (``sqlite.SQLiteRecorder``
or ``postgres.PostgresRecorder``), and that recorder carries the store's
``StoreSQL``. Everything above asks it, so no other module looks at which
kind of store it runs on: the log read as columns (the audit), many records
read at once (imports), the read models' own transactions (projections),
waiting for news of the log (followers) and creating tables in turn.

SQL is written with ``?`` placeholders and passed through ``dialect``, or
with ``mark`` where a statement is assembled anyway.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from threading import Event
from typing import Any, ClassVar, NamedTuple, Protocol
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, Notification, StoredEvent, TrackingRecorder

WAKE_SECONDS = 1.0
"""Even when told nothing, a follower looks at the log this often."""
REGISTRY_TABLE = "citycoop_projections"
"""The read models' registry of generations (``projections.registry``)."""


class Cursor(Protocol):
    """What both sqlite3's and psycopg's cursors offer."""

    def execute(self, query: Any, params: Any = ..., /) -> Any: ...

    def executemany(self, query: Any, params_seq: Any, /) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def fetchone(self) -> Any: ...


class RawEvent(NamedTuple):
    """One row of the log: ``identity`` is the record id's 16 bytes, ``state``
    the stored bytes with their chain hash."""

    position: int
    identity: bytes
    version: int
    topic: str
    state: bytes


class Tables(NamedTuple):
    """Where a store keeps what is not the library's: names as the store
    spells them (SQLite ignores the application's name, PostgreSQL prefixes it)."""

    audit_chain: str
    audit_tracking: str
    projection_tracking: str
    recorded_times: str
    audit_key_check: str


class StoreSQL(ABC):
    """One store's database, and the SQL that differs between SQLite and PostgreSQL."""

    kind: ClassVar[str]
    """``sqlite`` or ``postgresql``."""
    position: ClassVar[str]
    """The column that holds an event's position in the log."""
    identity: ClassVar[str]
    """An expression for the record id's 16 bytes."""
    mark: ClassVar[str]
    """The parameter placeholder."""
    integer: ClassVar[str]
    small_integer: ClassVar[str]
    blob: ClassVar[str]
    """Column types."""
    clustered: ClassVar[str]
    """What ends a CREATE TABLE so that its rows are kept in its key's order
    (SQLite's WITHOUT ROWID), where the store can."""
    greatest: ClassVar[str]
    """The function that returns the greater of two values."""
    holds: ClassVar[str]
    """A condition that a blob column ``{0}`` holds the bytes ``{1}``."""
    for_update: ClassVar[str]
    """What locks the rows a SELECT reads until the transaction ends (SQLite
    locks the whole file for a writing transaction already)."""
    tables: Tables
    events: str
    """The log's table, quoted."""
    schema_ready: bool = False
    """Every table that opening the store creates is known to be there
    (``check_schema``), so that it creates none: the library's and ours are
    otherwise created with ``IF NOT EXISTS`` at each opening, a transaction
    (and on PostgreSQL a round trip and a lock) for each."""

    def check_schema(self) -> bool:
        """Whether every table of the store exists, with the global chain's
        tracking row (written after its table, so a store left half made is
        made again): one read of the catalogue. Sets ``schema_ready``."""
        names = self.table_names()
        with self.reading() as c:
            c.execute(*self.counting_tables(names))
            ready = bool(c.fetchone()[0] == len(names))
            if ready:
                c.execute(f"SELECT 1 FROM {self.tables.audit_tracking} WHERE id = 1")
                ready = c.fetchone() is not None
        self.schema_ready = ready
        return ready

    @abstractmethod
    def table_names(self) -> list[str]:
        """The unquoted names of the tables that opening the store creates:
        the log, the snapshots, the read models' tracking and registry, and ours."""

    @abstractmethod
    def counting_tables(self, names: Sequence[str]) -> tuple[str, list[object]]:
        """A query, and its parameters, of how many of the named tables the store has."""

    # The log's own connections: driver cursors, rows as tuples -------------

    @abstractmethod
    def reading(self) -> AbstractContextManager[Cursor]:
        """A cursor for reads; nothing it does is kept."""

    @abstractmethod
    def writing(self, *, lock: str | None = None) -> AbstractContextManager[Cursor]:
        """A transaction that commits when the block ends without an error.
        ``lock``: on SQLite, a statement run first that takes the write lock,
        so that what the transaction reads is what it builds on (SQLite's BEGIN
        defers the lock; PostgreSQL locks the rows it updates as it goes)."""

    @abstractmethod
    def appending(self) -> AbstractContextManager[Cursor]:
        """A transaction that holds the lock under which events are appended,
        so that no event is appended until it ends."""

    @abstractmethod
    def table(self, name: str) -> str:
        """The quoted name of a table or view of this store."""

    @abstractmethod
    def record_param(self, record_id: UUID) -> object:
        """A record id as the events table stores it."""

    @abstractmethod
    def to_identity(self, column: Any) -> bytes:
        """The record id's 16 bytes, from what the ``identity`` expression returns."""

    @abstractmethod
    def any_of(self, values: Sequence[object]) -> tuple[str, list[object]]:
        """``IN (…)``, as the right-hand side of a condition, and its parameters."""

    @abstractmethod
    def create_tables(self, statements: Sequence[tuple[str, Sequence[object]]], *, lock: str) -> None:
        """Run ``CREATE … IF NOT EXISTS`` statements (and inserts of first rows),
        each with its parameters, so that processes starting together take
        turns; ``lock`` names what they create."""

    @abstractmethod
    def insert_at_positions(self, c: Cursor, events: Sequence[RawEvent]) -> None:
        """Insert events at the positions they carry (restoring an export)."""

    # Many records at once --------------------------------------------------

    @abstractmethod
    def existing_ids(self, ids: Collection[UUID]) -> set[UUID]:
        """Which of ``ids`` name a record on file (every record has a version 1)."""

    @abstractmethod
    def latest_of_each(self, ids: Collection[UUID], *, table: str | None = None) -> dict[UUID, StoredEvent]:
        """The stored event of highest version of each of ``ids`` that has one,
        in the log or in another of the library's tables (the snapshots)."""

    @abstractmethod
    def events_after(self, after: Mapping[UUID, int]) -> list[StoredEvent]:
        """The events of each record in ``after`` whose version is above the
        one given for it, ordered by record and then by version."""

    def records_created_with(self, topic: str, fragment: bytes) -> set[UUID]:
        """The records whose first event has ``topic`` and whose stored state
        holds the bytes ``fragment``. A scan of the log, for the rare question
        that no index answers, such as which conferences a partnership has."""
        with self.reading() as c:
            c.execute(
                self.dialect(
                    f"SELECT originator_id FROM {self.events}"
                    f" WHERE originator_version = 1 AND topic = ? AND {self.holds.format('state', '?')}"
                ),
                [topic, fragment],
            )
            return {UUID(str(row[0])) for row in c.fetchall()}

    @abstractmethod
    def notifications_of(self, ids: Collection[UUID], *, upto: int) -> list[Notification]:
        """Every event of these records up to position ``upto``, in log order."""

    # The read models' connections ------------------------------------------

    @abstractmethod
    def for_read_models(self) -> StoreSQL:
        """This database as the read models use it: on SQLite, through
        connections of their own that commit without waiting for the disk."""

    @abstractmethod
    def close_read_models(self) -> None:
        """Close the connections that ``for_read_models`` opened of its own, if any."""

    @abstractmethod
    def tracking_recorder(self) -> TrackingRecorder:
        """The library's tracking recorder for the read models' positions."""

    @abstractmethod
    def transaction(self, *, commit: bool) -> AbstractContextManager[Any]:
        """A transaction of the library's, giving its cursor."""

    def raw_cursor(self, cursor: Any) -> Any:
        """The driver's own cursor inside the library's cursor."""
        return cursor

    @abstractmethod
    def dialect(self, sql: str) -> str:
        """``sql`` written with ``?`` placeholders, as this database wants it."""

    @abstractmethod
    def rows(self, cursor: Any, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]: ...

    def insert_rows(
        self, cursor: Any, head: str, types: Sequence[str], rows: Sequence[Sequence[Any]], tail: str = ""
    ) -> None:
        """Insert ``rows`` with ``head`` (``INSERT INTO t (a, b)``) and ``tail``
        (``ON CONFLICT …``, or nothing), the columns of the SQL ``types``: a statement a row.

        Each key appears once in ``rows`` and each column's values are of one
        Python type: PostgreSQL sends each column as one array, which cannot mix
        types, and an ``ON CONFLICT DO UPDATE`` fails on a key given twice."""
        cursor.executemany(self.dialect(f"{head} VALUES ({', '.join('?' * len(types))}){tail}"), rows)

    def update_rows(
        self, cursor: Any, table: str, columns: Sequence[tuple[str, str]], keys: int, rows: Sequence[Sequence[Any]]
    ) -> None:
        """Set every column of ``columns`` (named with their SQL types) but the
        last ``keys``, in the rows of ``table`` (quoted) whose last ``keys``
        columns have the values given: each of ``rows`` holds the values of
        ``columns`` in order.

        Each key appears once in ``rows`` and each column's values are of one
        Python type: PostgreSQL updates from one array a column, which cannot
        mix types, and from an arbitrary one of the rows of a key given twice."""
        assignments = ", ".join(f"{name} = ?" for name, _ in columns[:-keys])
        condition = " AND ".join(f"{name} = ?" for name, _ in columns[-keys:])
        cursor.executemany(self.dialect(f"UPDATE {table} SET {assignments} WHERE {condition}"), rows)

    @abstractmethod
    def rows_in(self, cursor: Any, sql: str, values: Sequence[Any], params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """``sql`` with ``{in}`` standing for "is one of ``values``"."""

    @abstractmethod
    def begin_writing(self, execute: Callable[[str], object]) -> None:
        """What a transaction of the read models that will write does first."""

    @abstractmethod
    def begin_reading(self, execute: Callable[[str], object]) -> None:
        """What a transaction of the read models that only reads does first,
        so that every statement in it sees the same snapshot."""

    # Following the log and creating tables ----------------------------------

    @abstractmethod
    def news(self, stop: Event) -> AbstractContextManager[Callable[[int], None]]:
        """A function that returns when the log may have grown past a position."""

    @abstractmethod
    def creating_tables(self) -> AbstractContextManager[None]:
        """Hold the store's table-creation lock while creating tables."""


class HasSQL(ABC):
    """Our recorders, which carry their store's SQL."""

    key_check: bytes | None = None
    """The audit key check of the application's chain, written with the first
    events appended (``key_check.note_key_check``)."""

    @property
    @abstractmethod
    def sql(self) -> StoreSQL: ...


def sql_of(recorder: ApplicationRecorder) -> StoreSQL:
    """The SQL of the store behind an application's recorder."""
    if not isinstance(recorder, HasSQL):
        raise TypeError(f"citycoop needs its SQLite or PostgreSQL recorder, not {type(recorder).__name__}")
    return recorder.sql


def chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
