"""A command refused leaves nothing behind: no store file, no directory for
it, through the installed command. A new SQLite store comes into being only
when a command wrote to it, and a reader of a store that does not exist is
answered as from an empty one, which is not kept."""

from __future__ import annotations

from pathlib import Path

from cli_harness import citycoop

PARTNERSHIP = "712a8a14-4928-5786-9e6c-a9b3845f5511"


def everything_under(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


def test_a_refused_record_into_a_missing_directory_creates_no_directory_nor_store(tmp_path: Path) -> None:
    store = tmp_path / "missing" / "dir" / "x.db"

    outcome = citycoop(str(store), "record", "add-field", "--partnership", PARTNERSHIP, "--field", "finance")

    assert outcome.code == 1
    assert outcome.error == f"Error: partnership: no partnership '{PARTNERSHIP}' is on record"
    assert everything_under(tmp_path) == []


def test_a_refused_import_into_a_new_path_leaves_no_store(tmp_path: Path) -> None:
    entries = tmp_path / "entries.yaml"
    entries.write_text(
        "entries:\n"
        "  - kind: establish-partnership\n"
        "    as: wuxi-singapore\n"
        "    city_a: {name: Wuxi, country: China}\n"
        "    city_b: {name: Singapore, country: Singapore}\n"
        "    since: '1993'\n"
        "    stage: sister-city\n"
        "    fields: [finance]\n"
        "  - kind: add-field\n"
        "    partnership: wuxi-singapore\n"
        "    field: finance\n",
        encoding="utf-8",
    )

    outcome = citycoop(str(tmp_path / "new.db"), "import", str(entries))

    assert outcome.code == 1, outcome.stderr
    assert everything_under(tmp_path) == ["entries.yaml"]


def test_a_read_of_a_missing_store_answers_empty_and_creates_nothing(tmp_path: Path) -> None:
    store = tmp_path / "not-yet" / "citycoop.db"

    listed = citycoop(str(store), "--json", "partnerships")
    verified = citycoop(str(store), "audit", "verify")

    assert listed.code == 0, listed.stderr
    assert listed.stdout.strip() == "[]"
    assert verified.code == 0, verified.stderr
    assert everything_under(tmp_path) == []


def test_a_write_into_a_new_path_leaves_the_store_alone_in_its_directory(tmp_path: Path) -> None:
    store = tmp_path / "new" / "citycoop.db"

    outcome = citycoop(str(store), "demo")

    assert outcome.code == 0, outcome.stderr
    assert everything_under(tmp_path) == ["new", "new/citycoop.db"]
    assert "the log is intact: 8 events" in citycoop(str(store), "audit", "verify").stdout


def test_a_seal_of_a_misspelt_path_creates_nothing(tmp_path: Path) -> None:
    store = tmp_path / "citycop" / "citycoop.db"

    outcome = citycoop(str(store), "audit", "seal")

    assert outcome.code == 0, outcome.stderr
    assert everything_under(tmp_path) == []
