"""Where the read models live: tables in the same database as the log (the
SQLite file, or the store's PostgreSQL schema), beside the tracking table of
the library's tracking recorder, so that each batch of events and its
tracking position commit in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, IntegrityError, Tracking, TrackingRecorder

from ..storage.sql import StoreSQL, sql_of
from ..storage.sqlite import SQLiteSQL


class Session:
    """One transaction on the read-model database; SQL is written with ``?``
    placeholders and runs on either database."""

    def __init__(self, database: ReadModelDatabase, cursor: Any) -> None:
        self.database = database
        self.cursor = database.sql.raw_cursor(cursor)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; returns the number of rows it changed."""
        self.cursor.execute(self.database.sql.dialect(sql), params)
        rowcount: int = self.cursor.rowcount
        return rowcount

    def insert(
        self, table: str, columns: Sequence[tuple[str, str]], rows: Sequence[Sequence[Any]], then: str = ""
    ) -> None:
        """Insert ``rows`` into ``table`` (quoted), whose ``columns`` are named
        with their SQL types, ``then`` ending the statement (``ON CONFLICT …``):
        in as few statements as the database takes."""
        if rows:
            head = f"INSERT INTO {table} ({', '.join(name for name, _ in columns)})"
            self.database.sql.insert_rows(self.cursor, head, [kind for _, kind in columns], rows, then)

    def update(self, table: str, columns: Sequence[tuple[str, str]], keys: int, rows: Sequence[Sequence[Any]]) -> None:
        """Set every column of ``columns`` (named with their SQL types) but the
        last ``keys``, in the rows of ``table`` (quoted) whose last ``keys``
        columns have the values given, a row's values each of ``rows``: in as
        few statements as the database takes. Each key once in ``rows``, each
        column's values of one Python type (``SQL.update_rows``)."""
        assert len({tuple(row[-keys:]) for row in rows}) == len(rows), "a key given twice"
        if rows:
            self.database.sql.update_rows(self.cursor, table, columns, keys, rows)

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.database.sql.rows(self.cursor, sql, params)

    def rows_in(self, sql: str, values: Sequence[Any], params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """``sql`` with ``{in}`` standing for "is one of ``values``", e.g.
        ``SELECT … WHERE id {in}``; ``params`` come after the values."""
        return self.database.sql.rows_in(self.cursor, sql, values, params)

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


class ReadModelDatabase(TrackingRecorder):
    """Where every citycoop projection keeps its tables and its position: the
    library's tracking recorder for the read models, and transactions on
    their database, whichever kind of store it is."""

    def __init__(self, sql: StoreSQL) -> None:
        self.sql = sql
        self._tracking = sql.tracking_recorder()
        self.tracking_table = sql.tables.projection_tracking
        self.notification_column = sql.position

    def table(self, name: str) -> str:
        """The quoted name of a table or view."""
        return self.sql.table(name)

    def create_table(self) -> None:
        """The library's tracking table, if it does not exist yet."""
        self._tracking.create_table()  # type: ignore[attr-defined]

    def insert_tracking(self, tracking: Tracking) -> None:
        self._tracking.insert_tracking(tracking)

    def max_tracking_id(self, application_name: str) -> int | None:
        return self._tracking.max_tracking_id(application_name)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A transaction that commits when the block ends without an error.

        Its commit need not wait for the disk: read models are derived, and a
        crash of the machine can only roll back their last batches together
        with the tracking positions of those batches, which are then applied
        again. (A killed process loses nothing either way.)
        """
        with self.sql.transaction(commit=True) as cursor:
            session = Session(self, cursor)
            self.sql.begin_writing(session.execute)
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only transaction: one consistent snapshot for several queries."""
        with self.sql.transaction(commit=False) as cursor:
            session = Session(self, cursor)
            self.sql.begin_reading(session.execute)
            yield session

    def positions(self) -> dict[str, int]:
        """Every tracking name with its position."""
        with self.reading() as session:
            return dict(session.rows(f"SELECT application_name, notification_id FROM {self.tracking_table}"))

    def count_after(self, position: int) -> int:
        """How many events of the log come after ``position``; the log can
        have gaps, so the head minus the position is not enough."""
        with self.reading() as session:
            [(count,)] = session.rows(
                f"SELECT COUNT(*) FROM {self.sql.events} WHERE {self.notification_column} > ?", (position,)
            )
        return int(count)

    def forget(self, session: Session, name: str) -> None:
        """Drop the tracking position of a projection generation that is gone."""
        session.execute(f"DELETE FROM {self.tracking_table} WHERE application_name = ?", (name,))


def database_for(recorder: ApplicationRecorder) -> ReadModelDatabase:
    """The read-model database beside an application's log: the same SQLite
    file (through connections of its own) or the same PostgreSQL schema."""
    database = ReadModelDatabase(sql_of(recorder).for_read_models())
    database.create_table()
    return database


def scratch_database() -> ReadModelDatabase:
    """A read-model database in a throwaway SQLite file of its own, deleted
    once the database is garbage collected (or the process exits)."""
    database = ReadModelDatabase(SQLiteSQL.scratch())
    database.create_table()
    return database
