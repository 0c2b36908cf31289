"""``citycoop import FILE`` as a clerk runs it, on both stores: a whole file
recorded or none of it, errors that name the entry and the field, and a
progress bar only for someone watching a terminal."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
from collections.abc import Callable
from datetime import date, timedelta
from importlib.resources import files
from pathlib import Path
from uuid import UUID, uuid4

import pytest
import yaml
from cli_harness import CITYCOOP, citycoop, record_story

from citycoop.adapters.application.importing import DEMO_SCENARIO
from citycoop.adapters.application.service import CityCoop
from citycoop.domain.aggregate import DomainEvent

STORY = files("citycoop.adapters.application").joinpath("scenarios", DEMO_SCENARIO).read_text(encoding="utf-8")


def story_entries() -> list[dict[str, object]]:
    entries: list[dict[str, object]] = yaml.safe_load(STORY)["entries"]
    return entries


def write(path: Path, entries: list[dict[str, object]]) -> Path:
    path.write_text(yaml.safe_dump({"entries": entries}, sort_keys=False), encoding="utf-8")
    return path


def test_importing_the_founding_story_records_it_and_lists_the_named_records(store: str, tmp_path: Path) -> None:
    path = tmp_path / "wuxi-singapore-2023.yaml"
    path.write_text(STORY, encoding="utf-8")

    outcome = citycoop(store, "import", str(path))

    assert outcome.code == 0, outcome.stderr
    table, _, summary = outcome.stdout.rstrip("\n").partition("\n\n")
    assert re.fullmatch(
        rf"Recorded 8 new events on 4 records from the 8 entries of {re.escape(str(path))} in \d+\.\d\d s"
        r" \([\d,]+ events/s\)\.",
        summary,
    ), summary
    header, *rows = table.splitlines()
    assert header.split() == ["ENTRY", "NAME", "KIND", "ID"]
    named = {row.split()[1]: UUID(row.split()[3]) for row in rows}
    assert list(named) == ["wuxi-singapore", "conference-2023"]
    app = CityCoop(store)
    try:
        partnership = app.get_record(named["wuxi-singapore"])
        assert partnership.state.investment is not None
        assert partnership.state.investment.enterprises == 700
        assert app.get_record(named["conference-2023"]).state.attendance == 200
    finally:
        app.close()


def test_importing_the_same_file_again_records_nothing_new(
    store: str, tmp_path: Path, events_table: Callable[[], list]
) -> None:
    path = tmp_path / "wuxi-singapore-2023.yaml"
    path.write_text(STORY, encoding="utf-8")
    assert citycoop(store, "import", str(path)).code == 0
    logged = events_table()

    again = citycoop(store, "import", str(path))

    assert again.code == 0, again.stderr
    assert re.fullmatch(
        rf"Nothing new: the 8 entries of {re.escape(str(path))}, on 4 records,"
        r" were recorded before \(in \d+\.\d\d s\)\.",
        again.stdout.splitlines()[-1],
    ), again.stdout
    assert events_table() == logged


def test_a_json_file_is_imported_and_reported_as_json_stamped_with_the_source_given(store: str, tmp_path: Path) -> None:
    path = tmp_path / "wuxi-singapore.json"
    path.write_text(json.dumps({"entries": story_entries()[:3]}), encoding="utf-8")

    outcome = citycoop(store, "--json", "--source", "Wuxi Daily, 7 May 2023", "import", str(path))

    assert outcome.code == 0, outcome.stderr
    report = json.loads(outcome.stdout)
    assert report["events"] == 3
    assert report["records"] == 2
    assert report["seconds"] > 0
    assert [(entry["entry"], entry["name"], entry["kind"]) for entry in report["entries"]] == [
        (1, "wuxi-singapore", "establish-partnership"),
        (2, None, "launch-initiative"),
        (3, "conference-2023", "hold-conference"),
    ]
    app = CityCoop(store)
    try:
        (held,) = app.events.get(UUID(report["entries"][2]["id"]))
        assert isinstance(held, DomainEvent)
        assert held.meta.source == "Wuxi Daily, 7 May 2023"
    finally:
        app.close()


def test_a_file_read_from_standard_input_is_imported(store: str) -> None:
    outcome = citycoop(store, "import", "-", stdin=STORY)

    assert outcome.code == 0, outcome.stderr
    assert outcome.stdout.splitlines()[-1].startswith(
        "Recorded 8 new events on 4 records from the 8 entries of standard input in "
    )


def test_an_invalid_entry_is_named_by_number_local_name_and_field_and_nothing_is_written(
    store: str, tmp_path: Path, events_table: Callable[[], list]
) -> None:
    record_story(store, 0)
    entries = story_entries()
    entries[2]["held_on"] = "2023-13-05"
    logged = events_table()

    outcome = citycoop(store, "import", str(write(tmp_path / "story.yaml", entries)))

    assert outcome.code == 2
    assert outcome.error == "Error: entry 3 (conference-2023): held_on: is not a valid date (month must be in 1..12)"
    assert events_table() == logged


def test_a_reference_to_a_name_no_earlier_entry_gave_is_named_and_nothing_is_written(
    store: str, tmp_path: Path, events_table: Callable[[], list]
) -> None:
    record_story(store, 0)
    entries = story_entries()
    entries[3]["conference"] = "conference-2024"
    logged = events_table()

    outcome = citycoop(store, "import", str(write(tmp_path / "story.yaml", entries)))

    assert outcome.code == 2
    assert outcome.error == (
        "Error: entry 4: conference: 'conference-2024' is neither an id nor the name of an earlier entry"
    )
    assert events_table() == logged


def test_a_refusal_in_the_last_entry_writes_none_of_the_entries_before_it(
    store: str, tmp_path: Path, events_table: Callable[[], list]
) -> None:
    record_story(store, 0)
    never_held = str(uuid4())
    entries = [
        *story_entries(),
        {
            "kind": "sign-projects",
            "as": "signed-2024",
            "partnership": "wuxi-singapore",
            "conference": never_held,
            "category": "strategic",
            "count": 3,
        },
    ]
    logged = events_table()

    outcome = citycoop(store, "import", str(write(tmp_path / "story.yaml", entries)))

    assert outcome.code == 1
    assert outcome.error == f"Error: entry 9 (signed-2024): conference: no conference {never_held!r} was ever held"
    assert events_table() == logged


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("entries:\n  - kind: establish-partnership\n    since: [1993\n", "Error: story.yaml: not valid YAML: "),
        ("source: PRNewswire\n", "Error: story.yaml: entries: is required"),
        (None, "Error: file: cannot read "),
    ],
    ids=["not-yaml", "no-entries", "missing"],
)
def test_a_file_that_cannot_be_read_as_entries_is_one_line_and_a_usage_error(
    sqlite_store: str, tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "story.yaml"
    if content is not None:
        path.write_text(content, encoding="utf-8")

    outcome = citycoop(sqlite_store, "import", str(path))

    assert outcome.code == 2
    assert outcome.error.startswith(message)
    assert not Path(sqlite_store).exists()


def test_an_import_into_an_unreachable_postgresql_is_one_line_without_the_password(tmp_path: Path) -> None:
    path = tmp_path / "wuxi-singapore-2023.yaml"
    path.write_text(STORY, encoding="utf-8")

    outcome = citycoop("postgresql://clerk:s3cret-pw@127.0.0.1:1/citycoop", "import", str(path))

    assert outcome.code == 1
    assert outcome.error.startswith("Error: store: cannot use postgresql://clerk:***@127.0.0.1:1/citycoop: ")


def _investment_reports(count: int) -> list[dict[str, object]]:
    """The founding partnership and ``count`` daily investment figures (daily,
    so that none is dated after today)."""
    establish = story_entries()[0]
    return [
        establish,
        *(
            {
                "kind": "report-investment",
                "partnership": "wuxi-singapore",
                "enterprises": 600 + number % 100,
                "amount": str(15_000_000_000 + number * 1_000_000),
                "as_of": (date(2000, 1, 1) + timedelta(days=number)).isoformat(),
            }
            for number in range(count)
        ),
    ]


def test_a_long_import_shows_its_progress_on_a_terminal_and_nowhere_else(tmp_path: Path) -> None:
    path = write(tmp_path / "figures.yaml", _investment_reports(599))
    watched, piped = tmp_path / "watched.db", tmp_path / "piped.db"

    controller, terminal = pty.openpty()
    try:
        on_terminal = subprocess.Popen(
            [CITYCOOP, "--store", str(watched), "import", str(path)], stdout=subprocess.DEVNULL, stderr=terminal
        )
        os.close(terminal)
        shown = _read_all(controller)  # while it runs, so that a full terminal never blocks it
        on_terminal.wait(timeout=300)
    finally:
        os.close(controller)
    in_a_pipe = citycoop(str(piped), "import", str(path))

    assert on_terminal.returncode == 0
    assert b"Checking entries" in shown
    assert b"Writing to the store" in shown
    assert b"100%" in shown
    assert re.search(rb"[\d,]+ entries/s", shown)
    assert re.search(rb"Updating read models .*[\d,]+ events/s", shown)
    assert in_a_pipe.code == 0
    assert in_a_pipe.stderr == ""


def _read_all(controller: int) -> bytes:
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal's other end is closed: all was read
            return shown
        if not chunk:
            return shown
        shown += chunk
