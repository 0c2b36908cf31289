"""A store knows which audit key its hashes are made with (a check, never the
key): on both stores, a write, seal, export or verification whose
``CITYCOOP_AUDIT_KEY`` is missing or wrong is refused in one line and
nothing is written, so an honest mistake never looks like tampering."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from citycoop.adapters.application.commands import AddField
from citycoop.adapters.application.importing import record_demo
from citycoop.adapters.application.service import AUDIT_KEY_VARIABLE, CityCoop
from citycoop.adapters.audit.auditor import Auditor
from citycoop.adapters.storage.key_check import AuditKeyError
from citycoop.adapters.storage.sql import sql_of
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
