"""Database faults: a store that is damaged, locked, read-only or unreachable
gets one clear line of error, keeps every byte it had, and work resumes when
the fault is gone.

PostgreSQL is made unreachable with a TCP proxy of our own (``proxy.py``),
never by stopping the server that other tests share.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from citycoop.adapters.application.commands import AddField, LaunchInitiative
from citycoop.adapters.application.importing import import_path, record_demo
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.storage.errors import StoreUnavailableError
from reliability.processes import citycoop, one_line_error
from reliability.proxy import TcpProxy
from reliability.records import events_per_key, file_digest, fingerprint, log_of
from reliability.story import big_import, establish_wuxi_singapore, wuxi_singapore_id
from tests.recording import record

FAST_FAILING_POSTGRES = {"POSTGRES_CONNECT_TIMEOUT": "1"}
"""Give up on an unreachable server after about a second per attempt, not five."""
RECOVERY_SECONDS = 60
"""How long a running application may take to reconnect once the server is back
(its connection pool retries with a growing back-off)."""

T = TypeVar("T")


def once_reconnected(action: Callable[[], T]) -> T:
    """``action``'s result as soon as the store is reachable again; every
    failure before that must be the one-line store error, never anything else."""
    deadline = time.monotonic() + RECOVERY_SECONDS
    while True:
        try:
            return action()
        except StoreUnavailableError as error:
            if "\n" in str(error):
                pytest.fail(f"a store error of more than one line: {error}")
            if time.monotonic() > deadline:
                raise


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    """An SQLite store holding the demo story, closed and checkpointed."""
    path = tmp_path / "citycoop.db"
    app = CityCoop(str(path))
    record_demo(app, actor="clerk")
    app.close()
    assert not path.with_name(path.name + "-wal").exists()
    return path


# SQLite -------------------------------------------------------------------


def test_a_truncated_sqlite_file_gets_one_line_of_error_and_keeps_its_bytes(demo_file: Path, home: Path) -> None:
    demo_file.write_bytes(demo_file.read_bytes()[: demo_file.stat().st_size // 2])
    before = file_digest(demo_file)

    error = one_line_error(citycoop("--store", str(demo_file), "demo", home=home))

    assert str(demo_file) in error
    assert "malformed" in error
    assert file_digest(demo_file) == before


def test_a_file_that_is_not_a_database_gets_one_line_of_error_and_keeps_its_bytes(tmp_path: Path, home: Path) -> None:
    minutes = tmp_path / "minutes.db"
    minutes.write_text("Minutes of the Wuxi-Singapore conference, 5 May 2023\n" * 200, encoding="utf-8")
    before = file_digest(minutes)

    error = one_line_error(citycoop("--store", str(minutes), "demo", home=home))

    assert "not a database" in error
    assert file_digest(minutes) == before


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A directory every user can read (pytest's own are private to root)."""
    path = Path(tempfile.mkdtemp(prefix="citycoop-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path)


def test_a_store_the_clerk_may_not_write_gets_one_line_of_error_and_keeps_its_bytes(
    demo_file: Path, shared_dir: Path
) -> None:
    """Root may write anything, so as root the command runs as ``nobody``."""
    store = shared_dir / "citycoop.db"
    shutil.copyfile(demo_file, store)
    store.chmod(0o444)
    clerk_home = shared_dir / "home"
    clerk_home.mkdir(mode=0o777)
    clerk_home.chmod(0o777)
    before = file_digest(store)

    result = citycoop("--store", str(store), "demo", home=clerk_home, as_nobody=os.geteuid() == 0)

    assert "readonly database" in one_line_error(result)
    assert file_digest(store) == before


@pytest.fixture
def partnership_file(tmp_path: Path) -> Path:
    """An SQLite store in which only the Wuxi–Singapore partnership is recorded."""
    path = tmp_path / "citycoop.db"
    app = CityCoop(str(path))
    establish_wuxi_singapore(app)
    app.close()
    return path


@pytest.fixture
def write_lock(partnership_file: Path) -> Iterator[sqlite3.Connection]:
    """Another program holding a write transaction on the store."""
    holder = sqlite3.connect(partnership_file, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    yield holder
    holder.close()


def test_a_store_locked_by_another_writer_refuses_in_one_line_and_records_nothing(
    partnership_file: Path, write_lock: sqlite3.Connection
) -> None:
    before = fingerprint(log_of(str(partnership_file)))
    app = CityCoop(str(partnership_file), env={"SQLITE_LOCK_TIMEOUT": "1"})
    try:
        with pytest.raises(StoreUnavailableError) as refusal:
            record(
                app, AddField.validated(partnership=str(wuxi_singapore_id()), field="tourism"), app.provenance("clerk")
            )
    finally:
        app.close()

    assert "\n" not in str(refusal.value)
    assert "database is locked" in str(refusal.value)
    write_lock.rollback()
    assert fingerprint(log_of(str(partnership_file))) == before


def test_a_command_waits_out_a_short_lock_and_then_records(
    partnership_file: Path, write_lock: sqlite3.Connection, home: Path
) -> None:
    release = threading.Timer(1.0, write_lock.rollback)
    release.start()

    result = citycoop("--store", str(partnership_file), "--json", "demo", home=home)

    release.join()
    assert result.returncode == 0, result.stderr
    assert '"enterprises": 700' in result.stdout


# PostgreSQL, unreachable through the proxy --------------------------------


@pytest.mark.postgres
def test_commands_fail_in_one_line_while_postgresql_is_away_and_succeed_when_it_returns(
    proxied_store: str, proxy: TcpProxy
) -> None:
    app = CityCoop(proxied_store, env=FAST_FAILING_POSTGRES)
    try:
        partnership_id = establish_wuxi_singapore(app)
        proxy.cut()

        with pytest.raises(StoreUnavailableError) as refusal:
            record(
                app,
                AddField.validated(partnership=str(partnership_id), field="tourism"),
                app.provenance("clerk", key="tourism"),
            )

        assert "\n" not in str(refusal.value)
        assert str(refusal.value).startswith("store: cannot use postgresql://")
        proxy.restore()
        once_reconnected(
            lambda: record(
                app,
                AddField.validated(partnership=str(partnership_id), field="tourism"),
                app.provenance("clerk", key="tourism"),
            )
        )
        assert "tourism" in app.get_record(partnership_id).state.fields
    finally:
        app.close()
    assert events_per_key(proxied_store)["tourism"] == 1


@pytest.mark.postgres
def test_postgresql_lost_halfway_through_an_import_leaves_nothing_and_the_import_succeeds_later(
    proxied_store: str, proxy: TcpProxy, tmp_path: Path
) -> None:
    bulk = big_import(tmp_path / "bulk.json", initiatives=2_000)
    app = CityCoop(proxied_store, env=FAST_FAILING_POSTGRES)
    try:
        proxy.cut_past(bulk.stat().st_size // 2)

        with pytest.raises(StoreUnavailableError) as refusal:
            import_path(app, bulk, actor="clerk")

        assert proxy.cuts == 1, "the proxy cut the connection halfway through the insert"
        assert "\n" not in str(refusal.value)
        proxy.restore()
        assert log_of(proxied_store) == []
        once_reconnected(lambda: import_path(app, bulk, actor="clerk"))
    finally:
        app.close()
    recorded = events_per_key(proxied_store)
    assert len(recorded) == 2_001
    assert set(recorded.values()) == {1}


@pytest.mark.postgres
def test_a_short_postgresql_outage_during_an_import_is_ridden_out_and_records_the_file_once(
    proxied_store: str, proxy: TcpProxy, tmp_path: Path
) -> None:
    bulk = big_import(tmp_path / "bulk.json", initiatives=2_000)

    def restore_a_second_after_the_cut() -> None:
        while proxy.cuts == 0:
            time.sleep(0.01)
        time.sleep(1.0)
        proxy.restore()

    restorer = threading.Thread(target=restore_a_second_after_the_cut)
    restorer.start()
    app = CityCoop(proxied_store, env=FAST_FAILING_POSTGRES)
    try:
        proxy.cut_past(bulk.stat().st_size // 2)
        import_path(app, bulk, actor="clerk")
    finally:
        app.close()
        restorer.join()
    assert proxy.cuts == 1
    recorded = events_per_key(proxied_store)
    assert len(recorded) == 2_001
    assert set(recorded.values()) == {1}


@pytest.mark.postgres
def test_a_commit_whose_answer_is_lost_is_reported_as_recorded_not_as_a_conflict(
    proxied_store: str, proxy: TcpProxy
) -> None:
    """The server commits, the connection drops before it can say so, the
    library retries and meets its own rows: that is success, and the clerk
    must not be told that nothing was recorded."""
    app = CityCoop(proxied_store, env=FAST_FAILING_POSTGRES)
    try:
        partnership_id = establish_wuxi_singapore(app)
        proxy.cut_once_sent(b"COMMIT")
        threading.Timer(0.5, proxy.restore).start()

        record(
            app,
            LaunchInitiative.validated(
                partnership=str(partnership_id),
                name="Wuxi Singapore Science and Technology Innovation City",
                initiative_kind="innovation-city",
            ),
            app.provenance("clerk", key="innovation-city"),
        )

        assert proxy.cuts == 1
        initiatives = app.get_record(partnership_id).state.initiatives
        assert [initiative.name for initiative in initiatives] == [
            "Wuxi Singapore Science and Technology Innovation City"
        ]
    finally:
        app.close()
    assert events_per_key(proxied_store)["innovation-city"] == 1
