"""``citycoop export FILE`` never destroys what is at FILE: an existing path
needs ``--force``, and even then only a regular, writable file that is not
the store is overwritten, through the path as given. A standard output that
cannot be written is blamed in one line, on both stores."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
from contextlib import closing
from pathlib import Path

import pytest
from cli_harness import CITYCOOP, citycoop, record_story


@pytest.fixture
def story_store(store: str) -> str:
    record_story(store)
    return store


def exported_events(path: Path) -> int:
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    count: int = lines[-1]["end"]["events"]
    return count


def test_an_existing_file_is_kept_unless_force_is_given(story_store: str, tmp_path: Path) -> None:
    minutes = tmp_path / "minutes.txt"
    minutes.write_text("the council's minutes\n", encoding="utf-8")

    refused = citycoop(story_store, "export", str(minutes))
    forced = citycoop(story_store, "export", "--force", str(minutes))

    assert refused.code == 2
    assert refused.error == f"Error: file: {minutes} exists; give --force to overwrite it"
    assert forced.code == 0, forced.stderr
    assert exported_events(minutes) == 8


def test_force_writes_through_a_symlink_and_keeps_it(story_store: str, tmp_path: Path) -> None:
    target = tmp_path / "exports" / "latest.jsonl"
    target.parent.mkdir()
    target.write_text("old export\n", encoding="utf-8")
    link = tmp_path / "latest.jsonl"
    link.symlink_to(target)

    outcome = citycoop(story_store, "export", "--force", str(link))

    assert outcome.code == 0, outcome.stderr
    assert link.is_symlink()
    assert exported_events(target) == 8


def test_a_refused_forced_export_leaves_the_file_as_it_was(story_store: str, tmp_path: Path) -> None:
    previous = tmp_path / "export-2023.jsonl"
    assert citycoop(story_store, "export", str(previous)).code == 0
    before = previous.read_bytes()

    outcome = subprocess.run(
        [CITYCOOP, "--store", story_store, "export", "--force", str(previous)],
        env={**os.environ, "CITYCOOP_AUDIT_KEY": "a mistyped key"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert outcome.returncode == 1
    assert outcome.stderr.startswith("Error: audit key: missing or wrong key: ")
    assert previous.read_bytes() == before


def test_a_read_only_file_is_kept_even_with_force(story_store: str, tmp_path: Path) -> None:
    kept = tmp_path / "sealed-2023.jsonl"
    kept.write_text("sealed\n", encoding="utf-8")
    kept.chmod(0o444)

    outcome = citycoop(story_store, "export", "--force", str(kept))

    assert outcome.code == 2
    assert outcome.error == f"Error: file: {kept} is read-only; make it writable or export to another file"
    assert kept.read_text(encoding="utf-8") == "sealed\n"


def test_a_fifo_or_a_device_is_never_replaced(story_store: str, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    to_fifo = citycoop(story_store, "export", "--force", str(fifo))
    to_device = citycoop(story_store, "export", "--force", "/dev/full")

    assert to_fifo.code == to_device.code == 2
    assert to_fifo.error == f"Error: file: {fifo} is not a regular file; export to a file"
    assert to_device.error == "Error: file: /dev/full is not a regular file; export to a file"
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert stat.S_ISCHR(Path("/dev/full").stat().st_mode)


def test_the_store_itself_is_never_overwritten_by_any_name(sqlite_store: str, tmp_path: Path) -> None:
    record_story(sqlite_store)
    before = Path(sqlite_store).read_bytes()
    alias = tmp_path / "alias.db"
    alias.symlink_to(sqlite_store)

    outcomes = [
        citycoop(sqlite_store, "export", sqlite_store),
        citycoop(sqlite_store, "export", "--force", sqlite_store),
        citycoop(sqlite_store, "export", "--force", str(alias)),
    ]

    assert [outcome.code for outcome in outcomes] == [2, 2, 2]
    assert outcomes[2].error == f"Error: file: {alias} is the store itself; export to another file"
    assert Path(sqlite_store).read_bytes() == before
    assert citycoop(sqlite_store, "audit", "verify").code == 0


def test_a_new_file_is_not_left_behind_when_the_export_fails(sqlite_store: str, tmp_path: Path) -> None:
    record_story(sqlite_store)
    with closing(sqlite3.connect(sqlite_store)) as connection, connection:
        connection.execute("UPDATE stored_events SET state = replace(state, '200', '300') WHERE rowid = 3")
    export = tmp_path / "export.jsonl"

    outcome = citycoop(sqlite_store, "export", str(export))

    assert outcome.code == 1
    assert "the log was altered" in outcome.error
    assert not export.exists()


@pytest.mark.parametrize("command", [("export",), ("log",)])
def test_a_full_standard_output_is_blamed_in_one_line(story_store: str, command: tuple[str, ...]) -> None:
    with open("/dev/full", "w") as full:
        completed = subprocess.run(
            [CITYCOOP, "--store", story_store, *command],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
            check=False,
        )

    assert completed.returncode == 1
    assert completed.stderr.splitlines() == ["Error: standard output: cannot write: No space left on device"]
