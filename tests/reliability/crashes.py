"""Killing a writer with SIGKILL at a chosen moment: nothing runs after it,
no handler, no rollback, no ``finally``; only the database's own atomicity
stands between the log and half an import."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import psycopg

from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.projections import status
from reliability.processes import CITYCOOP, environment

WRITE_LOCK_QUERY = """
    SELECT 1 FROM pg_locks l
    JOIN pg_class c ON c.oid = l.relation
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = %s AND c.relname = 'citycoop_events' AND l.mode = 'ExclusiveLock' AND l.granted
"""


class WriteProbe:
    """Tells whether some process is inside a transaction that writes events:
    for SQLite, whether the write lock is taken; for PostgreSQL, whether the
    events table is locked for insertion (the library locks it to keep
    notification ids in commit order)."""

    def __init__(self, store: str) -> None:
        self.store = store
        self._postgres: psycopg.Connection[tuple[object, ...]] | None = None
        if store.startswith("postgresql://"):
            self._schema = parse_qs(urlsplit(store).query)["schema"][0]
            self._postgres = psycopg.connect(store.split("?", maxsplit=1)[0], autocommit=True)

    def __enter__(self) -> WriteProbe:
        return self

    def __exit__(self, *_: object) -> None:
        if self._postgres is not None:
            self._postgres.close()

    def writing(self) -> bool:
        if self._postgres is not None:
            return self._postgres.execute(WRITE_LOCK_QUERY, (self._schema,)).fetchone() is not None
        probe = sqlite3.connect(f"file:{self.store}?mode=rw", uri=True, timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                return True
            raise
        finally:
            probe.close()


def start_citycoop(store: str, *arguments: str, home: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [CITYCOOP, "--store", store, *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(home),
        cwd=home,
    )


def start_import(store: str, path: Path, home: Path) -> subprocess.Popen[str]:
    return start_citycoop(store, "import", str(path), home=home)


def kill_at_position(
    process: subprocess.Popen[str], app: CityCoop, position: int, *, patience: float = 120
) -> int | None:
    """SIGKILL a projection runner once every projection has passed ``position``
    (it is then in the middle of applying further batches); return the lowest
    position reached, or None if the runner ended first."""
    deadline = time.monotonic() + patience
    while process.poll() is None and time.monotonic() < deadline:
        reached = min(entry.position for entry in status(app))
        if reached >= position:
            return reached if kill(process) else None
        time.sleep(0.005)
    kill(process)
    return None


def kill_while_writing(
    process: subprocess.Popen[str], probe: WriteProbe, *, hold: float = 0.0, patience: float = 120
) -> bool:
    """SIGKILL ``process`` once it has held the write lock for ``hold``
    seconds (or when it ends first); True if it was killed while writing."""
    deadline = time.monotonic() + patience
    writing_since: float | None = None
    while process.poll() is None and time.monotonic() < deadline:
        if probe.writing():
            writing_since = writing_since or time.monotonic()
            if time.monotonic() - writing_since >= hold:
                return kill(process)
        else:
            writing_since = None
        time.sleep(0.002)
    kill(process)
    return False


def kill_after(process: subprocess.Popen[str], seconds: float) -> bool:
    """SIGKILL ``process`` after ``seconds``; True if it was still running."""
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        return kill(process)
    return False


def kill(process: subprocess.Popen[str]) -> bool:
    running = process.poll() is None
    if running:
        os.kill(process.pid, signal.SIGKILL)
    process.communicate()
    return running


def wait_until_no_one_writes(probe: WriteProbe, *, patience: float = 30) -> None:
    """The server ends a dead client's transaction when it notices the closed socket."""
    deadline = time.monotonic() + patience
    while probe.writing():
        assert time.monotonic() < deadline, "a killed writer's transaction is still open"
        time.sleep(0.01)
