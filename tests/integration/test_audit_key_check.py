"""A store knows which audit key its hashes are made with (a check, never the
key): on both stores, a write, seal, export or verification whose
``CITYCOOP_AUDIT_KEY`` is missing or wrong is refused in one line and
nothing is written, so an honest mistake never looks like tampering."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from citycoop.adapters.application.commands import AddField, EstablishPartnership
from citycoop.adapters.application.importing import record_demo
from citycoop.adapters.application.service import AUDIT_KEY_VARIABLE, CityCoop
from citycoop.adapters.audit.auditor import Auditor
from citycoop.adapters.storage.key_check import CHECKED_TEXT, AuditKeyError
from citycoop.adapters.storage.sql import StoreSQL, sql_of
from citycoop.domain.errors import CityCoopError
from tests.conftest import EventsTable
from tests.recording import record

AUDIT_KEY = "wuxi-singapore-audit-2023"
PARTNERSHIP = "712a8a14-4928-5786-9e6c-a9b3845f5511"
WRITTEN_BY_MAIN = Path(__file__).parents[1] / "fixtures" / "written-by-main" / "store.db"


def demo_with_key(store: str, monkeypatch: pytest.MonkeyPatch, key: str | None) -> None:
    set_key(monkeypatch, key)
    with CityCoop(store) as app:
        record_demo(app, actor="clerk-li")


def set_key(monkeypatch: pytest.MonkeyPatch, key: str | None) -> None:
    if key is None:
        monkeypatch.delenv(AUDIT_KEY_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(AUDIT_KEY_VARIABLE, key)


def add_finance(store: str) -> None:
    with CityCoop(store) as app:
        record(app, AddField(partnership=PARTNERSHIP, field="finance"), app.provenance("clerk-li"))


@pytest.mark.parametrize("key", [None, "wuxi-singapore-audit-2032"], ids=["no key", "a mistyped key"])
def test_a_writer_without_the_stores_key_is_refused_and_writes_nothing(
    store: str, events_table: EventsTable, monkeypatch: pytest.MonkeyPatch, key: str | None
) -> None:
    demo_with_key(store, monkeypatch, AUDIT_KEY)
    before = events_table()
    set_key(monkeypatch, key)

    with pytest.raises(AuditKeyError, match=r"^audit key: missing or wrong key: .*; nothing was written$"):
        add_finance(store)

    assert events_table() == before
    set_key(monkeypatch, AUDIT_KEY)
    with CityCoop(store) as app:
        assert Auditor(app).verify().ok


def test_a_verification_without_the_key_says_so_instead_of_listing_alterations(
    store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo_with_key(store, monkeypatch, AUDIT_KEY)
    set_key(monkeypatch, None)

    with CityCoop(store) as app, pytest.raises(AuditKeyError) as refused:
        Auditor(app).verify()

    assert str(refused.value) == (
        "audit key: missing or wrong key: this store's hashes are keyed; set CITYCOOP_AUDIT_KEY to the store's key"
    )


def test_a_key_on_a_store_made_without_one_is_refused_for_writes_seals_and_exports(
    store: str, events_table: EventsTable, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo_with_key(store, monkeypatch, None)
    before = events_table()
    set_key(monkeypatch, AUDIT_KEY)

    with pytest.raises(AuditKeyError, match="made without a key; unset CITYCOOP_AUDIT_KEY"):
        add_finance(store)
    with CityCoop(store) as app:
        with pytest.raises(AuditKeyError):
            Auditor(app).seal()
        with pytest.raises(AuditKeyError):
            Auditor(app).export(io.StringIO())

    assert events_table() == before


def test_an_empty_store_takes_the_key_of_its_first_write(store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    set_key(monkeypatch, None)
    with CityCoop(store) as app:
        Auditor(app).verify()
    demo_with_key(store, monkeypatch, AUDIT_KEY)

    set_key(monkeypatch, AUDIT_KEY)
    add_finance(store)
    with CityCoop(store) as app:
        assert Auditor(app).verify().ok


def test_a_keyed_store_without_its_check_is_told_by_its_first_events(
    store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo_with_key(store, monkeypatch, AUDIT_KEY)
    with CityCoop(store) as app:
        sql = sql_of(app.recorder)
        with sql.writing() as c:
            c.execute(f"DELETE FROM {sql.tables.audit_key_check}")

    set_key(monkeypatch, "another key")
    with pytest.raises(AuditKeyError, match="is not the key"):
        add_finance(store)
    set_key(monkeypatch, AUDIT_KEY)
    add_finance(store)
    with CityCoop(store) as app:
        assert Auditor(app).verify().ok


def test_the_store_written_by_main_opens_and_refuses_a_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = str(tmp_path / "citycoop.db")
    shutil.copy(WRITTEN_BY_MAIN, store)

    set_key(monkeypatch, AUDIT_KEY)
    with pytest.raises(AuditKeyError, match="made without a key"):
        add_finance(store)
    set_key(monkeypatch, None)
    add_finance(store)
    with CityCoop(store) as app:
        assert Auditor(app).verify().ok


def key_check_rows(sql: StoreSQL) -> list[bytes]:
    with sql.reading() as c:
        c.execute(f"SELECT key_check FROM {sql.tables.audit_key_check}")
        return [bytes(row[0]) for row in c.fetchall()]


def test_an_altered_check_row_is_reported_by_verify_as_an_alteration(
    store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo_with_key(store, monkeypatch, None)
    with CityCoop(store) as app:
        sql = sql_of(app.recorder)
        with sql.writing() as c:
            c.execute(f"UPDATE {sql.tables.audit_key_check} SET key_check = {sql.mark}", [bytes(32)])

    with CityCoop(store) as app:
        verified = Auditor(app).verify()
        with pytest.raises(AuditKeyError):
            add_finance(store)

    assert not verified.ok
    assert [str(finding) for finding in verified.findings] == ["position 0: changed: the audit key check was altered"]


def test_changed_first_events_of_a_store_without_its_check_are_named_by_verify(
    store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo_with_key(store, monkeypatch, None)
    with CityCoop(store) as app:
        sql = sql_of(app.recorder)
        with sql.writing() as c:
            c.execute(f"DELETE FROM {sql.tables.audit_key_check}")
            c.execute(f"SELECT {sql.position}, state FROM {sql.events} WHERE originator_version = 1")
            first_events = c.fetchall()
            for position, state in first_events:
                changed = bytes(state).replace(b"clerk-li", b"clerk-xx")
                update = f"UPDATE {sql.events} SET state = {sql.mark} WHERE {sql.position} = {sql.mark}"
                c.execute(update, [changed, position])

    with CityCoop(store) as app:
        verified = Auditor(app).verify()

    assert not verified.ok
    assert {finding.position for finding in verified.findings} == {position for position, _ in first_events}
    assert {finding.kind for finding in verified.findings} == {"changed"}


def test_a_refused_first_write_leaves_no_key_check(store: str, monkeypatch: pytest.MonkeyPatch) -> None:
    set_key(monkeypatch, AUDIT_KEY)
    with CityCoop(store) as app:
        city_a, city_b = {"name": "Wuxi", "country": "China"}, {"name": "Singapore", "country": "Singapore"}
        with pytest.raises(CityCoopError):
            record(app, EstablishPartnership(city_a=city_a, city_b=city_b, since="2999"), app.provenance("clerk-li"))
        assert key_check_rows(app.sql) == []

    set_key(monkeypatch, None)
    demo_with_key(store, monkeypatch, None)
    with CityCoop(store) as app:
        assert key_check_rows(app.sql) == [app.chain.digest(CHECKED_TEXT)]
        assert Auditor(app).verify().ok
