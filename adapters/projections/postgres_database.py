"""The read models' database in a PostgreSQL store: tables in the store's
schema, beside the tracking table of the library's tracking recorder.
Imported only by a process that opened a PostgreSQL store."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore, PostgresTrackingRecorder
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from .database import ReadModelDatabase, Session

POSTGRES_TRACKING_TABLE = "citycoop_projection_tracking"


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

    def cursor_in_transaction(self, *, commit: bool) -> Any:
        return self.datastore.transaction(commit=commit)

    def begin_writing(self, session: Session) -> None:
        # Commits need not wait for the disk (see ReadModelDatabase.transaction).
        session.execute("SET LOCAL synchronous_commit TO OFF")

    @property
    def tracking_table(self) -> str:
        return self.table(self.tracking_table_name)
