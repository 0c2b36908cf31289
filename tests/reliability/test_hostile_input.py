"""Hostile input: every file of the corpus (``corpus/``) and every bad command
is refused with one line that names the field, and leaves the log exactly as
it was; names in any script, and text that looks like SQL, are kept exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citycoop.adapters.application.commands import EstablishPartnership, LaunchInitiative
from citycoop.adapters.application.importing import import_path, record_demo
from citycoop.adapters.application.service import CityCoop
from citycoop.domain.errors import CityCoopError, InvalidInputError
from reliability.processes import citycoop, one_line_error
from reliability.records import fingerprint, log_of, read_log
from reliability.story import PRESS_RELEASE, wuxi_singapore_id
from tests.recording import record

CORPUS = Path(__file__).with_name("corpus")
INVALID, REFUSED = 2, 1
"""Exit statuses: the input itself is wrong / the business refuses it."""

EXPECTED: dict[str, tuple[int, tuple[str, ...]]] = {
    # file: (exit status, what the one-line error must say)
    "malformed-yaml.yaml": (INVALID, ("malformed-yaml.yaml", "not valid YAML")),
    "malformed-json.json": (INVALID, ("malformed-json.json", "not valid JSON")),
    "truncated-json.json": (INVALID, ("truncated-json.json", "not valid JSON")),
    "deeply-nested.json": (INVALID, ("not valid JSON", "nested too deeply")),
    "python-object-tag.yaml": (INVALID, ("not valid YAML", "python/object")),
    "not-utf8.yaml": (INVALID, ("cannot read", "utf-8")),
    "empty.yaml": (INVALID, ("empty.yaml", "entries: missing")),
    "scalar.yaml": (INVALID, ("scalar.yaml", "entries: missing")),
    "entries-not-a-list.yaml": (INVALID, ("entries:", "list")),
    "entry-not-a-mapping.yaml": (INVALID, ("entries.0:", "mapping of fields")),
    "unknown-kind.yaml": (INVALID, ("entry 1: kind:", "'adopt-a-panda' is not a command")),
    "missing-kind.yaml": (INVALID, ("entry 1: kind: missing",)),
    "missing-field.yaml": (INVALID, ("entry 1: since:", "required")),
    "unknown-field.yaml": (INVALID, ("entry 1: colour:",)),
    "count-in-words.yaml": (INVALID, ("entry 1: count:", "whole number")),
    "count-fractional.yaml": (INVALID, ("entry 1: count:", "not a fraction")),
    "count-zero.yaml": (INVALID, ("entry 1: count:", "must be 1 or more")),
    "count-huge.yaml": (INVALID, ("entry 1: count:", "or less")),
    "enterprises-negative.yaml": (INVALID, ("entry 1: enterprises:", "cannot be negative")),
    "enterprises-huge.json": (INVALID, ("entry 1: enterprises:", "or less")),
    "enterprises-boolean.yaml": (INVALID, ("entry 1: enterprises:",)),
    "attendance-boolean.yaml": (INVALID, ("entry 1: attendance:", "not true or false")),
    "attendance-negative.yaml": (INVALID, ("entry 1: attendance:",)),
    "amount-negative.yaml": (INVALID, ("entry 1: amount:", "cannot be negative")),
    "amount-huge.json": (INVALID, ("entry 1: amount:", "digits")),
    "amount-too-precise.yaml": (INVALID, ("entry 1: amount:", "decimal places")),
    "amount-not-a-number.json": (INVALID, ("entry 1: amount:", "finite")),
    "amount-infinite.yaml": (INVALID, ("entry 1: amount:", "finite")),
    "currency-lowercase.yaml": (INVALID, ("entry 1: currency:",)),
    "currency-symbol.yaml": (INVALID, ("entry 1: currency:",)),
    "date-as-words.yaml": (INVALID, ("entry 1: as_of:", "must be a year")),
    "date-february-30.yaml": (INVALID, ("entry 1: held_on:", "not a valid date")),
    "date-us-format.yaml": (INVALID, ("entry 1: held_on:", "must be a year")),
    "date-month-13.yaml": (INVALID, ("entry 1: since:", "not a valid date")),
    "date-unquoted-february-30.yaml": (INVALID, ("entry 1: held_on:", "not a valid date")),
    "explicit-tag-not-a-number.yaml": (INVALID, ("not valid YAML", "seven hundred")),
    "title-too-long.yaml": (INVALID, ("entry 1: title:", "at most 500")),
    "title-empty.yaml": (INVALID, ("entry 1: title:",)),
    "title-blank.yaml": (INVALID, ("entry 1: title:",)),
    "title-with-newline.yaml": (INVALID, ("entry 1: title:", "control characters")),
    "title-control-characters.json": (INVALID, ("entry 1: title:", "control characters")),
    "title-lone-surrogate.json": (INVALID, ("entry 1: title:",)),
    "speaker-without-name.yaml": (INVALID, ("entry 1: speakers.0.name:", "required")),
    "statement-too-long.yaml": (INVALID, ("entry 1: speakers.0.statement:", "at most 5000")),
    "unknown-category.yaml": (INVALID, ("entry 1: category:", "is not one of: strategic,")),
    "unknown-stage.yaml": (INVALID, ("entry 1: stage:", "friendship-city, sister-city")),
    "unknown-field-of-cooperation.yaml": (INVALID, ("entry 1: fields.0:", "tourism,")),
    "wikidata-id-invalid.yaml": (INVALID, ("entry 1: city_a.wikidata_id:",)),
    "reference-sql.yaml": (INVALID, ("entry 1: partnership:", "DROP TABLE", "neither an id nor the name")),
    "reference-forward.yaml": (INVALID, ("entry 1: conference:", "'conference-2024'")),
    "reference-unknown-id.yaml": (REFUSED, ("entry 1: partnership:", "no partnership")),
    "duplicate-local-name.yaml": (INVALID, ("entry 2 (wuxi-partner): as:", "already names entry 1")),
    "key-not-text.yaml": (INVALID, ("entry 1: key:",)),
    "correction-of-version-zero.yaml": (INVALID, ("entry 1: corrects_version:",)),
    "same-city-twice.yaml": (REFUSED, ("entry 1: cities:", "two different cities")),
    "valid-then-invalid.yaml": (INVALID, ("entry 2: field:", "tourism,")),
    "refused-at-the-last-entry.yaml": (REFUSED, ("entry 3: conference:", "another partnership")),
    "more-projects-named-than-signed.yaml": (REFUSED, ("entry 4: name:", "all 3 strategic projects")),
}

THROUGH_THE_COMMAND_LINE = [
    "malformed-yaml.yaml",
    "date-unquoted-february-30.yaml",
    "deeply-nested.json",
    "not-utf8.yaml",
    "empty.yaml",
    "attendance-boolean.yaml",
    "title-lone-surrogate.json",
    "duplicate-local-name.yaml",
    "refused-at-the-last-entry.yaml",
]
"""One of each way a file can fail; the application service sees every file."""


def test_the_corpus_and_its_expectations_name_the_same_files() -> None:
    assert sorted(path.name for path in CORPUS.iterdir()) == sorted(EXPECTED)


def test_every_file_of_the_corpus_is_refused_in_one_line_naming_the_field_and_leaves_the_log_as_it_was(
    app: CityCoop,
) -> None:
    record_demo(app, actor="clerk")
    before = fingerprint(read_log(app))
    wrong = {}
    for name, (status, phrases) in EXPECTED.items():
        try:
            import_path(app, CORPUS / name, actor="clerk")
        except CityCoopError as refusal:
            message = str(refusal)
            if (status == INVALID) != isinstance(refusal, InvalidInputError):
                wrong[name] = f"{type(refusal).__name__} is not what exit status {status} stands for: {message}"
            elif "\n" in message or not all(phrase in message for phrase in phrases):
                wrong[name] = f"said {message!r}, expected {phrases}"
        else:
            wrong[name] = "was accepted"
        if fingerprint(read_log(app)) != before:
            wrong[name] = "changed the log"
            before = fingerprint(read_log(app))
    assert wrong == {}


@pytest.fixture
def demo_store(tmp_path: Path) -> str:
    store = str(tmp_path / "citycoop.db")
    app = CityCoop(store)
    record_demo(app, actor="clerk")
    app.close()
    return store


@pytest.mark.parametrize("name", THROUGH_THE_COMMAND_LINE)
def test_the_import_command_refuses_a_bad_file_in_one_line_with_its_exit_status(
    name: str, demo_store: str, home: Path
) -> None:
    status, phrases = EXPECTED[name]
    before = fingerprint(log_of(demo_store))

    result = citycoop("--store", demo_store, "import", str(CORPUS / name), home=home)

    assert result.returncode == status
    message = one_line_error(result)
    assert all(phrase in message for phrase in phrases), message
    assert fingerprint(log_of(demo_store)) == before


def test_plain_yaml_dates_and_a_field_named_on_are_read_as_written(app: CityCoop, tmp_path: Path) -> None:
    """YAML 1.1 would read ``on:`` as the key True and 2023-05-05 as a date object."""
    record_demo(app, actor="clerk")
    path = tmp_path / "stage.yaml"
    path.write_text(
        f"entries:\n  - kind: change-stage\n    partnership: {wuxi_singapore_id()}\n"
        "    stage: friendship-city\n    on: 2023-05-06\n"
        f"  - kind: hold-conference\n    partnership: {wuxi_singapore_id()}\n"
        "    title: Wuxi Singapore Cooperation and Development Conference\n    held_on: 2024-05-05\n"
        "    host_city: Singapore\n    attendance_is_approximate: false\n",
        encoding="utf-8",
    )

    import_path(app, path, actor="clerk")

    events = [app.mapper.to_domain_event(notification) for notification in read_log(app)[-2:]]
    assert [getattr(event, "on", None) for event in events] == ["2023-05-06", None]
    assert getattr(events[1], "held_on", None) == "2024-05-05"


BAD_COMMANDS = [
    (
        ["report-investment", "--enterprises", "-700", "--amount", "16400000000", "--as-of", "2023-05-05"],
        "--enterprises",
    ),
    (["report-investment", "--enterprises", "700", "--amount", "NaN", "--as-of", "2023-05-05"], "--amount"),
    (["report-investment", "--enterprises", "700", "--amount", "1e99", "--as-of", "2023-05-05"], "--amount"),
    (["report-investment", "--enterprises", "700", "--amount", "16400000000", "--as-of", "2023-13"], "--as-of"),
    (["hold-conference", "--title", "Wuxi\x1b[31m", "--held-on", "2023-05-05", "--host-city", "Wuxi"], "--title"),
    (["hold-conference", "--title", "W" * 501, "--held-on", "2023-05-05", "--host-city", "Wuxi"], "--title"),
    (["hold-conference", "--title", "Conference", "--held-on", "2023-02-30", "--host-city", "Wuxi"], "--held-on"),
    (["add-field", "--field", "space-travel"], "--field"),
    (["change-stage", "--stage", "twin-town", "--on", "2023"], "--stage"),
]


@pytest.mark.parametrize(("arguments", "option"), BAD_COMMANDS, ids=lambda value: str(value)[:40])
def test_a_bad_command_is_refused_in_one_line_naming_the_option_and_records_nothing(
    arguments: list[str], option: str, demo_store: str, home: Path
) -> None:
    before = fingerprint(log_of(demo_store))
    command, *options = arguments

    result = citycoop(
        "--store", demo_store, "record", command, "--partnership", str(wuxi_singapore_id()), *options, home=home
    )

    assert result.returncode == INVALID
    assert option in one_line_error(result)
    assert fingerprint(log_of(demo_store)) == before


def test_a_reference_that_looks_like_sql_is_refused_as_not_an_id(demo_store: str, home: Path) -> None:
    before = fingerprint(log_of(demo_store))

    result = citycoop(
        "--store", demo_store, "record", "add-field", "--partnership", "1' OR '1'='1", "--field", "tourism", home=home
    )

    assert result.returncode == INVALID
    assert "--partnership" in one_line_error(result)
    assert fingerprint(log_of(demo_store)) == before


SCRIPTS = [
    ({"name": "无锡", "country": "中国"}, {"name": "新加坡", "country": "新加坡"}),
    ({"name": "Wuxi", "country": "China"}, {"name": "Singapura", "country": "Malaysia"}),
    ({"name": "Уси", "country": "Китай"}, {"name": "Сингапур", "country": "Сингапур"}),
    ({"name": "ووشي", "country": "الصين"}, {"name": "سنغافورة", "country": "سنغافورة"}),
    ({"name": "Zürich", "country": "Schweiz"}, {"name": "São Paulo", "country": "Brasil"}),
]


@pytest.mark.parametrize(("city_a", "city_b"), SCRIPTS, ids=lambda city: city["name"])
def test_names_in_any_script_are_accepted_and_read_back_exactly(
    app: CityCoop, city_a: dict[str, str], city_b: dict[str, str]
) -> None:
    initiative = f"{city_a['name']}–{city_b['name']} 科技创新城 · Инновационный город · مدينة الابتكار"
    partnership_id = record(
        app,
        EstablishPartnership.validated(city_a=city_a, city_b=city_b, since="1993"),
        app.provenance("clerk", source=PRESS_RELEASE),
    )
    record(
        app,
        LaunchInitiative.validated(partnership=str(partnership_id), name=initiative, initiative_kind="innovation-city"),
        app.provenance("clerk"),
    )

    reopened = CityCoop(app.location.location)
    try:
        partnership = reopened.get_record(partnership_id)
    finally:
        reopened.close()
    assert [city.model_dump(exclude={"wikidata_id"}) for city in partnership.state.cities] == [city_a, city_b]
    assert partnership.state.initiatives[0].name == initiative


def test_names_in_any_script_round_trip_through_an_import_file_and_the_json_output(
    sqlite_store: str, home: Path, tmp_path: Path
) -> None:
    city_a, city_b = {"name": "无锡", "country": "中国"}, {"name": "سنغافورة", "country": "سنغافورة"}
    entries = [{"kind": "establish-partnership", "city_a": city_a, "city_b": city_b, "since": "1993"}]
    path = tmp_path / "无锡.json"
    path.write_text(json.dumps({"entries": entries}, ensure_ascii=False), encoding="utf-8")

    imported = citycoop("--store", sqlite_store, "--json", "import", str(path), home=home)
    assert imported.returncode == 0, imported.stderr
    partnership_id = json.loads(imported.stdout)["entries"][0]["id"]
    shown = citycoop("--store", sqlite_store, "--json", "partnerships", partnership_id, home=home)

    assert shown.returncode == 0, shown.stderr
    assert "无锡" in shown.stdout
    assert "سنغافورة" in shown.stdout
    assert json.loads(shown.stdout)["cities"][0]["name"] == "无锡"


SQL_LOOKING = "Robert'); DROP TABLE stored_events; DROP TABLE citycoop_events; --"


def test_text_that_looks_like_sql_is_kept_as_text_and_harms_no_table(app: CityCoop) -> None:
    record_demo(app, actor="clerk")
    events_before = len(read_log(app))

    partnership_id = record(
        app,
        EstablishPartnership.validated(
            city_a={"name": SQL_LOOKING, "country": "' OR '1'='1"},
            city_b={"name": "Singapore", "country": "Singapore"},
            since="1993",
        ),
        app.provenance("clerk", source="1; SELECT pg_sleep(10); --"),
    )

    assert app.get_record(partnership_id).state.cities[0].name == SQL_LOOKING
    assert len(read_log(app)) == events_before + 1
    assert app.get_record(wuxi_singapore_id()).state.investment is not None
