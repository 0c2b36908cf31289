"""A store written by the release before the layers were folders (main at
cd38a11, ``tests/fixtures/written-by-main/make.py``) opens, reads and
verifies as that release did: its event classes, snapshots, read-model tables
and audit chain are found where that release put them, and every answer the
CLI gave about it then, it gives now, but for what later releases added
(``as_that_release_put_it``): its figures read as exact, and its timeline
dated as its events say, no longer by the day an event was recorded."""

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


ADDED_AS_EXACT: dict[str, Any] = {
    "enterprises_qualifier": "exact",
    "amount_qualifier": "exact",
    "count_qualifier": "exact",
    "projects_qualifiers": {},
    "corrected": [],
    "duplicate_of": None,
}
"""What the figures' qualifiers (issue #19), the record of corrections and
the mark of a duplicate (#21) read as in a store that had none: exact,
uncorrected, no duplicate."""
TIMELINE_DATING = ("business_date", "business_date_kind", "date_derived_from", "sorts_on")


def as_that_release_put_it(answer: Any) -> Any:
    """``answer`` without what later releases added, each added field first
    checked to say what that release meant: figures exact, "approximate"
    attendance "about", the figures' source the report's."""
    if isinstance(answer, list):
        return [as_that_release_put_it(item) for item in answer]
    if not isinstance(answer, dict):
        return answer
    answer = dict(answer)
    for name, meant in ADDED_AS_EXACT.items():
        if name in answer:
            assert answer.pop(name) == meant, (name, answer)
    if "reported_source" in answer:
        assert answer.pop("reported_source") == answer["source"]
    if "attendance_qualifier" in answer:
        qualifier = answer.pop("attendance_qualifier")
        if isinstance(qualifier, dict):  # a change in a history: before and after
            approximate: Any = {side: value and value == "about" for side, value in qualifier.items()}
        else:
            assert qualifier in ("exact", "about")
            approximate = qualifier == "about"
        assert answer.setdefault("attendance_is_approximate", approximate) == approximate
    return {name: as_that_release_put_it(value) for name, value in answer.items()}


@pytest.mark.parametrize("question", [question for question in QUESTIONS if question != "timeline"])
def test_every_answer_about_the_old_store_is_the_answer_that_release_gave(store: str, question: str) -> None:
    assert as_that_release_put_it(ask(store, *QUESTIONS[question])) == ANSWERS[question]


def test_the_old_timeline_has_the_same_entries_dated_only_as_their_events_say(store: str) -> None:
    """That release dated the Industrial Park, which no source dates, by the
    day it was recorded, and sorted it there; projects introduced or named
    it left undated but sorted by their conference or signing."""
    timeline = ask(store, "timeline", P)
    old = {entry["position"]: entry for entry in ANSWERS["timeline"]}

    def undated(entry: dict[str, Any]) -> dict[str, Any]:
        return {name: value for name, value in entry.items() if name not in TIMELINE_DATING}

    assert sorted(as_that_release_put_it([undated(e) for e in timeline]), key=lambda e: e["position"]) == sorted(
        (undated(e) for e in old.values()), key=lambda e: e["position"]
    )
    assert (timeline[0]["event"], timeline[0]["business_date"], timeline[0]["sorts_on"]) == (
        "InitiativeLaunched",
        None,
        None,
    )
    assert old[timeline[0]["position"]]["sorts_on"] == old[timeline[0]["position"]]["recorded_at"][:10]
    for entry in timeline[1:]:
        if entry["business_date_kind"] == "stated":
            assert entry["business_date"] == old[entry["position"]]["business_date"]
        else:
            assert entry["business_date_kind"] == "derived"
            assert entry["business_date"] == old[entry["position"]]["sorts_on"]


def test_the_old_stores_figures_read_as_exact_and_its_approximate_attendance_as_about(store: str) -> None:
    summary = ask(store, "partnerships", P)
    conference, *_ = ask(store, "conferences")
    agreements = ask(store, "agreements")

    assert summary["investment"]["enterprises_qualifier"] == summary["investment"]["amount_qualifier"] == "exact"
    assert summary["investment"]["corrected"] == []
    assert summary["projects_qualifiers"] == {}
    assert (conference["attendance"], conference["attendance_qualifier"]) == (201, "about")
    assert {agreement["count_qualifier"] for agreement in agreements} == {"exact"}


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
