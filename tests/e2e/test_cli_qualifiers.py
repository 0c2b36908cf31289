"""Qualified figures through the installed command, on both stores: the
``--*-qualifier`` options of ``record``, the same fields in import files, and
``correct`` changing a qualifier; a qualifier no source uses is refused in
one line, naming the option or the entry and field, with nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from cli_harness import citycoop, record_story

WUXI_SINGAPORE = "712a8a14-4928-5786-9e6c-a9b3845f5511"


def test_a_signing_of_more_than_3_projects_is_recorded_and_read_as_such(store: str) -> None:
    story = record_story(store, entries=3)

    signed = citycoop(
        store,
        *("record", "sign-projects", "--partnership", WUXI_SINGAPORE, "--conference", str(story.conference)),
        *("--category", "strategic", "--count", "3", "--count-qualifier", "more than"),
    )

    assert signed.code == 0, signed.stderr
    listed = citycoop(store, "agreements").stdout.splitlines()
    assert listed[1].split()[2:4] == ["strategic", "more"], listed
    [agreement] = json.loads(citycoop(store, "--json", "agreements").stdout)
    assert (agreement["count"], agreement["count_qualifier"]) == (3, "more-than")
    fields = citycoop(store, "partnerships", WUXI_SINGAPORE).stdout
    assert "projects           more than 3 strategic projects" in fields


def test_an_import_file_gives_qualifiers_as_fields_and_a_correction_changes_one(store: str, tmp_path: Path) -> None:
    record_story(store, entries=1)
    report = {
        "kind": "report-investment",
        "partnership": WUXI_SINGAPORE,
        "enterprises": 700,
        "enterprises_qualifier": "more-than",
        "amount": "16400000000",
        "amount_qualifier": "about",
        "as_of": "2023-05-05",
    }
    path = tmp_path / "figures.yaml"
    path.write_text(yaml.safe_dump({"source": "PRNewswire, 6 May 2023", "entries": [report]}), encoding="utf-8")

    assert citycoop(store, "import", str(path)).code == 0
    shown = citycoop(store, "partnerships", WUXI_SINGAPORE).stdout
    assert "more than 700 enterprises, about US$16.4 billion (USD 16400000000), as of 2023-05-05\n" in shown

    corrected = citycoop(
        store,
        *("--source", "Wuxi Daily, 8 May 2023", "record", "correct", "--record", WUXI_SINGAPORE),
        *("--corrects-version", "2", "--field", "investment.amount_qualifier", "--value", "exact"),
        *("--reason", "The ministry's figure is exact"),
    )
    assert corrected.code == 0, corrected.stderr
    summary = json.loads(citycoop(store, "--json", "partnerships", WUXI_SINGAPORE).stdout)
    assert summary["investment"]["amount_qualifier"] == "exact"
    assert summary["investment"]["source"] == "Wuxi Daily, 8 May 2023"
    assert summary["investment"]["reported_source"] == "PRNewswire, 6 May 2023"
    assert summary["investment"]["corrected"] == ["investment.amount_qualifier"]
    timeline = citycoop(store, "timeline", WUXI_SINGAPORE).stdout
    assert "more than 700 enterprises had invested US$16.4 billion, as of 2023-05-05 [corrected]" in timeline


def test_a_qualifier_no_source_uses_is_refused_and_nothing_is_written(store: str, tmp_path: Path) -> None:
    record_story(store, entries=1)
    before = citycoop(store, "export").stdout.splitlines()[1:]

    refused = citycoop(
        store,
        *("record", "report-investment", "--partnership", WUXI_SINGAPORE, "--enterprises", "700"),
        *("--enterprises-qualifier", "roughly", "--amount", "16400000000", "--as-of", "2023-05-05"),
    )
    assert refused.code == 2
    assert refused.error.startswith("Error: Invalid value for '--enterprises-qualifier': 'roughly' is not one of:")

    path = tmp_path / "figures.yaml"
    entry = {"kind": "report-investment", "partnership": WUXI_SINGAPORE, "enterprises": 700, "amount": "1"}
    path.write_text(yaml.safe_dump({"entries": [{**entry, "as_of": "2023", "amount_qualifier": "roughly"}]}))
    imported = citycoop(store, "import", str(path))
    assert imported.code == 2
    assert imported.error.startswith("Error: entry 1: amount_qualifier: 'roughly' is not one of")

    assert citycoop(store, "export").stdout.splitlines()[1:] == before
