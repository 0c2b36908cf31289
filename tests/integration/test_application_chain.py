"""The hash chain as stored: each event's hash links to the previous event of its
record, recomputed here from the raw rows of the events table."""

from __future__ import annotations

import json
from uuid import UUID

from citycoop.adapters.application.commands import AddField
from citycoop.adapters.application.importing import record_demo
from citycoop.adapters.application.service import AUDIT_KEY_VARIABLE, CityCoop
from citycoop.adapters.storage.chain import GENESIS, Chain, hash_of, unsealed
from tests.recording import record


class Row:
    def __init__(self, row: tuple[object, ...]) -> None:
        _, originator_id, version, topic, state = row
        self.originator_id = UUID(str(originator_id))
        self.originator_version = int(version)
        self.topic = str(topic)
        self.state = bytes(state)


def recomputed(rows: list[tuple[object, ...]], key: bytes | None) -> list[tuple[str, str]]:
    """(stored hash, hash recomputed from the previous event of the same record), per row."""
    chain, heads, pairs = Chain(key), dict[UUID, str](), []
    for row in map(Row, rows):
        expected = chain.link(heads.get(row.originator_id, GENESIS), row, unsealed(row.state))
        heads[row.originator_id] = hash_of(row.state)
        pairs.append((hash_of(row.state), expected))
    return pairs


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
