"""The SQL that the audit needs and the library's recorders do not offer, for
SQLite and (in ``postgres_storage``) for PostgreSQL.

The audit reads the log as plain columns — no stored-event objects, no JSON —
so that checking every hash runs close to the speed at which the log can be
read at all. It also keeps the global chain (see ``global_chain``) in two
tables of its own beside the events: one row per log position, and one
tracking row holding the position and hash the chain has reached. Extending
the chain locks only that tracking row, so writers of events never wait for it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any, NamedTuple, Protocol
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder

from ..storage.chain import GENESIS
from ..storage.postgres_types import is_postgres_application_recorder

PAGE_SIZE = 5_000
GENESIS_BYTES = bytes.fromhex(GENESIS)


class RawEvent(NamedTuple):
    """One row of the log: ``identity`` is the record id's 16 bytes, ``state``
    the stored bytes with their chain hash."""

    position: int
    identity: bytes
    version: int
    topic: str
    state: bytes


Row = tuple[int, Any, int, str, bytes]
"""A row of the log as the driver returns it: a ``RawEvent`` whose record id
is still in the store's spelling (``Storage.to_identity`` makes it 16 bytes).
Reading the whole log, building no object per row counts."""


class ChainRow(NamedTuple):
    position: int
    event_hash: bytes
    chain_hash: bytes


SealedRow = tuple[int, bytes, bytes]
"""A row of the global chain's table as the driver returns it: position, event hash, chain hash."""


class Cursor(Protocol):
    """What both sqlite3's and psycopg's cursors offer."""

    def execute(self, query: Any, params: Any = ..., /) -> Any: ...

    def executemany(self, query: Any, params_seq: Any, /) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def fetchone(self) -> Any: ...


