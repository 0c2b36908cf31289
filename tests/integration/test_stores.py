"""Both stores: created on first use, named by path, URL or CITYCOOP_STORE,
holding the same records for the same story, and failing with one clear line."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from citycoop.adapters.application.importing import record_demo
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.shared_names import STORE_VARIABLE
from citycoop.adapters.storage.errors import StoreUnavailableError
from citycoop.domain.errors import InvalidValueError


def test_an_sqlite_store_is_created_with_its_folders_on_first_use(tmp_path: Path) -> None:
    path = tmp_path / "archive" / "wuxi" / "citycoop.db"
    app = CityCoop(str(path))
    try:
        record_demo(app, actor="clerk-li")
    finally:
        app.close()
    with sqlite3.connect(path) as connection:
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"stored_events", "stored_snapshots"} <= tables
        assert connection.execute("SELECT COUNT(*) FROM stored_events").fetchone() == (8,)


def test_the_store_named_by_citycoop_store_is_used_when_none_is_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(STORE_VARIABLE, str(tmp_path / "from-environment.db"))
    app = CityCoop()
    try:
        assert app.location.location == str(tmp_path / "from-environment.db")
        record_demo(app, actor="clerk-li")
    finally:
        app.close()
    assert (tmp_path / "from-environment.db").stat().st_size > 0


def test_the_founding_story_gives_the_same_records_on_sqlite_and_postgresql(
    sqlite_store: str, postgres_store: str
) -> None:
    states = []
    for location in (sqlite_store, postgres_store):
        app = CityCoop(location)
        try:
            ids = record_demo(app, actor="clerk-li")
            states.append(
                {record_id: (app.get_record(record_id).version, app.get_record(record_id).state) for record_id in ids}
            )
        finally:
            app.close()
    on_sqlite, on_postgres = states
    assert on_sqlite == on_postgres
    assert len(on_sqlite) == 4


def test_an_unreachable_postgresql_server_gives_one_line_naming_the_store_without_its_password() -> None:
    with pytest.raises(StoreUnavailableError) as refusal:
        CityCoop("postgresql://clerk:s3cret@127.0.0.1:1/citycoop", env={"POSTGRES_CONNECT_TIMEOUT": "1"})
    message = str(refusal.value)
    assert message.startswith("store: cannot use postgresql://clerk:***@127.0.0.1:1/citycoop: ")
    assert "s3cret" not in message
    assert "\n" not in message


def test_an_sqlite_path_that_is_a_directory_is_refused_as_invalid_input(tmp_path: Path) -> None:
    with pytest.raises(InvalidValueError) as refusal:
        CityCoop(str(tmp_path))
    assert str(refusal.value) == f"store: {tmp_path} is a directory, not an SQLite file"
    assert list(tmp_path.iterdir()) == []


def test_an_sqlite_path_under_a_file_gives_one_line_naming_the_store(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("Wuxi and Singapore, 30 years of exchange\n")
    store = str(tmp_path / "notes.txt" / "citycoop.db")
    with pytest.raises(StoreUnavailableError, match=rf"^store: cannot use {store}: ") as refusal:
        CityCoop(store)
    assert "\n" not in str(refusal.value)


def test_a_file_that_is_not_an_sqlite_database_gives_one_line_naming_the_store(tmp_path: Path) -> None:
    store = tmp_path / "press-release.db"
    store.write_text("BEIJING, May 6, 2023 /PRNewswire/ -- An international development cooperation …\n" * 50)
    with pytest.raises(StoreUnavailableError, match=rf"^store: cannot use {store}: file is not a database$"):
        CityCoop(str(store))
