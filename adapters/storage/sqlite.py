"""The SQLite store: the library's application recorder with the one gap that
projections need closed, its recorded times kept, and the store's SQL
(``sql.StoreSQL``).

SQLite cannot push new events, so the library's recorder refuses to
subscribe; ours polls instead, which lets projections follow an SQLite store.
Each append also writes its row of ``recorded_times``, and the first the audit
key check, in its transaction.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from functools import cached_property
from threading import Event, Thread
from typing import Any
from uuid import UUID

from eventsourcing.persistence import (
    ApplicationRecorder,
    ListenNotifySubscription,
    Notification,
    StoredEvent,
    Subscription,
    TrackingRecorder,
)
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore, SQLiteTrackingRecorder
from eventsourcing.sqlite import SQLiteFactory as LibrarySQLiteFactory

from .key_check import create_key_check_table, note_key_check
from .recorded_times import RecordedTimes
from .sql import REGISTRY_TABLE, WAKE_SECONDS, Cursor, HasSQL, RawEvent, StoreSQL, Tables, chunks
from .sqlite_datastores import ReadModelDatastore, discard, scratch_datastore

POLL_INTERVAL_SECONDS = 0.05
IDS_PER_QUERY = 400
"""Two parameters per id stay below SQLite's oldest limit of 999 variables."""
MAX_VARIABLES = 500


class PollingSubscription(ListenNotifySubscription[ApplicationRecorder]):
    """Wakes the library's pull loop every 50 ms instead of on a notification."""

    def __init__(self, recorder: ApplicationRecorder, gt: int | None = None, topics: Sequence[str] = ()) -> None:
        self._stopped = Event()
        super().__init__(recorder=recorder, gt=gt, topics=topics)
        self._poll_thread = Thread(target=self._poll, daemon=True)
        self._poll_thread.start()

    def stop(self) -> None:
        self._stopped.set()
        super().stop()

    def _poll(self) -> None:
        while not self._stopped.wait(POLL_INTERVAL_SECONDS):
            self._has_been_notified.set()


class SQLiteFactory(LibrarySQLiteFactory):
    """The library's factory, creating no table when the store has them all
    (``StoreSQL.check_schema``); an older store's recorded times are still filled.
    Only the log's and the snapshots' recorders are made through it: a
    tracking recorder made here when the schema is ready would skip the
    creation that reads its table's migration state (the read models make
    theirs with ``StoreSQL.tracking_recorder`` and create it always)."""

    @cached_property
    def schema_ready(self) -> bool:
        return SQLiteSQL(self.datastore).check_schema()

    def env_create_table(self) -> bool:
        return super().env_create_table() and not self.schema_ready

    def application_recorder(self) -> ApplicationRecorder:
        recorder = super().application_recorder()
        if self.schema_ready and isinstance(recorder, SQLiteRecorder):
            recorder.sql.schema_ready = True
            recorder.recorded_times.fill_if_behind()
        return recorder


