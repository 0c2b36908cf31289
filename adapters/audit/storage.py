"""The SQL that the audit needs and the library's recorders do not offer,
written once for both kinds of store over their ``StoreSQL``.

The audit reads the log as plain columns — no stored-event objects, no JSON —
so that checking every hash runs close to the speed at which the log can be
read at all. It also keeps the global chain (see ``global_chain``) in two
tables of its own beside the events: one row per log position, and one
tracking row holding the position and hash the chain has reached. Extending
the chain locks only that tracking row, so writers of events never wait for it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any, NamedTuple
from uuid import UUID

from ..storage.chain import GENESIS
from ..storage.recorded_times import RecordedTimes
from ..storage.sql import Cursor, RawEvent, StoreSQL

PAGE_SIZE = 5_000
GENESIS_BYTES = bytes.fromhex(GENESIS)


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


class Storage:
    """The audit's SQL for one store; each method takes the cursor to run it
    on, so that several can share one transaction (``writing``)."""

    page_size = PAGE_SIZE
    """Rows per read of the log or the chain's table."""

    def __init__(self, sql: StoreSQL) -> None:
        self.sql = sql
        self.events = sql.events
        self.chain = sql.tables.audit_chain
        self.tracking = sql.tables.audit_tracking
        self.position = sql.position
        self.identity = sql.identity
        self.mark = sql.mark
        self.to_identity = sql.to_identity
        self.recorded_times = RecordedTimes(sql)

    def reading(self) -> AbstractContextManager[Cursor]:
        """A cursor for reads; nothing it does is kept."""
        return self.sql.reading()

    def writing(self) -> AbstractContextManager[Cursor]:
        """A transaction that commits when the block ends without an error; on
        SQLite it takes the write lock first, so the reads in it see what the
        transaction will build on."""
        return self.sql.writing(lock=f"UPDATE {self.tracking} SET position = position WHERE id = 1")

    def create_tables(self) -> None:
        """The audit chain's tables, if they do not exist yet."""
        sql = self.sql
        sql.create_tables(
            [
                (
                    f"CREATE TABLE IF NOT EXISTS {self.chain} (position {sql.integer} PRIMARY KEY,"
                    f" event_hash {sql.blob} NOT NULL, chain_hash {sql.blob} NOT NULL)",
                    [],
                ),
                (
                    f"CREATE TABLE IF NOT EXISTS {self.tracking} (id {sql.small_integer} PRIMARY KEY CHECK (id = 1),"
                    f" position {sql.integer} NOT NULL, chain_hash {sql.blob} NOT NULL)",
                    [],
                ),
                (
                    f"INSERT INTO {self.tracking} VALUES (1, 0, {self.mark}) ON CONFLICT (id) DO NOTHING",
                    [GENESIS_BYTES],
                ),
            ],
            lock=self.chain,
        )

    def insert_events(self, c: Cursor, events: Sequence[RawEvent]) -> None:
        """Insert events at the positions they carry (``restore`` only), and
        their recorded times, one transaction each: an export keeps no more."""
        self.sql.insert_at_positions(c, events)
        self.recorded_times.fill(c)

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
            params.append(self.sql.record_param(record_id))
        if topics:
            condition, topic_params = self.sql.any_of(topics)
            conditions.append(f"topic {condition}")
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
            [self.sql.record_param(record_id)],
        )
        return [self.event(row) for row in c.fetchall()]

    def stored_state(self, c: Cursor, record_id: UUID, version: int) -> bytes | None:
        c.execute(
            f"SELECT state FROM {self.events} WHERE originator_id = {self.mark} AND originator_version = {self.mark}",
            [self.sql.record_param(record_id), version],
        )
        row = c.fetchone()
        return None if row is None else bytes(row[0])

    # The audit chain's tables -------------------------------------------------

    def chain_tracking(self, c: Cursor, *, lock: bool = False) -> tuple[int, bytes]:
        """The position and hash that the global chain has reached; ``lock``
        holds the tracking row until the transaction ends."""
        c.execute(f"SELECT position, chain_hash FROM {self.tracking} WHERE id = 1{self.sql.for_update if lock else ''}")
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


def storage_for(sql: StoreSQL) -> Storage:
    """The audit's SQL for a store; creates the audit tables."""
    storage = Storage(sql)
    if not sql.schema_ready:
        storage.create_tables()
    return storage
