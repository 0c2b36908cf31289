"""Every write through the CLI extends the sealed global chain, so a change to
the newest events is located by ``audit verify`` without anyone running
``audit seal`` first."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from urllib.parse import parse_qs, urlsplit

import psycopg
from cli_harness import citycoop

from citycoop.adapters.application.importing import DEMO_SCENARIO

SCENARIO = f"adapters/application/scenarios/{DEMO_SCENARIO}"


def _delete_last_event(store: str) -> int:
    """Remove the log's newest event behind citycoop's back; return its position."""
    if store.startswith("postgresql://"):
        url = urlsplit(store)
        table = f'"{parse_qs(url.query)["schema"][0]}".citycoop_events'
        with psycopg.connect(url._replace(query="").geturl()) as connection:
            row = connection.execute(f"SELECT max(notification_id) FROM {table}").fetchone()
            assert row is not None
            connection.execute(f"DELETE FROM {table} WHERE notification_id = %s", (row[0],))
            return int(row[0])
    with closing(sqlite3.connect(store)) as connection, connection:
        (position,) = connection.execute("SELECT max(rowid) FROM stored_events").fetchone()
        connection.execute("DELETE FROM stored_events WHERE rowid = ?", (position,))
        return int(position)


def test_the_newest_event_deleted_after_a_clerks_record_command_is_located(store: str) -> None:
    assert citycoop(store, "import", SCENARIO).code == 0
    partnership = json.loads(citycoop(store, "--json", "partnerships").stdout)[0]["id"]
    recorded = citycoop(store, "record", "add-field", "--partnership", partnership, "--field", "tourism")
    assert recorded.code == 0, recorded.stderr

    position = _delete_last_event(store)
    verified = citycoop(store, "--json", "audit", "verify")

    assert verified.code == 1
    report = json.loads(verified.stdout)
    assert report["ok"] is False
    assert (report["findings"][0]["kind"], report["findings"][0]["position"]) == ("removed", position)
