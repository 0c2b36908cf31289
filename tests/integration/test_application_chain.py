"""The hash chain as stored: each event's hash links to the previous event of its
record, recomputed here from the raw rows of the events table."""

from __future__ import annotations

import json

from citycoop.adapters.application.commands import AddField
from citycoop.adapters.application.importing import record_demo
from citycoop.adapters.application.service import AUDIT_KEY_VARIABLE, CityCoop
from tests.integration.recomputed_chains import recomputed
from tests.recording import record


def test_each_stored_hash_links_to_the_previous_event_of_its_record(app: CityCoop, events_table) -> None:
    record_demo(app, actor="clerk-li")
    rows = events_table()
    pairs = recomputed(rows, key=None)
    assert len(pairs) == 8
    assert all(stored == expected for stored, expected in pairs)
    assert all(json.loads(bytes(row[4]))["~chain"] == stored for row, (stored, _) in zip(rows, pairs, strict=True))


def test_a_chain_continues_across_transactions(app: CityCoop, events_table) -> None:
    partnership = record_demo(app, actor="clerk-li")[0]
    record(app, AddField.validated(partnership=str(partnership), field="tourism"), app.provenance("clerk-li"))
    record(app, AddField.validated(partnership=str(partnership), field="sport"), app.provenance("clerk-li"))
    assert all(stored == expected for stored, expected in recomputed(events_table(), key=None))


def test_an_altered_row_no_longer_matches_its_chain(app: CityCoop, events_table) -> None:
    record_demo(app, actor="clerk-li")
    rows = events_table()
    index, row = next((i, row) for i, row in enumerate(rows) if b'"enterprises":700' in bytes(row[4]))
    forged = bytes(row[4]).replace(b'"enterprises":700', b'"enterprises":7000')
    rows[index] = (*row[:4], forged)
    stored, expected = recomputed(rows, key=None)[index]
    assert stored != expected


def test_with_an_audit_key_the_stored_hashes_are_keyed_macs(store: str, events_table, monkeypatch) -> None:
    monkeypatch.setenv(AUDIT_KEY_VARIABLE, "wuxi-audit-2023")
    app = CityCoop(store)
    try:
        record_demo(app, actor="clerk-li")
    finally:
        app.close()
    rows = events_table()
    assert all(stored == expected for stored, expected in recomputed(rows, key=b"wuxi-audit-2023"))
    assert not any(stored == expected for stored, expected in recomputed(rows, key=None))
    assert not any(stored == expected for stored, expected in recomputed(rows, key=b"another key"))
