"""Export and restore on both stores: the log as JSON Lines, restored into an
empty store (of either kind) with the same states, read models and chain
head; an export cut off or edited is refused at the line that is wrong, and
nothing is written."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from citycoop.adapters.application.commands import CorrectFact, ReportInvestment
from citycoop.adapters.application.importing import record_demo
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.audit.auditor import Auditor
from citycoop.adapters.audit.event_log import LogFilter
from citycoop.adapters.audit.export import ExportFileError, StoreNotEmptyError
from citycoop.adapters.audit.global_chain import Head
from citycoop.adapters.audit.history import facts
from citycoop.adapters.projections import ReadModels, catch_up
from tests.conftest import new_postgres_schema
from tests.recording import record

AUDIT_KEY = "wuxi-singapore-audit-2023"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Another store, of each kind, to restore into."""
    if request.param == "sqlite":
        yield str(tmp_path / "restored.db")
        return
    with new_postgres_schema() as location:
        yield location


def story_with_a_correction(app: CityCoop) -> None:
    partnership = record_demo(app, actor="clerk-li")[0]
    record(
        app,
        ReportInvestment.validated(
            partnership=str(partnership), enterprises=7000, amount="16400000000", currency="USD", as_of="2023-05-06"
        ),
        app.provenance("clerk-wang", source="PRNewswire, 6 May 2023"),
    )
    record(
        app,
        CorrectFact.validated(
            record=str(partnership),
            corrects_version=5,
            field="investment.enterprises",
            value=700,
            reason="The press release says more than 700 enterprises",
        ),
        app.provenance("auditor-tan"),
    )


def exported(app: CityCoop) -> tuple[list[str], Head]:
    out = io.StringIO()
    head = Auditor(app).export(out)
    return out.getvalue().splitlines(keepends=True), head


def states(app: CityCoop) -> dict[str, tuple[int, dict[str, Any]]]:
    """Every record's version and facts."""
    record_ids = {entry.record_id for entry in Auditor(app).log(LogFilter(), limit=1000).entries}
    return {
        str(record_id): (app.get_record(record_id).version, facts(app.get_record(record_id)))
        for record_id in record_ids
    }


def read_models(app: CityCoop) -> dict[str, list[dict[str, Any]]]:
    catch_up(app)
    models = ReadModels(app)
    documents = {
        "partnerships": models.partnerships(),
        "conferences": models.conferences(),
        "agreements": models.agreements(),
        "cities": models.cities(),
    }
    documents["timeline"] = [entry for summary in models.partnerships() for entry in models.timeline(summary.id)]
    return {name: [document.model_dump(mode="json") for document in found] for name, found in documents.items()}


def test_an_export_restored_into_an_empty_store_has_the_same_states_read_models_and_head(
    store: str, empty_store: str
) -> None:
    with CityCoop(store) as original:
        story_with_a_correction(original)
        lines, head = exported(original)
        sealed = Auditor(original).seal()
        expected_states, expected_models = states(original), read_models(original)

    with CityCoop(empty_store) as copy:
        restored = Auditor(copy).restore(lines)

        assert (restored.events, restored.head) == (10, head)
        assert head == sealed
        assert Auditor(copy).seal() == head
        assert Auditor(copy).verify(expect=head.hash).ok
        assert states(copy) == expected_states
        assert read_models(copy) == expected_models


def test_the_export_has_a_header_a_line_per_event_with_its_provenance_and_hashes_and_a_closing_line(
    app: CityCoop,
) -> None:
    story_with_a_correction(app)

    lines, head = exported(app)

    header, *events, end = (json.loads(line) for line in lines)
    assert header["format"] == "citycoop-export"
    assert header["keyed"] is False
    assert [event["position"] for event in events] == list(range(1, 11))
    correction = events[-1]
    assert correction["topic"].endswith("Partnership.Corrected")
    assert correction["event"]["meta"]["actor"] == "auditor-tan"
    assert (correction["event"]["value"], correction["event"]["previous"]) == (700, 7000)
    assert correction["chain"] == head.hash
    assert end == {"end": {"events": 10, "position": 10, "chain": head.hash}}


@pytest.fixture
def story_export(tmp_path: Path) -> list[str]:
    with CityCoop(str(tmp_path / "original.db")) as original:
        story_with_a_correction(original)
        return exported(original)[0]


def restore_refused(store: str, lines: list[str], message: str) -> None:
    with CityCoop(store) as app:
        auditor = Auditor(app)
        with pytest.raises(ExportFileError, match=message):
            auditor.restore(lines)
        assert auditor.verify().events == 0, "a refused restore writes nothing"
        assert list(auditor.storage.chain_pages()) == []


def test_an_export_cut_off_mid_line_is_refused_at_that_line(store: str, story_export: list[str]) -> None:
    cut = [*story_export[:6], story_export[6][:40]]

    restore_refused(store, cut, r"^line 7: not valid JSON .*: the export was cut off or edited$")


def test_an_export_cut_off_between_lines_is_refused_after_its_last_line(store: str, story_export: list[str]) -> None:
    restore_refused(store, story_export[:9], r"^line 10: the export ends without its closing line: it was cut off$")


def test_an_edited_event_is_refused_at_its_line(store: str, story_export: list[str]) -> None:
    edited = list(story_export)
    edited[7] = edited[7].replace('"enterprises":700', '"enterprises":7000')

    restore_refused(store, edited, r"^line 8: the event does not match its hash")


def test_a_removed_event_is_refused_where_the_chain_breaks(store: str, story_export: list[str]) -> None:
    without_the_conferences_project = story_export[:4] + story_export[5:]

    restore_refused(store, without_the_conferences_project, r"^line 5: the log's chain breaks here")


def test_reordered_lines_are_refused_at_the_first_out_of_place(store: str, story_export: list[str]) -> None:
    swapped = list(story_export)
    swapped[3], swapped[5] = swapped[5], swapped[3]

    restore_refused(store, swapped, r"^line 4: the log's chain breaks here: .* or lines were reordered$")


def test_a_file_that_is_no_export_is_refused_at_its_first_line(store: str) -> None:
    restore_refused(store, ["kind: establish-partnership\n"], r"^line 1: not valid JSON")


def test_an_export_made_with_an_audit_key_is_refused_without_it(
    store: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CITYCOOP_AUDIT_KEY", AUDIT_KEY)
    with CityCoop(str(tmp_path / "keyed.db")) as keyed:
        record_demo(keyed, actor="clerk-li")
        lines, _ = exported(keyed)
    monkeypatch.delenv("CITYCOOP_AUDIT_KEY")

    restore_refused(store, lines, r"^line 1: the export was sealed with an audit key")


def test_a_store_that_holds_events_is_not_restored_into(app: CityCoop, story_export: list[str]) -> None:
    record_demo(app, actor="clerk-li")
    auditor = Auditor(app)
    before = auditor.verify().head

    with pytest.raises(StoreNotEmptyError, match="store: it holds 8 events already"):
        auditor.restore(story_export)

    assert auditor.verify().head == before
