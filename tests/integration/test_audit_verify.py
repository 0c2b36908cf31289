"""Sealing and verifying on both stores: the global chain is extended exactly
once however many auditors seal at the same time, a sealed head proves later
that the log still extends it, and writers never wait for the chain.
(Logs altered with plain SQL are in ``test_tampering.py``.)"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from citycoop.adapters.application.commands import EstablishPartnership
from citycoop.adapters.application.importing import record_demo
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.audit import global_chain
from citycoop.adapters.audit.auditor import Auditor
from citycoop.adapters.audit.global_chain import Head
from citycoop.adapters.storage.postgres_sql import PostgresSQL
from citycoop.domain.errors import InvalidValueError
from tests.recording import record

SINGAPORE = {"name": "Singapore", "country": "Singapore"}
SUZHOU = {"name": "Suzhou", "country": "China"}


def chain_rows(auditor: Auditor) -> list[int]:
    return [position for page in auditor.storage.chain_pages() for position, _, _ in page]


def test_an_untouched_log_verifies_and_its_head_is_what_seal_prints(app: CityCoop) -> None:
    record_demo(app, actor="clerk-li")
    auditor = Auditor(app)

    before = auditor.verify()
    head = auditor.seal()
    after = auditor.verify()

    assert before.ok
    assert before.events == 8
    assert before.sealed == Head(0, "0" * 64)
    assert head.position == 8
    assert after.ok
    assert after.head == head == after.sealed


def test_the_log_still_extends_a_head_sealed_before_more_was_recorded(app: CityCoop) -> None:
    record_demo(app, actor="clerk-li")
    auditor = Auditor(app)
    sealed = auditor.seal()
    record(
        app, EstablishPartnership.validated(city_a=SUZHOU, city_b=SINGAPORE, since="1994"), app.provenance("clerk-li")
    )

    report = auditor.verify(expect=sealed.hash)

    assert report.ok
    assert report.expected_at == 8
    assert report.head.position == 9


def test_a_head_the_log_never_passed_through_fails_verification(app: CityCoop) -> None:
    record_demo(app, actor="clerk-li")
    auditor = Auditor(app)
    auditor.seal()

    report = auditor.verify(expect="ab" * 32)

    assert not report.ok
    assert report.findings_total == 0
    assert "does not extend the sealed head" in report.summary()


def test_an_expected_head_that_is_no_hash_is_refused(app: CityCoop) -> None:
    with pytest.raises(InvalidValueError, match="expect: must be the 64 hex digits"):
        Auditor(app).verify(expect="8d95b551")


def test_sealing_extends_the_chain_by_exactly_the_events_recorded_since(app: CityCoop) -> None:
    record_demo(app, actor="clerk-li")
    auditor = Auditor(app)

    first = auditor.seal()
    again = auditor.seal()
    record(
        app, EstablishPartnership.validated(city_a=SUZHOU, city_b=SINGAPORE, since="1994"), app.provenance("clerk-li")
    )
    extended = auditor.seal()

    assert again == first
    assert extended.position == 9
    assert chain_rows(auditor) == list(range(1, 10))
    assert auditor.verify(expect=first.hash).ok


def test_auditors_sealing_at_the_same_time_extend_the_chain_once(store: str) -> None:
    with CityCoop(store) as app:
        record_demo(app, actor="clerk-li")

    def seal(_: int) -> Head:
        with CityCoop(store) as app:
            return Auditor(app).seal()

    with ThreadPoolExecutor(max_workers=4) as pool:
        heads = set(pool.map(seal, range(8)))

    with CityCoop(store) as app:
        auditor = Auditor(app)
        assert heads == {auditor.verify().head}
        assert chain_rows(auditor) == list(range(1, 9))


@pytest.mark.postgres
def test_writers_on_postgresql_do_not_wait_while_the_chain_is_being_extended(postgres_store: str) -> None:
    with CityCoop(postgres_store) as app:
        record_demo(app, actor="clerk-li")
        storage = Auditor(app).storage
        assert isinstance(storage.sql, PostgresSQL)
        recorded = threading.Event()

        def record_another() -> None:
            with CityCoop(postgres_store) as writer:
                record(
                    writer,
                    EstablishPartnership.validated(city_a=SUZHOU, city_b=SINGAPORE, since="1994"),
                    writer.provenance("clerk-li"),
                )
            recorded.set()

        with storage.writing() as c:
            storage.chain_tracking(c, lock=True)  # what a sealing auditor holds until it commits
            writer = threading.Thread(target=record_another)
            writer.start()
            assert recorded.wait(timeout=20), "the writer waited for the audit chain"
        writer.join()
        assert Auditor(app).seal().position == 9


def test_a_long_log_is_sealed_in_several_transactions_to_the_same_head(
    app: CityCoop, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_demo(app, actor="clerk-li")
    auditor = Auditor(app)
    auditor.storage.page_size = 2
    monkeypatch.setattr(global_chain, "SEAL_BATCH", 3)

    head = auditor.seal()

    assert head == auditor.verify().head
    assert chain_rows(auditor) == list(range(1, 9))
