"""A store written by the release before the layers were folders (main at
cd38a11, ``tests/fixtures/written-by-main/make.py``) opens, reads and
verifies as that release did: its event classes, snapshots, read-model tables
and audit chain are found where that release put them, and every answer the
CLI gave about it then, it gives now."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from citycoop.cli.main import cli

FIXTURE = Path(__file__).parents[1] / "fixtures" / "written-by-main"
ANSWERS: dict[str, Any] = json.loads((FIXTURE / "answers.json").read_text(encoding="utf-8"))
P = "712a8a14-4928-5786-9e6c-a9b3845f5511"
QUESTIONS: dict[str, list[str]] = ANSWERS["questions"]
"""What that release was asked, by name: the CLI's words after ``--json``."""


@pytest.fixture
def store(tmp_path: Path) -> str:
    """A copy of the old store: reading it may write (seals, projections), and the fixture must stay as made."""
    shutil.copy(FIXTURE / "store.db", tmp_path / "citycoop.db")
    return str(tmp_path / "citycoop.db")


def ask(store: str, *words: str) -> Any:
    result = CliRunner().invoke(cli, ["--store", store, "--actor", "clerk-li", "--json", *words])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("question", list(QUESTIONS))
def test_every_answer_about_the_old_store_is_the_answer_that_release_gave(store: str, question: str) -> None:
    assert ask(store, *QUESTIONS[question]) == ANSWERS[question]


def test_the_old_store_exports_the_same_events_with_the_same_hashes(store: str) -> None:
    result = CliRunner().invoke(cli, ["--store", store, "export"])

    assert result.exit_code == 0, result.output
    assert [json.loads(line) for line in result.stdout.splitlines()[1:]] == ANSWERS["export"]


def test_the_old_store_still_extends_the_head_that_release_sealed_after_a_new_record(store: str) -> None:
    sealed = ANSWERS["sealed head"]
    ask(store, "record", "add-field", "--partnership", P, "--field", "finance")

    verified = ask(store, "audit", "verify", "--expect", sealed["hash"])

    assert verified["ok"], verified["summary"]
    assert verified["expected"] == {"hash": sealed["hash"], "position": sealed["position"]}
    assert verified["events"] == sealed["position"] + 1
