"""The installed citycoop command, run in a subprocess on the scenario's store:
import a file, read it back as JSON, and refusals that leave the log alone."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from citycoop.adapters.writes import DEMO_SCENARIO, demo_text

from .chronicle import TYPES, Bounded, Chronicle

pytestmark = pytest.mark.usefixtures("chronicle")
scenarios("command_line.feature")

Run = subprocess.CompletedProcess[str]


@given(
    "a file with the founding story, as the clerk would write it from the press release",
    target_fixture="story_file",
)
def _(tmp_path: Path) -> Path:
    path = tmp_path / DEMO_SCENARIO
    path.write_text(demo_text(), "utf-8")
    return path


@given("the clerk imported the file with the citycoop command")
def _(chronicle: Chronicle, story_file: Path) -> None:
    run = chronicle.citycoop("--json", "import", str(story_file))
    assert run.returncode == 0, run.stderr
    chronicle.learn(UUID(entry["id"]) for entry in json.loads(run.stdout)["entries"])


@when("the clerk imports the file with the citycoop command", target_fixture="run")
def _(chronicle: Chronicle, story_file: Path) -> Run | None:
    return chronicle.attempt(lambda: chronicle.citycoop("import", str(story_file)))


SIGNS = "the clerk signs {count:d} {category} projects for {pair} at"


@when(
    parsers.parse(f"{SIGNS} the conference of {{held_on:Date}}, with the citycoop command", extra_types=TYPES),
    target_fixture="run",
)
def _(chronicle: Chronicle, *, count: int, category: str, pair: str, held_on: str) -> Run | None:
    return _sign(chronicle, count, category, chronicle.partnerships[pair], chronicle.conferences[held_on])


@when(
    parsers.parse(f"{SIGNS} a conference that was never held, with the citycoop command"),
    target_fixture="run",
)
def _(chronicle: Chronicle, *, count: int, category: str, pair: str) -> Run | None:
    return _sign(chronicle, count, category, chronicle.partnerships[pair], uuid4())


def _sign(chronicle: Chronicle, count: int, category: str, partnership_id: UUID, conference_id: UUID) -> Run | None:
    return chronicle.attempt(
        lambda: chronicle.citycoop(
            *("record", "sign-projects", "--partnership", str(partnership_id), "--conference", str(conference_id)),
            *("--category", category, "--count", str(count)),
        )
    )


@then("the citycoop command succeeds")
def _(run: Run) -> None:
    assert run.returncode == 0, run.stderr


@then(parsers.parse('the citycoop command exits with status {status:d} and the one line "{line}"'))
def _(run: Run, *, status: int, line: str) -> None:
    assert (run.returncode, run.stdout) == (status, "")
    [said] = run.stderr.splitlines()
    assert said.startswith(line)


def _listed(chronicle: Chronicle, what: str) -> list[dict[str, Any]]:
    run = chronicle.citycoop("--json", what)
    assert run.returncode == 0, run.stderr
    listed: list[dict[str, Any]] = json.loads(run.stdout)
    return listed


@then(
    parsers.parse(
        "the partnerships listed as JSON by the citycoop command show {city_a} and {city_b}"
        " with {total:d} projects signed"
    )
)
def _(chronicle: Chronicle, *, city_a: str, city_b: str, total: int) -> None:
    [partnership] = _listed(chronicle, "partnerships")
    assert ([city["name"] for city in partnership["cities"]], partnership["projects_total"]) == (
        [city_a, city_b],
        total,
    )


@then(
    parsers.parse(
        "the conferences listed as JSON by the citycoop command show the conference of {held_on:Date}"
        " in {host} with {attendance:Bounded} guests",
        extra_types=TYPES,
    )
)
def _(chronicle: Chronicle, *, held_on: str, host: str, attendance: Bounded) -> None:
    [conference] = _listed(chronicle, "conferences")
    shown = [conference[name] for name in ("held_on", "host_city", "attendance_qualifier", "attendance")]
    assert shown == [held_on, host, *attendance]
