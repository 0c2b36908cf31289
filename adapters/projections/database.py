"""Where the read models live: tables in the same database as the log (the
SQLite file, or the store's PostgreSQL schema), beside the tracking table of
the library's tracking recorder, so that each batch of events and its
tracking position commit in one transaction.
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, IntegrityError, TrackingRecorder
from eventsourcing.sqlite import (
    SQLiteApplicationRecorder,
    SQLiteConnection,
    SQLiteConnectionPool,
    SQLiteDatastore,
    SQLiteTrackingRecorder,
)

from ..storage.postgres_types import is_postgres_application_recorder

_SQLITE_MAX_VARIABLES = 500
_SQLITE_CACHE_KIB = 16 * 1024
_SQLITE_CHECKPOINT_PAGES = 16_384


class Session:
    """One transaction on the read-model database; SQL is written with ``?``
    placeholders and runs on either database."""

    def __init__(self, database: ReadModelDatabase, cursor: Any) -> None:
        self.database = database
        self.cursor = database.raw_cursor(cursor)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; returns the number of rows it changed."""
        self.cursor.execute(self.database.dialect(sql), params)
        rowcount: int = self.cursor.rowcount
        return rowcount

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self.cursor.executemany(self.database.dialect(sql), rows)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.database.rows(self.cursor, sql, params)

    def rows_in(self, sql: str, values: Sequence[Any], params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """``sql`` with ``{in}`` standing for "is one of ``values``", e.g.
        ``SELECT … WHERE id {in}``; ``params`` come after the values."""
        return self.database.rows_in(self.cursor, sql, values, params)

    def track(self, name: str, expected: int, position: int) -> None:
        """Move the projection tracked as ``name`` from ``expected`` to
        ``position``; raises IntegrityError if it is no longer at ``expected``.

        Comparing with the position the batch started from (rather than only
        refusing to go backwards) is what keeps two runners with different
        batch boundaries from applying the same events twice. On PostgreSQL
        the update locks the row, so a second runner waits, then fails.
        """
        if expected == 0:
            self.execute(f"INSERT INTO {self.database.tracking_table} VALUES (?, ?)", (name, position))
        elif not self.execute(
            f"UPDATE {self.database.tracking_table} SET notification_id = ?"
            " WHERE application_name = ? AND notification_id = ?",
            (position, name, expected),
        ):
            msg = f"{name} is no longer at position {expected}: another runner got there first"
            raise IntegrityError(msg)


class ReadModelDatabase(TrackingRecorder, ABC):
    """The view of every citycoop projection: the library's tracking recorder
    for one database, plus the little SQL that differs between the two."""

    @abstractmethod
    def table(self, name: str) -> str:
        """The quoted name of a table or view."""

    @abstractmethod
    def dialect(self, sql: str) -> str:
        """``sql`` written with ``?`` placeholders, as this database wants it."""

    @abstractmethod
    def rows(self, cursor: Any, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]: ...

    @abstractmethod
    def rows_in(self, cursor: Any, sql: str, values: Sequence[Any], params: Sequence[Any]) -> list[tuple[Any, ...]]: ...

    def raw_cursor(self, cursor: Any) -> Any:
        """The driver's own cursor inside the library's cursor."""
        return cursor

    @abstractmethod
    def cursor_in_transaction(self, *, commit: bool) -> Any:
        """A context manager giving a cursor in a new transaction."""

    @property
    @abstractmethod
    def tracking_table(self) -> str: ...

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A transaction that commits when the block ends without an error.

        Its commit need not wait for the disk: read models are derived, and a
        crash of the machine can only roll back their last batches together
        with the tracking positions of those batches, which are then applied
        again. (A killed process loses nothing either way.)
        """
        with self.cursor_in_transaction(commit=True) as cursor:
            session = Session(self, cursor)
            self.begin_writing(session)
            yield session

    def begin_writing(self, session: Session) -> None:
        """What a transaction that will write does first."""

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only transaction: one consistent snapshot for several queries."""
        with self.cursor_in_transaction(commit=False) as cursor:
            yield Session(self, cursor)

    def positions(self) -> dict[str, int]:
        """Every tracking name with its position."""
        with self.reading() as session:
            return dict(session.rows(f"SELECT application_name, notification_id FROM {self.tracking_table}"))

    def count_after(self, recorder: ApplicationRecorder, position: int) -> int:
        """How many events of ``recorder``'s log come after ``position``; the
        log can have gaps, so the head minus the position is not enough."""
        with self.reading() as session:
            [(count,)] = session.rows(
                f"SELECT COUNT(*) FROM {self.events_table(recorder)} WHERE {self.notification_column} > ?",
                (position,),
            )
        return int(count)

    @abstractmethod
    def events_table(self, recorder: ApplicationRecorder) -> str: ...

    notification_column: str

    def forget(self, session: Session, name: str) -> None:
        """Drop the tracking position of a projection generation that is gone."""
        session.execute(f"DELETE FROM {self.tracking_table} WHERE application_name = ?", (name,))


class SQLiteReadModelDatabase(ReadModelDatabase, SQLiteTrackingRecorder):
    datastore: SQLiteDatastore
    notification_column = "rowid"

    def events_table(self, recorder: ApplicationRecorder) -> str:
        assert isinstance(recorder, SQLiteApplicationRecorder)
        return self.table(recorder.events_table_name)

    def table(self, name: str) -> str:
        return f'"{name}"'

    def dialect(self, sql: str) -> str:
        return sql

    def raw_cursor(self, cursor: Any) -> Any:
        return cursor.sqlite_cursor

    def rows(self, cursor: Any, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        cursor.execute(sql, params)
        return [tuple(row) for row in cursor.fetchall()]

    def rows_in(self, cursor: Any, sql: str, values: Sequence[Any], params: Sequence[Any]) -> list[tuple[Any, ...]]:
        found = []
        for start in range(0, len(values), _SQLITE_MAX_VARIABLES):
            chunk = list(values[start : start + _SQLITE_MAX_VARIABLES])
            found += self.rows(cursor, sql.replace("{in}", f"IN ({','.join('?' * len(chunk))})"), [*chunk, *params])
        return found

    def cursor_in_transaction(self, *, commit: bool) -> Any:
        return self.datastore.transaction(commit=commit)

    def begin_writing(self, session: Session) -> None:
        # Take the write lock now, waiting for it as long as the lock timeout
        # allows: SQLite's BEGIN defers it, and a transaction that read first
        # and only then writes fails at once if another process wrote meanwhile.
        session.execute(f"UPDATE {self.tracking_table} SET notification_id = notification_id WHERE 0")

    @property
    def tracking_table(self) -> str:
        return "tracking"


def database_for(recorder: ApplicationRecorder) -> ReadModelDatabase:
    """The read-model database beside an application's log: the same SQLite
    file (through connections of its own) or the same PostgreSQL schema."""
    database: ReadModelDatabase
    if is_postgres_application_recorder(recorder):
        from .postgres_database import POSTGRES_TRACKING_TABLE, PostgresReadModelDatabase  # noqa: PLC0415 - psycopg for PostgreSQL stores only

        database = PostgresReadModelDatabase(recorder.datastore, tracking_table_name=POSTGRES_TRACKING_TABLE)
    elif isinstance(recorder, SQLiteApplicationRecorder):
        pool = recorder.datastore.pool
        database = SQLiteReadModelDatabase(_ReadModelDatastore(pool.db_name, lock_timeout=pool.lock_timeout))
    else:
        msg = f"projections need an SQLite or PostgreSQL store, not {type(recorder).__name__}"
        raise TypeError(msg)
    database.create_table()
    return database


class _ReadModelPool(SQLiteConnectionPool):
    def _create_connection(self) -> SQLiteConnection:
        connection = super()._create_connection()
        with connection.cursor() as cursor:
            # In WAL mode, NORMAL commits without waiting for the disk (see
            # ReadModelDatabase.transaction); SQLite only takes it outside a
            # transaction, hence connections of the read models' own. Only
            # checkpoints wait for the disk then: one after every batch
            # (SQLite's default, once the log holds 4 MiB) cost a rebuild more
            # time than its writes did. A page cache of 16 MiB was as fast as
            # one of 64 MiB or 1 GiB, with far less memory.
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute(f"PRAGMA cache_size = -{_SQLITE_CACHE_KIB}")
            cursor.execute(f"PRAGMA wal_autocheckpoint = {_SQLITE_CHECKPOINT_PAGES}")
        return connection


class _ReadModelDatastore(SQLiteDatastore):
    def __init__(self, db_name: str, *, lock_timeout: int | None) -> None:
        super().__init__(db_name, lock_timeout=lock_timeout)
        self.pool = _ReadModelPool(db_name=db_name, lock_timeout=lock_timeout)


def scratch_database() -> SQLiteReadModelDatabase:
    """A throwaway SQLite database in a temporary file of its own, deleted
    once the database is garbage collected (or the process exits).

    A file, not memory: its page cache is bounded, so building read models
    aside over a long log takes no more memory than over a short one (an
    in-memory database took 5.7 times as much at 1M events as at 100k).
    """
    folder = tempfile.mkdtemp(prefix="citycoop-read-models-")
    datastore = _ReadModelDatastore(str(Path(folder) / "read-models.db"), lock_timeout=None)
    database = SQLiteReadModelDatabase(datastore)
    weakref.finalize(database, _discard, datastore, folder)
    database.create_table()
    return database


def _discard(datastore: SQLiteDatastore, folder: str) -> None:
    datastore.close()
    shutil.rmtree(folder, ignore_errors=True)
