"""Running the installed ``citycoop`` command the way a clerk does, and setting
up the founding story beforehand through the application service."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import NamedTuple
from uuid import UUID

from citycoop.adapters.application.importing import DEMO_SCENARIO, parse, record
from citycoop.adapters.application.service import CityCoop

CITYCOOP = str(Path(sys.executable).with_name("citycoop"))
CLERK = "clerk-li"


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str

    @property
    def error(self) -> str:
        """The one line a failing command printed, after checking it is one line."""
        lines = self.stderr.splitlines()
        assert len(lines) == 1, f"expected one line on standard error, got:\n{self.stderr}"
        assert lines[0].startswith("Error: "), lines[0]
        return lines[0]


def citycoop(store: str, *args: str, stdin: str | None = None, actor: str = CLERK) -> Outcome:
    """``citycoop --store STORE --actor ACTOR ARGS…`` in a subprocess."""
    completed = subprocess.run(
        [CITYCOOP, "--store", store, "--actor", actor, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    return Outcome(completed.returncode, completed.stdout, completed.stderr)


class Story(NamedTuple):
    """The ids of the founding story's records; None for those not yet recorded."""

    partnership: UUID | None
    conference: UUID | None
    strategic: UUID | None
    industrial: UUID | None


STORY_ENTRIES = 8


def record_story(store: str, entries: int = STORY_ENTRIES) -> Story:
    """Record the first ``entries`` entries of the founding story (0: none, but
    the store exists) through the application service."""
    text = files("citycoop.adapters.application").joinpath("scenarios", DEMO_SCENARIO).read_text(encoding="utf-8")
    source, parsed = parse(text, filename=DEMO_SCENARIO)
    app = CityCoop(store)
    try:
        ids = record(app, parsed[:entries], actor=CLERK, source=source)
    finally:
        app.close()

    def nth(index: int) -> UUID | None:
        return ids[index] if index < len(ids) else None

    return Story(partnership=nth(0), conference=nth(2), strategic=nth(4), industrial=nth(5))


def imported_by(*args: str) -> set[str]:
    """The modules that the installed ``citycoop`` script, run as a clerk runs
    it, has imported by the time it exits (``sys.modules``: ``-X importtime``
    does not see what ``importlib.import_module`` imports)."""
    probe = (
        "import atexit, json, runpy, sys\n"
        "atexit.register(lambda: print(json.dumps(sorted(sys.modules)), file=sys.stderr))\n"
        f"sys.argv = [{CITYCOOP!r}, *{list(args)!r}]\n"
        f"runpy.run_path({CITYCOOP!r}, run_name='__main__')"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True)
    return set(json.loads(run.stderr.splitlines()[-1]))
