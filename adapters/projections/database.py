"""Where the read models live: tables in the same database as the log (the
SQLite file, or the store's PostgreSQL schema), written by the library's
tracking recorders so that each batch of events and its tracking position
commit in one transaction.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, Tracking, TrackingRecorder
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore, PostgresTrackingRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder, SQLiteDatastore, SQLiteTrackingRecorder
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

POSTGRES_TRACKING_TABLE = "citycoop_projection_tracking"
_SQLITE_MAX_VARIABLES = 500


class Session:
    """One transaction on the read-model database; SQL is written with ``?``
    placeholders and runs on either database."""

    def __init__(self, database: ReadModelDatabase, cursor: Any) -> None:
        self.database = database
        self.tracking_cursor = cursor
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

    def track(self, name: str, position: int) -> None:
        """Record that the projection tracked as ``name`` has applied the log up
        to ``position``; raises IntegrityError if it had got further already."""
        self.database.insert_tracking_in(self.tracking_cursor, Tracking(name, position))


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

    @abstractmethod
    def insert_tracking_in(self, cursor: Any, tracking: Tracking) -> None: ...

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
        """A transaction that commits when the block ends without an error."""
        with self.cursor_in_transaction(commit=True) as cursor:
            yield Session(self, cursor)

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

    def insert_tracking_in(self, cursor: Any, tracking: Tracking) -> None:
        self._insert_tracking(cursor, tracking)

    def cursor_in_transaction(self, *, commit: bool) -> Any:
        return self.datastore.transaction(commit=commit)

    @property
    def tracking_table(self) -> str:
        return "tracking"


class PostgresReadModelDatabase(ReadModelDatabase, PostgresTrackingRecorder):
    datastore: PostgresDatastore
    notification_column = "notification_id"

    def events_table(self, recorder: ApplicationRecorder) -> str:
        assert isinstance(recorder, PostgresApplicationRecorder)
        return self.table(recorder.events_table_name)

    def table(self, name: str) -> str:
        return SQL("{}.{}").format(Identifier(self.datastore.schema), Identifier(name)).as_string()

    def dialect(self, sql: str) -> str:
        return sql.replace("?", "%s")

    def rows(self, cursor: Any, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        with cursor.connection.cursor(row_factory=tuple_row) as tuples:
            tuples.execute(self.dialect(sql), params)
            return list(tuples.fetchall())

    def rows_in(self, cursor: Any, sql: str, values: Sequence[Any], params: Sequence[Any]) -> list[tuple[Any, ...]]:
        if not values:
            return []
        return self.rows(cursor, sql.replace("{in}", "= ANY(?)"), [list(values), *params])

    def insert_tracking_in(self, cursor: Any, tracking: Tracking) -> None:
        self._insert_tracking(cursor, tracking)

    def cursor_in_transaction(self, *, commit: bool) -> Any:
        return self.datastore.transaction(commit=commit)

    @property
    def tracking_table(self) -> str:
        return self.table(self.tracking_table_name)


def database_for(recorder: ApplicationRecorder) -> ReadModelDatabase:
    """The read-model database beside an application's log, sharing its connections."""
    database: ReadModelDatabase
    if isinstance(recorder, PostgresApplicationRecorder):
        database = PostgresReadModelDatabase(recorder.datastore, tracking_table_name=POSTGRES_TRACKING_TABLE)
    elif isinstance(recorder, SQLiteApplicationRecorder):
        database = SQLiteReadModelDatabase(recorder.datastore)
    else:
        msg = f"projections need an SQLite or PostgreSQL store, not {type(recorder).__name__}"
        raise TypeError(msg)
    database.create_table()
    return database


def in_memory_database(name: str) -> SQLiteReadModelDatabase:
    """A throwaway SQLite database in this process's memory, named so that the
    pool's connections share it."""
    database = SQLiteReadModelDatabase(SQLiteDatastore(f"file:{name}?mode=memory&cache=shared"))
    database.create_table()
    return database
