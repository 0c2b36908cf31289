"""On PostgreSQL, the records an import reads are looked up id by id in the
log's key, so what a read touches follows the records asked for, not the
length of the log. (A join over the ids was planned as a merge join over the
whole index, and DISTINCT ON as a scan and sort of the whole table, once the
log and the ids asked for were large, 100k events and 4,000 ids: too large to
reproduce here; this holds the statements to touching a few pages per row for
a few ids in a log of 12,000 events, and to a plan with no scan or sort of
the events table: on these few ids DISTINCT ON touched few pages too, but
already sorted what it read, the node that grew into a sort of the whole
table.)"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import pytest
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from benchmarks.generator import entries
from citycoop.adapters.application.importing import parse, record
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.storage.postgres_sql import EVENTS_AFTER, LATEST_OF_EACH

pytestmark = pytest.mark.postgres
PAGES_PER_LOOKUP = 4
"""An index descent and the heap page it leads to, with room to spare."""


def _pages(app: CityCoop, statement: str, params: list[Any]) -> tuple[int, int, list[str]]:
    """The buffers a statement of the store's reads touched, the rows it
    returned and the kinds of the nodes of its plan."""
    sql: Any = app.sql
    table = SQL(".").join([Identifier(sql.datastore.schema), Identifier(app.recorder.events_table_name)])  # type: ignore[attr-defined]
    query = SQL("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ") + SQL(statement).format(table=table)
    with (
        sql.datastore.get_connection() as connection,
        connection.transaction(),
        connection.cursor(row_factory=tuple_row) as cursor,
    ):
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(query, params)
        (plan,) = cursor.fetchone()[0]
    top = plan["Plan"]
    return top["Shared Hit Blocks"] + top["Shared Read Blocks"], top["Actual Rows"], _node_types(top)


def _node_types(node: dict[str, Any]) -> list[str]:
    return [node["Node Type"], *(kind for child in node.get("Plans", ()) for kind in _node_types(child))]


def _import(app: CityCoop, raw: list[dict[str, Any]]) -> None:
    _, parsed = parse(json.dumps({"entries": raw}), filename="history.json")
    record(app, parsed, actor="clerk-li", source=None)


def test_reading_records_at_once_touches_their_rows_and_not_the_rest_of_the_log(postgres_store: str) -> None:
    app = CityCoop(postgres_store)
    try:
        raw = list(entries(12_000))
        _import(app, raw[:2_000])
        with app.sql.reading() as c:
            c.execute(
                f"SELECT originator_id FROM {app.sql.events} WHERE originator_version = 1"
                " ORDER BY notification_id DESC LIMIT 30"
            )
            ids: list[UUID] = [row[0] for row in c.fetchall()]
        for start in range(2_000, len(raw), 5_000):
            _import(app, raw[start : start + 5_000])

        for statement, params in ((EVENTS_AFTER, [ids, [0] * len(ids)]), (LATEST_OF_EACH, [ids])):
            pages, rows, nodes = _pages(app, statement, params)
            assert rows >= len(ids)
            assert pages <= PAGES_PER_LOOKUP * (len(ids) + rows), (statement, pages, rows)
            assert not [kind for kind in nodes if kind == "Seq Scan" or "Sort" in kind], (statement, nodes)
        assert len(app.sql.events_after(dict.fromkeys(ids, 0))) == _pages(app, EVENTS_AFTER, [ids, [0] * len(ids)])[1]
    finally:
        app.close()