class SQLiteRecorder(SQLiteApplicationRecorder, HasSQL):
    def create_table(self) -> None:
        super().create_table()
        self.recorded_times.create()
        create_key_check_table(self.sql)

    def _insert_events(self, c: Any, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        ids = super()._insert_events(c, stored_events, **kwargs)
        if ids:
            # The write lock is held since the first insert, so the last row read is the previous transaction's.
            self.recorded_times.append(c, ids[-1], (event.state for event in stored_events))
            if self.key_check is not None:
                note_key_check(self.sql, c, self.key_check, ids[0])
        return ids

    @cached_property
    def recorded_times(self) -> RecordedTimes:
        return RecordedTimes(self.sql)

    def subscribe(self, gt: int | None = None, topics: Sequence[str] = ()) -> Subscription[ApplicationRecorder]:
        return PollingSubscription(recorder=self, gt=gt, topics=topics)

    @cached_property
    def sql(self) -> SQLiteSQL:
        return SQLiteSQL(self.datastore, self.events_table_name)


class SQLiteSQL(StoreSQL):
    kind = "sqlite"
    position = "rowid"
    identity = "originator_id"
    mark = "?"
    integer = small_integer = "INTEGER"
    blob = "BLOB"
    clustered = " WITHOUT ROWID"
    greatest = "MAX"
    for_update = ""
    holds = "instr({0}, {1}) > 0"
    tables = Tables(
        audit_chain="audit_chain",
        audit_tracking="audit_chain_tracking",
        projection_tracking="tracking",
        recorded_times="recorded_times",
        audit_key_check="audit_key_check",
    )

    def __init__(self, datastore: SQLiteDatastore, events_table: str = "stored_events") -> None:
        self.datastore = datastore
        self._events_table = events_table
        self.events = self.table(events_table)

    @classmethod
    def scratch(cls) -> SQLiteSQL:
        """A throwaway database in a temporary file of its own (``scratch_datastore``),
        deleted once it is garbage collected (or the process exits)."""
        datastore, folder = scratch_datastore()
        scratch = cls(datastore)
        weakref.finalize(scratch, discard, datastore, folder)
        return scratch

    def table_names(self) -> list[str]:
        return [self._events_table, "stored_snapshots", *self.tables, REGISTRY_TABLE]

    def counting_tables(self, names: Sequence[str]) -> tuple[str, list[object]]:
        return f"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ({_marks(names)})", list(names)

    # The log's own connections ------------------------------------------------

    @contextmanager
    def reading(self) -> Iterator[Cursor]:
        with self.datastore.transaction(commit=False) as c:
            cursor = c.sqlite_cursor
            cursor.row_factory = None
            yield cursor

    @contextmanager
    def writing(self, *, lock: str | None = None) -> Iterator[Cursor]:
        with self.datastore.transaction(commit=True) as c:
            cursor = c.sqlite_cursor
            cursor.row_factory = None
            if lock is not None:
                cursor.execute(lock)
            yield cursor

    def appending(self) -> AbstractContextManager[Cursor]:
        # Any write takes the file's write lock, which every append holds.
        return self.writing(lock=f"UPDATE {self.tables.recorded_times} SET position = position WHERE 0")

    def table(self, name: str) -> str:
        return f'"{name}"'

    def record_param(self, record_id: UUID) -> object:
        return record_id.hex

    def to_identity(self, column: Any) -> bytes:
        return bytes.fromhex(column)

    def any_of(self, values: Sequence[object]) -> tuple[str, list[object]]:
        return f"IN ({', '.join('?' * len(values))})", list(values)

    def create_tables(self, statements: Sequence[tuple[str, Sequence[object]]], *, lock: str) -> None:
        # One statement at a time, each its own transaction: one that read the
        # schema and then wrote could not wait for a concurrent writer, it would fail.
        with self.datastore.get_connection(commit=True) as connection:
            c = connection.cursor()
            for statement, params in statements:
                c.execute(statement, params)

    def insert_at_positions(self, c: Cursor, events: Sequence[RawEvent]) -> None:
        c.executemany(
            f"INSERT INTO {self.events} (rowid, originator_id, originator_version, topic, state)"
            " VALUES (?, ?, ?, ?, ?)",
            [(e.position, e.identity.hex(), e.version, e.topic, e.state) for e in events],
        )

    # Many records at once -----------------------------------------------------

    def existing_ids(self, ids: Collection[UUID]) -> set[UUID]:
        rows = self._rows_by_id(
            ids,
            lambda chunk: (
                f"SELECT originator_id FROM {self._events_table}"
                f" WHERE originator_version = 1 AND originator_id IN ({_marks(chunk)})",
                [record_id.hex for record_id in chunk],
            ),
        )
        return {UUID(row[0]) for row in rows}

    def latest_of_each(self, ids: Collection[UUID], *, table: str | None = None) -> dict[UUID, StoredEvent]:
        # SQLite returns the other columns from the row that has the maximum.
        rows = self._rows_by_id(
            ids,
            lambda chunk: (
                "SELECT originator_id, MAX(originator_version), topic, state"
                f" FROM {table or self._events_table} WHERE originator_id IN ({_marks(chunk)}) GROUP BY originator_id",
                [record_id.hex for record_id in chunk],
            ),
        )
        return {UUID(row[0]): StoredEvent(UUID(row[0]), row[1], row[2], bytes(row[3])) for row in rows}

    def events_after(self, after: Mapping[UUID, int]) -> list[StoredEvent]:
        rows = self._rows_by_id(
            list(after),
            lambda chunk: (
                f"SELECT originator_id, originator_version, topic, state FROM {self._events_table} WHERE "
                + " OR ".join(["(originator_id = ? AND originator_version > ?)"] * len(chunk))
                + " ORDER BY originator_id, originator_version",
                [value for record_id in chunk for value in (record_id.hex, after[record_id])],
            ),
        )
        return [StoredEvent(UUID(row[0]), row[1], row[2], bytes(row[3])) for row in rows]

    def notifications_of(self, ids: Collection[UUID], *, upto: int) -> list[Notification]:
        rows = self._rows_by_id(
            ids,
            lambda chunk: (
                f"SELECT rowid, originator_id, originator_version, topic, state FROM {self._events_table}"
                f" WHERE originator_id IN ({_marks(chunk)}) AND rowid <= ?",
                [*(record_id.hex for record_id in chunk), upto],
            ),
        )
        return sorted(
            (
                Notification(
                    id=row[0], originator_id=UUID(row[1]), originator_version=row[2], topic=row[3], state=bytes(row[4])
                )
                for row in rows
            ),
            key=lambda notification: notification.id,
        )

    def _rows_by_id(self, ids: Collection[UUID], query: Any) -> list[Any]:
        """``query(chunk)`` gives the statement and parameters for one chunk of ids."""
        rows: list[Any] = []
        if not ids:
            return rows
        with self.datastore.transaction(commit=False) as cursor:
            for chunk in chunks(list(ids), IDS_PER_QUERY):
                cursor.execute(*query(chunk))
                rows += cursor.fetchall()
        return rows

    # The read models' connections ------------------------------------------

    def for_read_models(self) -> SQLiteSQL:
        pool = self.datastore.pool
        sql = SQLiteSQL(ReadModelDatastore(pool.db_name, lock_timeout=pool.lock_timeout), self._events_table)
        sql.schema_ready = self.schema_ready
        return sql

    def close_read_models(self) -> None:
        if isinstance(self.datastore, ReadModelDatastore):
            self.datastore.close()

    def tracking_recorder(self) -> TrackingRecorder:
        return SQLiteTrackingRecorder(self.datastore)

    def transaction(self, *, commit: bool) -> Any:
        return self.datastore.transaction(commit=commit)

    def raw_cursor(self, cursor: Any) -> Any:
        return cursor.sqlite_cursor

    def dialect(self, sql: str) -> str:
        return sql

    def rows(self, cursor: Any, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]

    def rows_in(self, cursor: Any, sql: str, values: Sequence[Any], params: Sequence[Any]) -> list[tuple[Any, ...]]:
        found = []
        for chunk in chunks(list(values), MAX_VARIABLES):
            found += self.rows(cursor, sql.replace("{in}", f"IN ({','.join('?' * len(chunk))})"), [*chunk, *params])
        return found

    def begin_writing(self, execute: Callable[[str], object]) -> None:
        # Take the write lock now, waiting for it as long as the lock timeout
        # allows: SQLite's BEGIN defers it, and a transaction that read first
        # and only then writes fails at once if another process wrote meanwhile.
        execute(f"UPDATE {self.tables.projection_tracking} SET notification_id = notification_id WHERE 0")

    def begin_reading(self, execute: Callable[[str], object]) -> None:
        """Nothing: in WAL mode a transaction reads one snapshot from its first read on."""

    # Following the log and creating tables -----------------------------------

    @contextmanager
    def news(self, stop: Event) -> Iterator[Callable[[int], None]]:
        def poll(position: int) -> None:
            waited = 0.0
            while waited < WAKE_SECONDS and not stop.wait(POLL_INTERVAL_SECONDS):
                waited += POLL_INTERVAL_SECONDS
                if self._head() > position:
                    return

        yield poll

    def _head(self) -> int:
        with self.reading() as c:
            c.execute(f"SELECT MAX(rowid) FROM {self.events}")
            value: int | None = c.fetchone()[0]
        return value or 0

    @contextmanager
    def creating_tables(self) -> Iterator[None]:
        # SQLite's DDL is serialised by its write lock, and the one race left
        # (the library's tracking table) is retried where it is created.
        yield


def _marks(chunk: Sequence[object]) -> str:
    return ",".join("?" * len(chunk))