class Storage(ABC):
    """SQL for one store; each method takes the cursor to run it on, so that
    several can share one transaction (``writing``)."""

    events: str
    chain: str
    tracking: str
    position: str
    """The column that holds an event's position in the log."""
    identity: str
    """An expression for the record id's 16 bytes."""
    mark: str
    """The parameter placeholder."""
    page_size = PAGE_SIZE
    """Rows per read of the log or the chain's table."""

    @abstractmethod
    def reading(self) -> AbstractContextManager[Cursor]:
        """A cursor for reads; nothing it does is kept."""

    @abstractmethod
    def writing(self) -> AbstractContextManager[Cursor]:
        """A transaction that commits when the block ends without an error."""

    @abstractmethod
    def record_param(self, record_id: UUID) -> object:
        """A record id as the events table stores it."""

    @abstractmethod
    def topics_condition(self, topics: Sequence[str]) -> tuple[str, list[object]]:
        """A condition that the topic is one of ``topics``, and its parameters."""

    @abstractmethod
    def to_identity(self, column: Any) -> bytes:
        """The record id's 16 bytes, from what the ``identity`` expression returns."""

    @abstractmethod
    def create_tables(self) -> None:
        """The audit chain's tables, if they do not exist yet."""

    @abstractmethod
    def insert_events(self, c: Cursor, events: Sequence[RawEvent]) -> None:
        """Insert events at the positions they carry (``restore`` only)."""

    # The log ----------------------------------------------------------------

    def head(self, c: Cursor) -> int:
        c.execute(f"SELECT MAX({self.position}) FROM {self.events}")
        value: int | None = c.fetchone()[0]
        return value or 0

    def count(self, c: Cursor) -> int:
        c.execute(f"SELECT COUNT(*) FROM {self.events}")
        value: int = c.fetchone()[0]
        return value

    def rows(
        self,
        c: Cursor,
        *,
        after: int,
        stop: int | None = None,
        limit: int = PAGE_SIZE,
        record_id: UUID | None = None,
        topics: Sequence[str] = (),
    ) -> list[Row]:
        """Up to ``limit`` rows after position ``after`` (up to ``stop``), in log order."""
        m = self.mark
        conditions = [f"{self.position} > {m}"]
        params: list[object] = [after]
        if stop is not None:
            conditions.append(f"{self.position} <= {m}")
            params.append(stop)
        if record_id is not None:
            conditions.append(f"originator_id = {m}")
            params.append(self.record_param(record_id))
        if topics:
            condition, topic_params = self.topics_condition(topics)
            conditions.append(condition)
            params.extend(topic_params)
        c.execute(
            f"SELECT {self.position}, {self.identity}, originator_version, topic, state FROM {self.events}"
            f" WHERE {' AND '.join(conditions)} ORDER BY {self.position} LIMIT {m}",
            [*params, limit],
        )
        return c.fetchall()

    def row_pages(self, *, after: int = 0, stop: int | None = None, **filters: Any) -> Iterator[list[Row]]:
        """The log after ``after`` up to ``stop``, a page of rows at a time."""
        while True:
            with self.reading() as c:
                page = self.rows(c, after=after, stop=stop, limit=self.page_size, **filters)
            if not page:
                return
            yield page
            after = page[-1][0]

    def pages(self, *, after: int = 0, stop: int | None = None, **filters: Any) -> Iterator[list[RawEvent]]:
        """The log after ``after`` up to ``stop``, a page of events at a time."""
        for page in self.row_pages(after=after, stop=stop, **filters):
            yield [self.event(row) for row in page]

    def event(self, row: Row) -> RawEvent:
        return RawEvent(row[0], self.to_identity(row[1]), row[2], row[3], bytes(row[4]))

    def record_events(self, c: Cursor, record_id: UUID) -> list[RawEvent]:
        """Every event of one record, in version order."""
        c.execute(
            f"SELECT {self.position}, {self.identity}, originator_version, topic, state FROM {self.events}"
            f" WHERE originator_id = {self.mark} ORDER BY originator_version",
            [self.record_param(record_id)],
        )
        return [self.event(row) for row in c.fetchall()]

    def stored_state(self, c: Cursor, record_id: UUID, version: int) -> bytes | None:
        c.execute(
            f"SELECT state FROM {self.events} WHERE originator_id = {self.mark} AND originator_version = {self.mark}",
            [self.record_param(record_id), version],
        )
        row = c.fetchone()
        return None if row is None else bytes(row[0])

    # The audit chain's tables -------------------------------------------------

    def chain_tracking(self, c: Cursor, *, lock: bool = False) -> tuple[int, bytes]:
        """The position and hash that the global chain has reached; ``lock``
        holds the tracking row until the transaction ends."""
        c.execute(f"SELECT position, chain_hash FROM {self.tracking} WHERE id = 1{' FOR UPDATE' if lock else ''}")
        row = c.fetchone()
        return (0, GENESIS_BYTES) if row is None else (row[0], bytes(row[1]))

    def set_chain_tracking(self, c: Cursor, position: int, chain_hash: bytes) -> None:
        c.execute(
            f"UPDATE {self.tracking} SET position = {self.mark}, chain_hash = {self.mark} WHERE id = 1",
            [position, chain_hash],
        )

    def chain_page(self, c: Cursor, *, after: int, limit: int = PAGE_SIZE) -> list[SealedRow]:
        c.execute(
            f"SELECT position, event_hash, chain_hash FROM {self.chain}"
            f" WHERE position > {self.mark} ORDER BY position LIMIT {self.mark}",
            [after, limit],
        )
        return c.fetchall()

    def chain_pages(self, *, after: int = 0) -> Iterator[list[SealedRow]]:
        while True:
            with self.reading() as c:
                page = self.chain_page(c, after=after, limit=self.page_size)
            if not page:
                return
            yield page
            after = page[-1][0]

    def chain_hash_at(self, c: Cursor, position: int) -> bytes | None:
        """The global chain's hash as sealed at ``position``, if a row is there."""
        c.execute(f"SELECT chain_hash FROM {self.chain} WHERE position = {self.mark}", [position])
        row = c.fetchone()
        return None if row is None else bytes(row[0])

    def sealed_positions(self, c: Cursor, *, after: int, upto: int) -> list[int]:
        c.execute(
            f"SELECT position FROM {self.chain} WHERE position > {self.mark} AND position <= {self.mark}"
            " ORDER BY position",
            [after, upto],
        )
        return [int(row[0]) for row in c.fetchall()]

    def append_chain(self, c: Cursor, rows: Sequence[ChainRow]) -> None:
        m = self.mark
        c.executemany(f"INSERT INTO {self.chain} (position, event_hash, chain_hash) VALUES ({m}, {m}, {m})", rows)

    def sealed_position_of(self, c: Cursor, event_hash: bytes) -> int | None:
        """Where the chain sealed the event with this hash (a full scan: asked
        only to explain a finding)."""
        c.execute(f"SELECT position FROM {self.chain} WHERE event_hash = {self.mark}", [event_hash])
        row = c.fetchone()
        return None if row is None else int(row[0])


