"""The query commands as installed, run in a subprocess on both stores:
tables for people, the read models' own documents with --json (shaped as the
exported JSON Schema says), and one line with exit status 1 for an unknown id."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter

from citycoop.adapters.projections import (
    AgreementEntry,
    CityEntry,
    ConferenceEntry,
    PartnershipSummary,
    TimelineEntry,
)

CITYCOOP = Path(sys.executable).parent / "citycoop"
SCHEMAS = Path(__file__).parents[2] / "schemas"
WUXI_SINGAPORE = "712a8a14-4928-5786-9e6c-a9b3845f5511"
CONFERENCE_2023 = "3f334e39-a276-50ae-81c4-3929132160f8"


def citycoop(store: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("CITYCOOP_")}
    return subprocess.run(
        [str(CITYCOOP), "--store", store, "--actor", "clerk-li", *arguments],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def shaped_as_schema(document: dict[str, Any], model: type[BaseModel]) -> None:
    """``document`` has exactly the fields of the exported schema and validates as the model."""
    schema = json.loads((SCHEMAS / f"{model.__name__}.schema.json").read_text(encoding="utf-8"))
    assert set(document) == set(schema["properties"])
    assert set(schema["required"]) <= set(document)
    model.model_validate(document, strict=False)


@pytest.fixture
def founded(store: str) -> str:
    result = citycoop(store, "demo")
    assert result.returncode == 0, result.stderr
    return store


@pytest.mark.parametrize(
    ("arguments", "model"),
    [
        (("partnerships",), PartnershipSummary),
        (("conferences", "--partnership", WUXI_SINGAPORE), ConferenceEntry),
        (("agreements", "--conference", CONFERENCE_2023, "--category", "industrial"), AgreementEntry),
        (("cities",), CityEntry),
        (("timeline", WUXI_SINGAPORE), TimelineEntry),
    ],
)
def test_each_list_with_json_prints_documents_shaped_as_the_exported_schema(
    founded: str, arguments: tuple[str, ...], model: type[BaseModel]
) -> None:
    result = citycoop(founded, "--json", *arguments)
    assert result.returncode == 0, result.stderr
    documents = json.loads(result.stdout)
    assert documents
    for document in documents:
        shaped_as_schema(document, model)
    TypeAdapter(list[model]).validate_json(result.stdout)  # type: ignore[valid-type]


def test_the_founding_story_reads_from_the_read_models_in_json_and_in_words(founded: str) -> None:
    summary = json.loads(citycoop(founded, "--json", "partnerships", WUXI_SINGAPORE).stdout)
    shaped_as_schema(summary, PartnershipSummary)
    assert summary["projects_by_category"] == {"industrial": 10, "strategic": 3}
    assert summary["investment"]["amount"] == {"amount": "16400000000", "currency": "USD"}
    words = citycoop(founded, "partnerships", WUXI_SINGAPORE)
    assert words.returncode == 0, words.stderr
    fields = dict(line.split("  ", 1) for line in words.stdout.splitlines())
    assert fields["partnership"].strip() == "Wuxi–Singapore"
    assert fields["since"].strip() == "1993"
    assert fields["signed"].strip() == (
        "3 strategic and 10 industrial projects (13 in total) at the 5 May 2023 conference"
    )
    assert fields["investment"].strip() == (
        "more than 700 enterprises, US$16.4 billion (USD 16400000000), as of 2023-05-05"
    )


def test_lists_print_tables_for_people(founded: str) -> None:
    agreements = citycoop(founded, "agreements", "--partnership", WUXI_SINGAPORE).stdout.splitlines()
    assert agreements[0].split()[:4] == ["SIGNED", "ON", "PARTNERSHIP", "CATEGORY"]
    assert [line.split()[2:4] for line in agreements[1:]] == [["strategic", "3"], ["industrial", "10"]]
    cities = citycoop(founded, "cities", "wuxi").stdout.splitlines()
    assert cities[1].split() == ["Wuxi", "China", "Singapore", "Wuxi–Singapore", "active", "13"]
    timeline = citycoop(founded, "timeline", WUXI_SINGAPORE).stdout.splitlines()
    assert [line.split()[:2] for line in timeline[1:4]] == [
        ["undated", "InitiativeLaunched"],  # the Industrial Park, which no source dates
        ["undated", "InitiativeLaunched"],  # the Innovation City: introduced in 2023, begun no one says when
        ["1993", "Established"],
    ]
    assert "2023-05-05 (from the conference)  ProjectIntroduced" in timeline[5]
    assert len(timeline) == 9


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("partnerships", CONFERENCE_2023), f"Error: id: no partnership {CONFERENCE_2023} is on record\n"),
        (("conferences", WUXI_SINGAPORE), f"Error: id: no conference {WUXI_SINGAPORE} is on record\n"),
        (("timeline", CONFERENCE_2023), f"Error: id: no partnership {CONFERENCE_2023} is on record\n"),
        (("cities", "Atlantis"), "Error: name: no city called 'Atlantis' is on record\n"),
    ],
)
def test_an_unknown_record_is_one_line_and_exit_status_1(
    founded: str, arguments: tuple[str, ...], message: str
) -> None:
    result = citycoop(founded, *arguments)
    assert (result.returncode, result.stderr, result.stdout) == (1, message, "")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("agreements", "--category", "tea"), "Error: category: 'tea' is not one of strategic, industrial,"),
        (("agreements", "999"), "Error: id: '999' is not a valid id\n"),
    ],
)
def test_bad_input_is_one_line_and_exit_status_2(founded: str, arguments: tuple[str, ...], message: str) -> None:
    result = citycoop(founded, *arguments)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1


def test_a_query_catches_up_first_and_status_then_shows_no_lag(founded: str) -> None:
    status = citycoop(founded, "--json", "projections", "status")
    assert status.returncode == 0, status.stderr
    assert {(entry["position"], entry["head"], entry["lag_events"]) for entry in json.loads(status.stdout)} == {
        (8, 8, 0)
    }


def test_rebuilding_from_the_command_line_keeps_what_readers_see(founded: str) -> None:
    before = citycoop(founded, "--json", "timeline", WUXI_SINGAPORE).stdout
    rebuilt = citycoop(founded, "projections", "rebuild", "--name", "timeline")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert rebuilt.stdout == "timeline: rebuilt to position 8\n"
    assert citycoop(founded, "--json", "timeline", WUXI_SINGAPORE).stdout == before


def test_rebuilding_or_catching_up_off_a_terminal_prints_no_progress(founded: str) -> None:
    rebuilt = citycoop(founded, "projections", "rebuild")
    caught_up = citycoop(founded, "projections", "run", "--name", "timeline")

    assert (rebuilt.returncode, caught_up.returncode) == (0, 0)
    assert (rebuilt.stderr, caught_up.stderr) == ("", "")


def test_the_exported_schema_is_the_one_kept_in_the_repository(tmp_path: Path) -> None:
    result = citycoop(str(tmp_path / "unused.db"), "schema", "--output", str(tmp_path / "schemas"))
    assert result.returncode == 0, result.stderr
    exported = {path.name: path.read_text(encoding="utf-8") for path in (tmp_path / "schemas").iterdir()}
    kept = {path.name: path.read_text(encoding="utf-8") for path in SCHEMAS.iterdir()}
    assert exported == kept, "schemas/ is stale: run 'citycoop schema --output schemas'"
    assert set(kept) == {
        f"{model.__name__}.schema.json"
        for model in (PartnershipSummary, ConferenceEntry, AgreementEntry, CityEntry, TimelineEntry)
    }
