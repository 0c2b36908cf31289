"""Reading many records at once: which ids are on file, their latest
snapshots and the events after those, in one query per thousands of ids.

A large import names thousands of records. Asked for one at a time, as the
library's repository does, PostgreSQL spends most of the import waiting for
round trips. These functions read the same rows as ``select_events`` would,
for SQLite and PostgreSQL recorders (events or snapshots); any other recorder
is asked one id at a time.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from eventsourcing.persistence import AggregateRecorder, StoredEvent
from eventsourcing.sqlite import SQLiteAggregateRecorder

from .postgres_types import is_postgres_recorder

if TYPE_CHECKING:
    from eventsourcing.postgres import PostgresAggregateRecorder

SQLITE_IDS_PER_QUERY = 400
"""Two parameters per id stay below SQLite's oldest limit of 999 variables."""
POSTGRES_IDS_PER_QUERY = 5_000
T = TypeVar("T")


def existing_ids(recorder: AggregateRecorder, ids: Collection[UUID]) -> set[UUID]:
    """Which of ``ids`` name a record on file (every record has a version 1)."""
    if isinstance(recorder, SQLiteAggregateRecorder):
        rows = _sqlite_rows(
            recorder,
            ids,
            lambda chunk: (
                f"SELECT originator_id FROM {recorder.events_table_name}"
                f" WHERE originator_version = 1 AND originator_id IN ({_marks(chunk)})",
                [record_id.hex for record_id in chunk],
            ),
        )
        return {UUID(row[0]) for row in rows}
    if is_postgres_recorder(recorder):
        statement = "SELECT originator_id FROM {table} WHERE originator_version = 1 AND originator_id = ANY(%s)"
        return {row["originator_id"] for row in _postgres_rows(recorder, statement, ids, lambda chunk: [chunk])}
    return {record_id for record_id in ids if recorder.select_events(record_id, limit=1)}


def latest_of_each(recorder: AggregateRecorder, ids: Collection[UUID]) -> dict[UUID, StoredEvent]:
    """The stored event of highest version of each of ``ids`` that has one:
    for a snapshots recorder, each record's latest snapshot."""
    if isinstance(recorder, SQLiteAggregateRecorder):
        # SQLite returns the other columns from the row that has the maximum.
        rows = _sqlite_rows(
            recorder,
            ids,
            lambda chunk: (
                "SELECT originator_id, MAX(originator_version), topic, state"
                f" FROM {recorder.events_table_name} WHERE originator_id IN ({_marks(chunk)}) GROUP BY originator_id",
                [record_id.hex for record_id in chunk],
            ),
        )
        return {UUID(row[0]): StoredEvent(UUID(row[0]), row[1], row[2], bytes(row[3])) for row in rows}
    if is_postgres_recorder(recorder):
        statement = (
            "SELECT DISTINCT ON (originator_id) originator_id, originator_version, topic, state FROM {table}"
            " WHERE originator_id = ANY(%s) ORDER BY originator_id, originator_version DESC"
        )
        rows = _postgres_rows(recorder, statement, ids, lambda chunk: [chunk])
        return {row["originator_id"]: _stored(row) for row in rows}
    found = {record_id: recorder.select_events(record_id, desc=True, limit=1) for record_id in ids}
    return {record_id: events[0] for record_id, events in found.items() if events}


def events_after(recorder: AggregateRecorder, after: Mapping[UUID, int]) -> list[StoredEvent]:
    """The events of each record in ``after`` whose version is above the one
    given for it, ordered by record and then by version."""
    if isinstance(recorder, SQLiteAggregateRecorder):
        rows = _sqlite_rows(
            recorder,
            list(after),
            lambda chunk: (
                f"SELECT originator_id, originator_version, topic, state FROM {recorder.events_table_name} WHERE "
                + " OR ".join(["(originator_id = ? AND originator_version > ?)"] * len(chunk))
                + " ORDER BY originator_id, originator_version",
                [value for record_id in chunk for value in (record_id.hex, after[record_id])],
            ),
        )
        return [StoredEvent(UUID(row[0]), row[1], row[2], bytes(row[3])) for row in rows]
    if is_postgres_recorder(recorder):
        statement = (
            "SELECT e.originator_id, e.originator_version, e.topic, e.state FROM {table} AS e"
            " JOIN unnest(%s::uuid[], %s::bigint[]) AS given(id, after)"
            " ON e.originator_id = given.id AND e.originator_version > given.after"
            " ORDER BY e.originator_id, e.originator_version"
        )
        rows = _postgres_rows(
            recorder, statement, list(after), lambda chunk: [chunk, [after[record_id] for record_id in chunk]]
        )
        return [_stored(row) for row in rows]
    return [event for record_id, version in after.items() for event in recorder.select_events(record_id, gt=version)]


def _marks(chunk: Sequence[object]) -> str:
    return ",".join("?" * len(chunk))


def _sqlite_rows(
    recorder: SQLiteAggregateRecorder,
    ids: Collection[UUID],
    query: Any,
) -> list[Any]:
    """``query(chunk)`` gives the statement and parameters for one chunk of ids."""
    rows: list[Any] = []
    if not ids:
        return rows
    with recorder.datastore.transaction(commit=False) as cursor:
        for chunk in _chunks(list(ids), SQLITE_IDS_PER_QUERY):
            cursor.execute(*query(chunk))
            rows += cursor.fetchall()
    return rows


def _postgres_rows(
    recorder: PostgresAggregateRecorder, statement: str, ids: Collection[UUID], parameters: Any
) -> list[Any]:
    """``statement`` with ``{table}`` for the recorder's table, run with
    ``parameters(chunk)`` for each chunk of ids."""
    from psycopg.sql import SQL, Composed, Identifier  # noqa: PLC0415 - psycopg for PostgreSQL stores only

    query: Composed = SQL(statement).format(
        table=SQL(".").join([Identifier(recorder.datastore.schema), Identifier(recorder.events_table_name)])
    )
    rows: list[Any] = []
    if not ids:
        return rows
    with recorder.datastore.get_connection() as connection, connection.cursor() as cursor:
        for chunk in _chunks(list(ids), POSTGRES_IDS_PER_QUERY):
            cursor.execute(query, parameters(chunk))
            rows += cursor.fetchall()
    return rows


def _stored(row: Mapping[str, Any]) -> StoredEvent:
    return StoredEvent(row["originator_id"], row["originator_version"], row["topic"], bytes(row["state"]))


def _chunks(items: list[T], size: int) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
