"""``citycoop demo`` as installed, run in a subprocess: it records the founding
story, shows the partnership, records nothing new when run again, and fails
with one line when its store cannot be used."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

CITYCOOP = Path(sys.executable).parent / "citycoop"


def citycoop(*arguments: str, home: Path) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("CITYCOOP_")}
    environment |= {"HOME": str(home), "XDG_DATA_HOME": str(home / "data")}
    return subprocess.run(
        [str(CITYCOOP), "--actor", "clerk-li", *arguments],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def test_the_demo_on_a_fresh_sqlite_file_prints_the_wuxi_singapore_partnership(tmp_path: Path) -> None:
    store = tmp_path / "fresh" / "citycoop.db"
    result = citycoop("--store", str(store), "demo", home=tmp_path)
    assert result.returncode == 0, result.stderr
    shown = result.stdout
    for fact in ("Wuxi", "Singapore", "1993", "sister-city", "active", "700", "16400000000"):
        assert fact in shown, fact
    assert "Wuxi Singapore Science and Technology Innovation City" in shown
    assert store.is_file()


def test_without_a_store_the_demo_writes_to_the_documented_default(tmp_path: Path) -> None:
    result = citycoop("demo", home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "citycoop" / "citycoop.db").is_file()


def test_running_the_demo_twice_records_nothing_new(store: str, events_table, tmp_path: Path) -> None:
    first = citycoop("--store", store, "demo", home=tmp_path)
    assert first.returncode == 0, first.stderr
    rows = events_table()
    second = citycoop("--store", store, "demo", home=tmp_path)
    assert second.returncode == 0, second.stderr
    assert events_table() == rows
    assert len(rows) == 8
    assert second.stdout == first.stdout


def test_the_demo_with_json_prints_the_partnership_as_json(tmp_path: Path) -> None:
    result = citycoop("--store", str(tmp_path / "citycoop.db"), "--json", "demo", home=tmp_path)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert [city["name"] for city in document["cities"]] == ["Wuxi", "Singapore"]
    assert document["id"] == "712a8a14-4928-5786-9e6c-a9b3845f5511"
    assert document["since"] == "1993"
    assert document["investment"]["enterprises"] == 700
    assert document["investment"]["amount"] == {"amount": "16400000000", "currency": "USD"}
    assert document["fields"] == ["science-and-technology", "economy-and-trade", "culture-and-arts"]
    assert "idempotency_keys" not in document


def test_a_store_that_is_a_directory_is_refused_with_one_line_and_exit_status_2(tmp_path: Path) -> None:
    result = citycoop("--store", str(tmp_path), "demo", home=tmp_path)
    assert result.returncode == 2
    assert result.stderr == f"Error: store: {tmp_path} is a directory, not an SQLite file\n"
    assert result.stdout == ""


def test_an_unreachable_postgresql_store_is_refused_with_one_line_and_exit_status_1(tmp_path: Path) -> None:
    result = citycoop("--store", "postgresql://clerk:s3cret@127.0.0.1:1/citycoop", "demo", home=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: store: cannot use postgresql://clerk:***@127.0.0.1:1/citycoop: ")
    assert result.stderr.count("\n") == 1
    assert "s3cret" not in result.stderr
