"""A PostgreSQL store's SQL (see ``sql.StoreSQL``): tables in the store's
schema, psycopg's binary tuple cursors for reading the log as columns, and
LISTEN/NOTIFY for news of it. Imported only by a process that opened a
PostgreSQL store."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from threading import Event, RLock
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification, StoredEvent, TrackingRecorder
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Composed, Identifier

from .sql import REGISTRY_TABLE, WAKE_SECONDS, Cursor, RawEvent, StoreSQL, Tables, chunks

IDS_PER_QUERY = 5_000
LATEST_OF_EACH = (
    "SELECT last.originator_id, last.originator_version, last.topic, last.state"
    " FROM unnest(%s::uuid[]) AS given(id) CROSS JOIN LATERAL"
    " (SELECT originator_id, originator_version, topic, state FROM {table}"
    " WHERE originator_id = given.id ORDER BY originator_version DESC LIMIT 1) AS last"
)
"""The last event of each of the ids given, by one descent of the key's index
per id: with DISTINCT ON over ``= ANY`` the planner scanned and sorted the
whole table, a read that grew with the log (565 ms for 5,000 ids in a 1M log,
48 ms this way)."""
EVENTS_AFTER = (
    "SELECT e.originator_id, e.originator_version, e.topic, e.state"
    " FROM unnest(%s::uuid[], %s::bigint[]) AS given(id, after) CROSS JOIN LATERAL"
    " (SELECT originator_id, originator_version, topic, state FROM {table}"
    " WHERE originator_id = given.id AND originator_version > given.after OFFSET 0) AS e"
)
"""The events of each id given after its version, looked up in the key's index
id by id (OFFSET 0 keeps the planner from making it a join again): a join was
planned as a merge join over the whole index (3.5 s for 5,000 ids in a 1M
log, 0.11 s this way)."""
PROJECTION_TRACKING_TABLE = "citycoop_projection_tracking"
_creating_in_this_process = RLock()


@contextmanager
def creating_tables(datastore: PostgresDatastore) -> Iterator[None]:
    """Hold the schema's table-creation lock while creating tables (the read
    models' too). Run at the same moment, PostgreSQL's DDL fails with "tuple
    concurrently updated" or a duplicate type; a session advisory lock per
    schema makes the openers take turns, and once the tables exist each turn
    is a few catalogue lookups.

    Within a process the turns are taken before a connection is: creating
    holds this one while it takes others from the same pool, so threads that
    each held one while waiting for the lock could take the whole pool and
    leave the one holding the lock waiting out the pool's timeout, one
    after another."""
    lock = f"citycoop:create-tables:{datastore.schema}"
    with _creating_in_this_process, datastore.get_connection() as connection:
        connection.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", (lock,))
        try:
            yield
        finally:
            connection.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", (lock,))


class PostgresSQL(StoreSQL):
    kind = "postgresql"
    position = "notification_id"
    identity = "uuid_send(originator_id)"
    mark = "%s"
    integer = "bigint"
    small_integer = "smallint"
    blob = "bytea"
    clustered = ""
    greatest = "GREATEST"
    for_update = " FOR UPDATE"
    holds = "position({1} in {0}) > 0"

    def __init__(self, datastore: PostgresDatastore, events_table: str, channel: str) -> None:
        self.datastore = datastore
        self._events_table = events_table
        self._channel = channel
        self.events = self.table(events_table)
        prefix = events_table.removesuffix("_events")
        self.tables = Tables(
            audit_chain=self.table(f"{prefix}_audit_chain"),
            audit_tracking=self.table(f"{prefix}_audit_tracking"),
            projection_tracking=self.table(PROJECTION_TRACKING_TABLE),
            recorded_times=self.table(f"{prefix}_recorded_times"),
            audit_key_check=self.table(f"{prefix}_audit_key_check"),
        )

    def table_names(self) -> list[str]:
        prefix = self._events_table.removesuffix("_events")
        ours = [f"{prefix}_{name}" for name in ("audit_chain", "audit_tracking", "recorded_times", "audit_key_check")]
        return [self._events_table, f"{prefix}_snapshots", PROJECTION_TRACKING_TABLE, REGISTRY_TABLE, *ours]

    def counting_tables(self, names: Sequence[str]) -> tuple[str, list[object]]:
        return (
            "SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE schemaname = %s AND tablename = ANY(%s)",
            [self.datastore.schema, list(names)],
        )

    # The log's own connections ------------------------------------------------

    @contextmanager
    def reading(self) -> Iterator[Cursor]:
        # Binary results: psycopg parses bytea and integers faster than their text.
        with (
            self.datastore.get_connection() as connection,
            connection.cursor(row_factory=tuple_row, binary=True) as cursor,
        ):
            yield cursor

    @contextmanager
    def writing(self, *, lock: str | None = None) -> Iterator[Cursor]:
        with (
            self.datastore.get_connection() as connection,
            connection.transaction(),
            connection.cursor(row_factory=tuple_row, binary=True) as cursor,
        ):
            yield cursor

    @contextmanager
    def appending(self) -> Iterator[Cursor]:
        with self.writing() as c:
            c.execute(f"LOCK TABLE {self.events} IN EXCLUSIVE MODE")
            yield c

    def table(self, name: str) -> str:
        return f"{_quoted(self.datastore.schema)}.{_quoted(name)}"

    def record_param(self, record_id: UUID) -> object:
        return record_id

    def to_identity(self, column: Any) -> bytes:
        return bytes(column)

    def any_of(self, values: Sequence[object]) -> tuple[str, list[object]]:
        return "= ANY(%s)", [list(values)]

    def create_tables(self, statements: Sequence[tuple[str, Sequence[object]]], *, lock: str) -> None:
        with self.writing() as c:
            # Two processes creating a table at once collide in the catalogue; this lock queues them.
            c.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [lock])
            for statement, params in statements:
                c.execute(statement, params)

    def insert_at_positions(self, c: Cursor, events: Sequence[RawEvent]) -> None:
        # Other writers wait while a restore fills the log, as they would for any insert.
        c.execute(f"LOCK TABLE {self.events} IN EXCLUSIVE MODE")
        c.executemany(
            f"INSERT INTO {self.events} (notification_id, originator_id, originator_version, topic, state)"
            " VALUES (%s, %s, %s, %s, %s)",
            [(e.position, UUID(bytes=e.identity), e.version, e.topic, e.state) for e in events],
        )
        c.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'notification_id'), GREATEST(MAX(notification_id), 1))"
            f" FROM {self.events}",
            [self.events],
        )

    # Many records at once -----------------------------------------------------

    def existing_ids(self, ids: Collection[UUID]) -> set[UUID]:
        statement = "SELECT originator_id FROM {table} WHERE originator_version = 1 AND originator_id = ANY(%s)"
        return {row[0] for row in self._rows_by_id(self._events_table, statement, ids, _ids)}

    def latest_of_each(self, ids: Collection[UUID], *, table: str | None = None) -> dict[UUID, StoredEvent]:
        rows = self._rows_by_id(table or self._events_table, LATEST_OF_EACH, ids, _ids)
        return {row[0]: StoredEvent(*row) for row in rows}

    def events_after(self, after: Mapping[UUID, int]) -> list[StoredEvent]:
        rows = self._rows_by_id(
            self._events_table,
            EVENTS_AFTER,
            list(after),
            lambda chunk: [chunk, [after[record_id] for record_id in chunk]],
        )
        rows.sort(key=_by_record_and_version)  # here: the server's sort of them spilled to disk
        return [StoredEvent(*row) for row in rows]

    def notifications_of(self, ids: Collection[UUID], *, upto: int) -> list[Notification]:
        statement = (
            "SELECT notification_id, originator_id, originator_version, topic, state FROM {table}"
            " WHERE originator_id = ANY(%s) AND notification_id <= %s ORDER BY notification_id"
        )
        rows = self._rows_by_id(self._events_table, statement, ids, lambda chunk: [chunk, upto])
        found = [
            Notification(id=position, originator_id=record_id, originator_version=version, topic=topic, state=state)
            for position, record_id, version, topic, state in rows
        ]
        return sorted(found, key=lambda notification: notification.id)

    def _rows_by_id(self, table: str, statement: str, ids: Collection[UUID], parameters: Any) -> list[Any]:
        """``statement`` with ``{table}`` for ``table``, run with
        ``parameters(chunk)`` for each chunk of ids."""
        query: Composed = SQL(statement).format(
            table=SQL(".").join([Identifier(self.datastore.schema), Identifier(table)])
        )
        rows: list[Any] = []
        if not ids:
            return rows
        with (
            self.datastore.get_connection() as connection,
            # Binary results, as tuples: bytea comes as its bytes, not as hex text to parse.
            connection.cursor(row_factory=tuple_row, binary=True) as cursor,
        ):
            # Their cost is guessed from statistics that lag behind a growing
            # log, and the guess had them compiled (150 ms) to look up a few ids.
            # Set for the connection and reset, not SET LOCAL: that needs a
            # transaction, and its COMMIT is one more answer a dropped
            # connection can lose before the write's own.
            cursor.execute("SET jit = off")
            try:
                for chunk in chunks(list(ids), IDS_PER_QUERY):
                    cursor.execute(query, parameters(chunk))
                    rows += cursor.fetchall()
            finally:
                cursor.execute("RESET jit")
        return rows

    # The read models' connections ------------------------------------------

    def for_read_models(self) -> PostgresSQL:
        return self

    def close_read_models(self) -> None:
        """The read models share the log's connections, which close with it."""

    def tracking_recorder(self) -> TrackingRecorder:
        return PostgresTrackingRecorder(self.datastore, tracking_table_name=PROJECTION_TRACKING_TABLE)

    def transaction(self, *, commit: bool) -> Any:
        return self.datastore.transaction(commit=commit)

    def dialect(self, sql: str) -> str:
        return sql.replace("?", "%s")

    def rows(self, cursor: Any, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        with cursor.connection.cursor(row_factory=tuple_row) as tuples:
            tuples.execute(self.dialect(sql), params)
            return list(tuples.fetchall())

    def insert_rows(
        self, cursor: Any, head: str, types: Sequence[str], rows: Sequence[Sequence[Any]], tail: str = ""
    ) -> None:
        """One statement, each column an array: psycopg's ``executemany``
        spends more of the client's time on each row (a message and its
        bookkeeping) than PostgreSQL spends writing it, and a statement of
        many rows' placeholders takes it as long to parse."""
        arrays = ", ".join(f"%b::{kind}[]" for kind in types)
        columns = [list(column) for column in zip(*rows, strict=True)]
        cursor.execute(f"{head} SELECT * FROM unnest({arrays}){tail}", columns)

    def update_rows(
        self, cursor: Any, table: str, columns: Sequence[tuple[str, str]], keys: int, rows: Sequence[Sequence[Any]]
    ) -> None:
        """One statement, each column an array, as ``insert_rows``."""
        names = [name for name, _ in columns]
        arrays = ", ".join(f"%b::{kind}[]" for _, kind in columns)
        assignments = ", ".join(f"{name} = given.{name}" for name in names[:-keys])
        condition = " AND ".join(f"{table}.{name} = given.{name}" for name in names[-keys:])
        cursor.execute(
            f"UPDATE {table} SET {assignments} FROM unnest({arrays}) AS given ({', '.join(names)}) WHERE {condition}",
            [list(column) for column in zip(*rows, strict=True)],
        )

    def rows_in(self, cursor: Any, sql: str, values: Sequence[Any], params: Sequence[Any]) -> list[tuple[Any, ...]]:
        if not values:
            return []
        return self.rows(cursor, sql.replace("{in}", "= ANY(?)"), [list(values), *params])

    def begin_writing(self, execute: Callable[[str], object]) -> None:
        # Commits need not wait for the disk: read models are derived (see ``sqlite._ReadModelPool``).
        execute("SET LOCAL synchronous_commit TO OFF")

    def begin_reading(self, execute: Callable[[str], object]) -> None:
        # Read committed takes a new snapshot for each statement: a page of the
        # past and the versions its rows are rebuilt from must be of one commit.
        execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")

    # Following the log and creating tables -----------------------------------

    @contextmanager
    def news(self, stop: Event) -> Iterator[Callable[[int], None]]:
        with self.datastore.get_connection() as connection:
            connection.execute(SQL("LISTEN {}").format(Identifier(self._channel)))

            def listen(_position: int) -> None:
                # Notifications sent while catching up wait in the connection, so none is missed.
                for _ in connection.notifies(timeout=WAKE_SECONDS, stop_after=1):
                    pass

            yield listen

    def creating_tables(self) -> Any:
        return creating_tables(self.datastore)


def _ids(chunk: list[UUID]) -> list[object]:
    return [chunk]


def _by_record_and_version(row: tuple[UUID, int, str, bytes]) -> tuple[int, int]:
    return row[0].int, row[1]


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