class SQLiteStorage(Storage):
    position = "rowid"
    identity = "originator_id"
    mark = "?"

    def __init__(self, recorder: SQLiteApplicationRecorder) -> None:
        self._datastore = recorder.datastore
        self.events = recorder.events_table_name
        self.chain = "audit_chain"
        self.tracking = "audit_chain_tracking"

    @contextmanager
    def reading(self) -> Iterator[Cursor]:
        with self._datastore.transaction(commit=False) as c:
            cursor = c.sqlite_cursor
            cursor.row_factory = None
            yield cursor

    @contextmanager
    def writing(self) -> Iterator[Cursor]:
        with self._datastore.transaction(commit=True) as c:
            cursor = c.sqlite_cursor
            cursor.row_factory = None
            # Take the write lock first, so the reads below see what the
            # transaction will build on; SQLite's default BEGIN defers it.
            cursor.execute(f"UPDATE {self.tracking} SET position = position WHERE id = 1")
            yield cursor

    def record_param(self, record_id: UUID) -> object:
        return record_id.hex

    def topics_condition(self, topics: Sequence[str]) -> tuple[str, list[object]]:
        return f"topic IN ({', '.join('?' * len(topics))})", list(topics)

    def to_identity(self, column: Any) -> bytes:
        return bytes.fromhex(column)

    def chain_tracking(self, c: Cursor, *, lock: bool = False) -> tuple[int, bytes]:
        # SQLite locks the whole file for a writing transaction already.
        return super().chain_tracking(c, lock=False)

    def create_tables(self) -> None:
        # One statement at a time, each its own transaction: one that read the
        # schema and then wrote could not wait for a concurrent writer, it would fail.
        with self._datastore.get_connection(commit=True) as connection:
            c = connection.cursor()
            c.execute(
                f"CREATE TABLE IF NOT EXISTS {self.chain} ("
                "position INTEGER PRIMARY KEY, event_hash BLOB NOT NULL, chain_hash BLOB NOT NULL)"
            )
            c.execute(
                f"CREATE TABLE IF NOT EXISTS {self.tracking} ("
                "id INTEGER PRIMARY KEY CHECK (id = 1), position INTEGER NOT NULL, chain_hash BLOB NOT NULL)"
            )
            c.execute(f"INSERT OR IGNORE INTO {self.tracking} VALUES (1, 0, ?)", [GENESIS_BYTES])

    def insert_events(self, c: Cursor, events: Sequence[RawEvent]) -> None:
        c.executemany(
            f"INSERT INTO {self.events} (rowid, originator_id, originator_version, topic, state)"
            " VALUES (?, ?, ?, ?, ?)",
            [(e.position, e.identity.hex(), e.version, e.topic, e.state) for e in events],
        )


def storage_for(recorder: ApplicationRecorder) -> Storage:
    """The audit's SQL for the store behind ``recorder``; creates the audit tables."""
    storage: Storage
    if isinstance(recorder, SQLiteApplicationRecorder):
        storage = SQLiteStorage(recorder)
    elif is_postgres_application_recorder(recorder):
        from .postgres_storage import PostgresStorage  # noqa: PLC0415 - PostgreSQL stores only

        storage = PostgresStorage(recorder)
    else:
        raise TypeError(f"no audit storage for {type(recorder).__name__}")
    storage.create_tables()
    return storage
