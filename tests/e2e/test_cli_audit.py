"""What an auditor runs, through the installed ``citycoop`` command on both
stores: history, the log, past states and read models, seal and verify (and
what verify says once a row was altered with plain SQL), export and restore."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest
from cli_harness import citycoop

PARTNERSHIP = "712a8a14-4928-5786-9e6c-a9b3845f5511"
STRATEGIC = "2c4d7269-d948-59c7-a900-3fe110974668"


def run_json(store: str, *args: str) -> Any:
    outcome = citycoop(store, "--json", *args)
    assert outcome.code == 0, outcome.stderr
    return json.loads(outcome.stdout)


def alter_payload(store: str, position: int, old: bytes, new: bytes) -> None:
    """Edit one stored event with plain SQL, leaving its hash as it was."""
    if not store.startswith("postgresql://"):
        with closing(sqlite3.connect(store)) as connection, connection:
            (state,) = connection.execute("SELECT state FROM stored_events WHERE rowid = ?", (position,)).fetchone()
            connection.execute(
                "UPDATE stored_events SET state = ? WHERE rowid = ?", (state.replace(old, new), position)
            )
        return
    import psycopg

    url, _, query = store.partition("?")
    table = f'"{parse_qs(query)["schema"][0]}".citycoop_events'
    with psycopg.connect(url) as connection:
        (state,) = connection.execute(f"SELECT state FROM {table} WHERE notification_id = %s", (position,)).fetchone()
        connection.execute(
            f"UPDATE {table} SET state = %s WHERE notification_id = %s", (bytes(state).replace(old, new), position)
        )


@pytest.fixture
def demo_store(store: str) -> str:
    assert citycoop(store, "demo").code == 0
    return store


def test_an_auditor_reads_history_log_and_past_states_from_the_command_line(demo_store: str) -> None:
    history = run_json(demo_store, "history", PARTNERSHIP)
    signings = run_json(demo_store, "log", "--type", "Signed")
    second = run_json(demo_store, "state", PARTNERSHIP, "--version", "2")
    day_before = run_json(demo_store, "state", STRATEGIC, "--true-on", "2023-05-04")
    conference_day = run_json(demo_store, "state", STRATEGIC, "--true-on", "2023-05-05")
    before_signing = run_json(demo_store, "audit", "as-of", "--position", "4")

    assert [entry["version"] for entry in history] == [1, 2, 3, 4]
    assert history[2]["changes"]["investment"]["after"]["enterprises"] == 700
    assert history[0]["actor"] == "clerk-li"
    assert [entry["position"] for entry in signings["entries"]] == [5, 6]
    assert signings["next_after"] is None
    assert second["version"] == 2
    assert second["state"]["investment"] is None
    assert day_before["state"] is None
    assert conference_day["state"]["count"] == 3
    assert [summary["projects_total"] for summary in before_signing["documents"]] == [0]


def test_an_auditor_asks_for_one_partnerships_past_and_gets_what_the_whole_register_said(demo_store: str) -> None:
    def past(position: str, view: str, *partnership: str) -> Any:
        return run_json(demo_store, "audit", "as-of", "--position", position, "--view", view, *partnership)

    one_signing = past("5", "agreements", "--partnership", PARTNERSHIP)
    both_signings = past("6", "agreements", "--partnership", PARTNERSHIP)
    before_signing = past("4", "partnerships", "--partnership", PARTNERSHIP)
    before_it_began = past("0", "partnerships", "--partnership", PARTNERSHIP)

    assert one_signing == past("5", "agreements")
    assert [agreement["count"] for agreement in one_signing["documents"]] == [3]
    assert both_signings == past("6", "agreements")
    assert sorted(agreement["count"] for agreement in both_signings["documents"]) == [3, 10]
    assert before_signing["position"] == 4
    assert [summary["projects_total"] for summary in before_signing["documents"]] == [0]
    assert before_it_began["documents"] == []


def test_a_sealed_log_verifies_and_once_altered_verify_exits_1_naming_the_position(demo_store: str) -> None:
    sealed = run_json(demo_store, "audit", "seal")
    intact = run_json(demo_store, "audit", "verify", "--expect", sealed["hash"])
    alter_payload(demo_store, 7, b'"enterprises":700', b'"enterprises":7000')

    altered = citycoop(demo_store, "--json", "audit", "verify", "--expect", sealed["hash"])
    in_words = citycoop(demo_store, "audit", "verify")

    assert sealed["position"] == 8
    assert intact["ok"] is True
    assert intact["expected"] == {"hash": sealed["hash"], "position": 8}
    assert altered.code == 1
    report = json.loads(altered.stdout)
    assert report["ok"] is False
    assert (report["findings"][0]["kind"], report["findings"][0]["position"]) == ("changed", 7)
    assert report["findings"][0]["record_id"] == PARTNERSHIP
    assert in_words.code == 1
    assert in_words.stdout.startswith("the log was altered: 1 finding(s); the first at position 7: changed:")


def test_an_export_restored_into_an_empty_store_has_the_same_head(demo_store: str, tmp_path: Path) -> None:
    export_file = tmp_path / "citycoop-2023-05-06.jsonl"
    restored_store = str(tmp_path / "restored.db")

    exported = run_json(demo_store, "export", str(export_file))
    restored = run_json(restored_store, "restore", str(export_file))

    assert exported["position"] == 8
    assert restored == {"events": 8, "position": 8, "hash": exported["hash"]}
    assert run_json(restored_store, "audit", "seal")["hash"] == exported["hash"]
    assert run_json(restored_store, "history", PARTNERSHIP) == run_json(demo_store, "history", PARTNERSHIP)


def test_an_export_to_standard_output_is_json_lines(demo_store: str) -> None:
    outcome = citycoop(demo_store, "export")

    lines = [json.loads(line) for line in outcome.stdout.splitlines()]
    assert outcome.code == 0
    assert lines[0]["format"] == "citycoop-export"
    assert lines[-1]["end"]["events"] == 8


def test_a_cut_off_export_is_refused_with_its_line_and_nothing_is_written(demo_store: str, tmp_path: Path) -> None:
    export_file = tmp_path / "citycoop.jsonl"
    run_json(demo_store, "export", str(export_file))
    export_file.write_text("".join(export_file.read_text().splitlines(keepends=True)[:5]))
    restored_store = str(tmp_path / "restored.db")

    outcome = citycoop(restored_store, "restore", str(export_file))

    assert outcome.code == 2
    assert outcome.error == "Error: line 6: the export ends without its closing line: it was cut off"
    assert run_json(restored_store, "log")["entries"] == []


@pytest.mark.parametrize(
    ("args", "code", "error"),
    [
        (("state", PARTNERSHIP, "--version", "2", "--as-of", "2023-05-04"), 2, "Error: --version: give either"),
        (("log", "--since", "4 May 2023"), 2, "Error: since: '4 May 2023' is not a date"),
        (("audit", "verify", "--expect", "8d95b551"), 2, "Error: expect: must be the 64 hex digits"),
        (("history", "00000000-0000-0000-0000-000000001993"), 1, "Error: id: no record"),
        (("state", PARTNERSHIP, "--as-of", "2023-05-04"), 1, "Error: as_of: record"),
        (
            ("audit", "as-of", "--position", "6", "--view", "cities", "--partnership", PARTNERSHIP),
            2,
            "Error: --partnership: the city directory spans partnerships",
        ),
    ],
)
def test_a_bad_question_gets_one_line_and_its_exit_status(
    demo_store: str, args: tuple[str, ...], code: int, error: str
) -> None:
    outcome = citycoop(demo_store, *args)

    assert outcome.code == code
    assert outcome.error.startswith(error)


@pytest.mark.parametrize(
    "command",
    [
        ("history",),
        ("log",),
        ("state",),
        ("audit",),
        ("audit", "verify"),
        ("audit", "seal"),
        ("audit", "as-of"),
        ("export",),
        ("restore",),
    ],
)
def test_every_audit_command_explains_itself_with_an_example(sqlite_store: str, command: tuple[str, ...]) -> None:
    outcome = citycoop(sqlite_store, *command, "--help")

    assert outcome.code == 0
    assert "Example:" in outcome.stdout
