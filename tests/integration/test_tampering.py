"""A forger with access to the database changes the log with plain SQL —
edits a payload, deletes a row, swaps two rows, inserts a forged one — and
``audit verify`` finds each and says where, on SQLite and on PostgreSQL. With
``CITYCOOP_AUDIT_KEY`` set, recomputing the plain SHA-256 hashes does not help
the forger; without it, only a head sealed and kept elsewhere does."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing
from typing import Any
from urllib.parse import parse_qs
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import StoredEvent

from citycoop.adapters.application.commands import EstablishPartnership
from citycoop.adapters.application.importing import record_demo
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.audit.auditor import Auditor
from citycoop.adapters.audit.global_chain import TamperedLogError, link
from citycoop.adapters.audit.report import Verification
from citycoop.adapters.storage import chain
from citycoop.adapters.storage.chain import GENESIS, Chain
from tests.recording import record

AUDIT_KEY = "wuxi-singapore-audit-2023"
PARTNERSHIP = UUID("712a8a14-4928-5786-9e6c-a9b3845f5511")
CONFERENCE = UUID("3f334e39-a276-50ae-81c4-3929132160f8")


class RawLog:
    """The store's tables, as a forger with database access changes them."""

    def __init__(self, store: str) -> None:
        self.postgres = store.startswith("postgresql://")
        if self.postgres:
            self.url, _, query = store.partition("?")
            schema = parse_qs(query)["schema"][0]
            self.events, self.position = f'"{schema}".citycoop_events', "notification_id"
            self.chain, self.tracking = f'"{schema}".citycoop_audit_chain', f'"{schema}".citycoop_audit_tracking'
        else:
            self.path = store
            self.events, self.position = "stored_events", "rowid"
            self.chain, self.tracking = "audit_chain", "audit_chain_tracking"

    def run(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        if self.postgres:
            import psycopg

            with psycopg.connect(self.url) as connection:
                cursor = connection.execute(sql.replace("?", "%s"), params)
                return cursor.fetchall() if cursor.description else []
        with closing(sqlite3.connect(self.path)) as connection, connection:
            return connection.execute(sql, params).fetchall()

    def _id(self, record_id: UUID) -> object:
        return record_id if self.postgres else record_id.hex

    def row(self, position: int) -> StoredEvent:
        ((record_id, version, topic, state),) = self.run(
            f"SELECT originator_id, originator_version, topic, state FROM {self.events} WHERE {self.position} = ?",
            (position,),
        )
        return StoredEvent(UUID(str(record_id)), version, topic, bytes(state))

    def put(self, position: int, event: StoredEvent) -> None:
        self.run(
            f"UPDATE {self.events} SET originator_id = ?, originator_version = ?, topic = ?, state = ?"
            f" WHERE {self.position} = ?",
            (self._id(event.originator_id), event.originator_version, event.topic, event.state, position),
        )

    def delete(self, position: int) -> None:
        self.run(f"DELETE FROM {self.events} WHERE {self.position} = ?", (position,))

    def insert(self, position: int, event: StoredEvent) -> None:
        self.run(
            f"INSERT INTO {self.events} ({self.position}, originator_id, originator_version, topic, state)"
            " VALUES (?, ?, ?, ?, ?)",
            (position, self._id(event.originator_id), event.originator_version, event.topic, event.state),
        )

    def swap(self, first: int, second: int) -> None:
        a, b = self.row(first), self.row(second)
        self.put(first, StoredEvent(uuid4(), -1, a.topic, a.state))  # out of the way of the primary key
        self.put(second, a)
        self.put(first, b)

    def rewrite_chain_from(self, position: int, forger: Chain) -> None:
        """Recompute the audit tables from ``position`` on, as ``forger`` hashes."""
        previous = (
            bytes.fromhex(GENESIS)
            if position == 1
            else bytes(self.run(f"SELECT chain_hash FROM {self.chain} WHERE position = ?", (position - 1,))[0][0])
        )
        rows = self.run(
            f"SELECT {self.position}, state FROM {self.events} WHERE {self.position} >= ? ORDER BY 1", (position,)
        )
        for at, state in rows:
            event_hash = bytes.fromhex(chain.hash_of(bytes(state)))
            previous = link(forger, previous, at, event_hash)
            self.run(
                f"UPDATE {self.chain} SET event_hash = ?, chain_hash = ? WHERE position = ?", (event_hash, previous, at)
            )
        self.run(f"UPDATE {self.tracking} SET chain_hash = ? WHERE id = 1", (previous,))


def edited(event: StoredEvent, old: bytes, new: bytes) -> StoredEvent:
    """The event with part of its content replaced; its hash left as it was."""
    assert old in event.state
    return StoredEvent(event.originator_id, event.originator_version, event.topic, event.state.replace(old, new))


def rehashed(event: StoredEvent, previous: str, forger: Chain) -> StoredEvent:
    """The event sealed anew after ``previous``, as ``forger`` hashes."""
    plain = StoredEvent(event.originator_id, event.originator_version, event.topic, chain.unsealed(event.state))
    (sealed,) = forger.seal([plain], {event.originator_id: previous})  # type: ignore[dict-item]
    return sealed


@pytest.fixture(params=[5_000, 3], ids=["one page", "pages of 3"])
def sealed_story(store: str, request: pytest.FixtureRequest) -> Iterator[tuple[Auditor, RawLog]]:
    """The founding story, recorded and sealed: positions 1–8 (the partnership
    at 1, 2, 7 and 8; the conference at 3 and 4; its two signings at 5 and 6),
    read in one page and in pages of three, as a long log is read."""
    with CityCoop(store) as app:
        record_demo(app, actor="clerk-li")
        auditor = Auditor(app)
        auditor.storage.page_size = request.param
        auditor.seal()
        yield auditor, RawLog(store)


def first(report: Verification) -> tuple[str, int, UUID | None, int | None]:
    assert not report.ok
    finding = report.findings[0]
    return finding.kind, finding.position, finding.record_id, finding.version


def test_an_edited_payload_is_found_at_its_position(sealed_story: tuple[Auditor, RawLog]) -> None:
    auditor, log = sealed_story
    log.put(7, edited(log.row(7), b'"enterprises":700', b'"enterprises":7000'))

    report = auditor.verify()

    assert first(report) == ("changed", 7, PARTNERSHIP, 3)
    assert report.findings_total == 1
    assert "does not match its hash" in report.findings[0].detail


def test_an_edited_payload_not_yet_sealed_is_found_by_its_records_chain(store: str) -> None:
    with CityCoop(store) as app:
        record_demo(app, actor="clerk-li")
        log = RawLog(store)
        log.put(3, edited(log.row(3), b'"attendance":200', b'"attendance":2000'))

        assert first(Auditor(app).verify()) == ("changed", 3, CONFERENCE, 1)


def test_a_deleted_event_that_was_its_records_last_is_found_where_it_was(
    sealed_story: tuple[Auditor, RawLog],
) -> None:
    auditor, log = sealed_story
    log.delete(4)  # the conference's project: no later event of the conference would miss it

    report = auditor.verify()

    assert first(report) == ("removed", 4, None, None)
    assert report.findings_total == 1


def test_a_deleted_event_in_the_middle_of_a_record_is_found_by_the_gap_it_leaves(store: str) -> None:
    with CityCoop(store) as app:
        record_demo(app, actor="clerk-li")
        RawLog(store).delete(2)

        report = Auditor(app).verify()

    assert first(report) == ("removed", 7, PARTNERSHIP, 3)
    assert "version 2 was removed" in report.findings[0].detail


def test_the_last_event_of_the_log_deleted_is_found(sealed_story: tuple[Auditor, RawLog]) -> None:
    auditor, log = sealed_story
    log.delete(8)

    assert first(auditor.verify()) == ("removed", 8, None, None)


def test_two_events_of_different_records_swapped_are_found_at_the_first(
    sealed_story: tuple[Auditor, RawLog],
) -> None:
    auditor, log = sealed_story
    log.swap(3, 5)

    report = auditor.verify()

    assert first(report) == ("reordered", 3, report.findings[0].record_id, 1)
    assert "was sealed at position 5 and is now at position 3" in report.findings[0].detail
    assert [(f.kind, f.position) for f in report.findings] == [("reordered", 3), ("reordered", 5)]


def test_a_forged_event_inserted_after_the_last_is_found(sealed_story: tuple[Auditor, RawLog]) -> None:
    auditor, log = sealed_story
    last = log.row(8)
    forged = edited(last, b"Innovation City", b"Innovation Town")
    log.insert(9, StoredEvent(last.originator_id, 5, last.topic, forged.state))

    assert first(auditor.verify()) == ("changed", 9, PARTNERSHIP, 5)


@pytest.mark.postgres
def test_a_forged_event_inserted_where_the_sealed_log_had_a_gap_is_found(postgres_store: str) -> None:
    """PostgreSQL leaves gaps in positions (a transaction that rolled back
    still used its numbers); a forger can fill one, even with a valid chain."""
    log = RawLog(postgres_store)
    with CityCoop(postgres_store) as app:
        record_demo(app, actor="clerk-li")
        log.run(f"SELECT setval(pg_get_serial_sequence('{log.events}', 'notification_id'), 20)")
        record(
            app,
            EstablishPartnership.validated(
                city_a={"name": "Suzhou", "country": "China"},
                city_b={"name": "Singapore", "country": "Singapore"},
                since="1994",
            ),
            app.provenance("clerk-li"),
        )
        auditor = Auditor(app)
        auditor.seal()
        genesis = edited(log.row(1), b'"since":"1993"', b'"since":"1990"')
        log.insert(12, rehashed(StoredEvent(uuid4(), 1, genesis.topic, genesis.state), GENESIS, Chain()))

        report = auditor.verify()

    assert first(report)[:2] == ("inserted", 12)


def test_sealing_refuses_to_vouch_for_an_event_altered_before_it_was_sealed(store: str) -> None:
    with CityCoop(store) as app:
        record_demo(app, actor="clerk-li")
        log = RawLog(store)
        log.put(7, edited(log.row(7), b'"enterprises":700', b'"enterprises":7000'))
        auditor = Auditor(app)

        with pytest.raises(TamperedLogError, match="altered at position 7: changed"):
            auditor.seal()

        assert auditor.verify().sealed.position == 0
        assert list(auditor.storage.chain_pages()) == []


def test_a_forger_who_recomputes_the_records_chain_is_caught_by_the_sealed_global_chain(
    sealed_story: tuple[Auditor, RawLog],
) -> None:
    auditor, log = sealed_story
    typo = rehashed(
        edited(log.row(7), b'"enterprises":700', b'"enterprises":7000'), chain.hash_of(log.row(2).state), Chain()
    )
    log.put(7, typo)
    log.put(8, rehashed(log.row(8), chain.hash_of(typo.state), Chain()))

    report = auditor.verify()

    assert first(report) == ("changed", 7, PARTNERSHIP, 3)
    assert "is not the event sealed at position 7" in report.findings[0].detail


def test_a_forger_who_also_rewrites_the_audit_tables_is_caught_by_the_head_kept_elsewhere(
    sealed_story: tuple[Auditor, RawLog],
) -> None:
    auditor, log = sealed_story
    kept_elsewhere = auditor.verify().head.hash
    typo = rehashed(
        edited(log.row(7), b'"enterprises":700', b'"enterprises":7000'), chain.hash_of(log.row(2).state), Chain()
    )
    log.put(7, typo)
    log.put(8, rehashed(log.row(8), chain.hash_of(typo.state), Chain()))
    log.rewrite_chain_from(7, Chain())

    assert auditor.verify().ok, "without a key, a thorough forger rewrites every hash the database holds"
    report = auditor.verify(expect=kept_elsewhere)
    assert not report.ok
    assert report.expected_at is None


@pytest.fixture
def keyed_store(store: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("CITYCOOP_AUDIT_KEY", AUDIT_KEY)
    return store


def test_with_an_audit_key_a_forger_recomputing_plain_hashes_is_caught(keyed_store: str) -> None:
    with CityCoop(keyed_store) as app:
        record_demo(app, actor="clerk-li")
        auditor = Auditor(app)
        sealed = auditor.seal()
        log = RawLog(keyed_store)
        forger = Chain()  # SHA-256 without the key: all a forger with database access can compute
        typo = rehashed(
            edited(log.row(7), b'"enterprises":700', b'"enterprises":7000'), chain.hash_of(log.row(2).state), forger
        )
        log.put(7, typo)
        log.put(8, rehashed(log.row(8), chain.hash_of(typo.state), forger))
        log.rewrite_chain_from(7, forger)

        report = auditor.verify()

    assert first(report) == ("changed", 7, PARTNERSHIP, 3)
    assert "forged without the audit key" in report.findings[0].detail
    assert report.head.hash != sealed.hash


def test_with_an_audit_key_a_forged_event_appended_with_a_plain_hash_is_caught(keyed_store: str) -> None:
    with CityCoop(keyed_store) as app:
        record_demo(app, actor="clerk-li")
        log = RawLog(keyed_store)
        last = log.row(8)
        forged = rehashed(
            edited(StoredEvent(last.originator_id, 5, last.topic, last.state), b"Innovation City", b"Innovation Town"),
            chain.hash_of(last.state),
            Chain(),
        )
        log.insert(9, forged)

        assert first(Auditor(app).verify()) == ("changed", 9, PARTNERSHIP, 5)
