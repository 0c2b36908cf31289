"""The CLI's cold start, beside bare Python's, measured in the same run.

    python -m benchmarks.cli_startup [--runs 21] [--store PATH|URL] [--floor-store PATH|URL]

Each command runs ``--runs`` times, each time in a fresh process, the
commands taking turns round after round so that a neighbour's burst of CPU
lands on all of them alike; the median is reported with its ratio to
``python -c pass`` and to ``python -c "import click"``. The target:
``citycoop --help`` within 2× of ``python -c "import click"`` (bare start-up
plus click, which any click program pays). Then ``python -X importtime``
names the modules that ``--help`` spends most on, to keep heavy imports lazy.

The recording command is ``record report-investment`` on the Wuxi–Singapore
partnership of the demo: a new fact each run, through the whole path (open
the store, record one event, bring the read models up to date). Without
``--store`` it runs on a fresh SQLite file in a temporary folder, where the
demo and the read models are set up first, untimed.

Beside them run the floors, what any recording command on these libraries
pays, in the same turns: the libraries imported (click, pydantic's models,
eventsourcing's application; on PostgreSQL psycopg too, and psycopg alone),
and ``benchmarks/minimal_recording.py``, which validates one fact with one
pydantic model and appends it with eventsourcing's own recorder, into a
store of its own (``--floor-store``; by default a file in the temporary
folder, or a throwaway schema beside ``--store`` on PostgreSQL). A target
below a floor cannot be met by citycoop's code alone.

Every command runs with its bytecode cached, as an installed package's is:
under a private ``PYTHONPYCACHEPREFIX``, written on the warm-up round, for
the references as for citycoop. The recording command runs a second time
with the environment as it is given (``RECORD_AS_GIVEN``): where that sets
``PYTHONDONTWRITEBYTECODE`` (this machine does), an editable install compiles
citycoop's own modules at every start, as the figures before this benchmark
wrote bytecode were measured.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter
from urllib.parse import urlsplit, urlunsplit

CITYCOOP = str(Path(sys.executable).with_name("citycoop"))
MINIMAL_RECORDING = str(Path(__file__).with_name("minimal_recording.py"))
PARTNERSHIP_ID = "712a8a14-4928-5786-9e6c-a9b3845f5511"
"""Wuxi–Singapore, as ``citycoop demo`` records it (the id follows from the cities)."""

PASS = "python -c pass"
IMPORT_CLICK = "python -c 'import click'"
HELP = "citycoop --help"
RECORD = "citycoop record report-investment"
RECORD_AS_GIVEN = "citycoop record …, environment as given"
FLOOR_LIBRARIES = "floor: click, pydantic, eventsourcing imported"
FLOOR_POSTGRES_LIBRARIES = "floor: the same and psycopg imported"
FLOOR_PSYCOPG = "python -c 'import psycopg'"
FLOOR_RECORDING = "floor: minimal recording script"
FLOORS = (FLOOR_LIBRARIES, FLOOR_POSTGRES_LIBRARIES, FLOOR_PSYCOPG, FLOOR_RECORDING)
"""What any recording command on these libraries pays (the second and third on PostgreSQL only)."""
LIBRARIES = (
    "from citycoop.cli import console; console.prepare(); import click, pydantic.main, eventsourcing.application"
)
"""What a recording command cannot do without, started as the ``citycoop``
script starts; ``import pydantic`` alone loads next to nothing (pydantic
imports its parts on first use), its models are in ``pydantic.main``."""
TARGET = 2.0
"""``citycoop --help`` within this many times ``python -c 'import click'``."""
RECORD_TARGETS = {"SQLite": 3.0, "PostgreSQL": 4.0}
"""One recording command within this many times ``python -c 'import click'``."""


@dataclass(frozen=True)
class Figures:
    """Seconds per run of each command, every run kept, on the wall clock and
    of CPU (the command's process, user and system): on shared cores the
    second barely moves with the neighbours' load, the first does."""

    runs: dict[str, list[float]]
    cpu: dict[str, list[float]]

    def median(self, name: str) -> float:
        return statistics.median(self.runs[name])

    def cpu_median(self, name: str) -> float:
        return statistics.median(self.cpu[name])


def is_postgres(store: str) -> bool:
    return store.startswith(("postgresql:", "postgres:"))


def commands(store: str, floor_store: str) -> dict[str, list[str]]:
    """Each command by name; the floors record into ``floor_store``."""
    record = [CITYCOOP, "--store", store, "--actor", "benchmark", "record", "report-investment"]
    record += ["--partnership", PARTNERSHIP_ID, "--enterprises", "700", "--amount", "16400000000"]
    record += ["--as-of", "2023-05-06"]
    to_run = {
        PASS: [sys.executable, "-c", "pass"],
        IMPORT_CLICK: [sys.executable, "-c", "import click"],
        HELP: [CITYCOOP, "--help"],
        RECORD: record,
        RECORD_AS_GIVEN: record,
        FLOOR_LIBRARIES: [sys.executable, "-c", LIBRARIES],
    }
    if is_postgres(store):
        to_run[FLOOR_POSTGRES_LIBRARIES] = [sys.executable, "-c", f"{LIBRARIES}, psycopg"]
        to_run[FLOOR_PSYCOPG] = [sys.executable, "-c", "import psycopg"]
    to_run[FLOOR_RECORDING] = [sys.executable, MINIMAL_RECORDING, floor_store]
    return to_run


def environments(cache: str) -> dict[str, dict[str, str]]:
    """Each command's environment: bytecode cached under ``cache``, but for ``RECORD_AS_GIVEN``."""
    cached = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    cached["PYTHONPYCACHEPREFIX"] = cache
    return {name: dict(os.environ) if name == RECORD_AS_GIVEN else cached for name in commands("postgresql:", "")}


def prepare(store: str) -> None:
    """The demo recorded and the read models built, so that every timed run
    of the recording command does the same work."""
    subprocess.run([CITYCOOP, "--store", store, "--actor", "benchmark", "demo"], check=True, capture_output=True)


def measure(store: str, runs: int, floor_store: str) -> Figures:
    """Each command ``runs`` times, in turns; one untimed warm-up round first
    (the operating system's file cache, Python's bytecode cache)."""
    to_run = commands(store, floor_store)
    timed: dict[str, list[float]] = {name: [] for name in to_run}
    cpu: dict[str, list[float]] = {name: [] for name in to_run}
    with tempfile.TemporaryDirectory() as cache:
        environment = environments(cache)
        for round_number in range(runs + 1):
            for name, command in to_run.items():
                started, used = perf_counter(), _children_cpu()
                subprocess.run(
                    command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment[name]
                )
                if round_number:
                    timed[name].append(perf_counter() - started)
                    cpu[name].append(_children_cpu() - used)
    return Figures(timed, cpu)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def heaviest_imports(count: int = 8) -> list[tuple[str, float]]:
    """The modules that loading the command for ``--help`` spends most on,
    cumulative milliseconds, as ``python -X importtime`` reports them."""
    probe = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "from citycoop.cli.main import cli"],
        capture_output=True,
        text=True,
        check=True,
    )
    found = []
    for line in probe.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = (part.strip() for part in line.removeprefix("import time:").split("|"))
        found.append((name, int(cumulative) / 1000))
    return sorted(found, key=lambda item: -item[1])[:count]


def report(figures: Figures, store: str) -> list[str]:
    bare, with_click = figures.median(PASS), figures.median(IMPORT_CLICK)
    runs = len(figures.runs[PASS])
    lines = [
        f"CLI cold start: median of {runs} runs each, in fresh processes, taking turns; store {store}",
        "",
        f"{'command':<44}{'ms':>9}{'× pass':>10}{'× import click':>16}{'CPU ms':>9}{'CPU × click':>13}",
    ]
    cpu_click = figures.cpu_median(IMPORT_CLICK)
    for name in figures.runs:
        median, cpu = figures.median(name), figures.cpu_median(name)
        lines.append(
            f"{name:<44}{median * 1000:>9.1f}{median / bare:>10.2f}{median / with_click:>16.2f}"
            f"{cpu * 1000:>9.1f}{cpu / cpu_click:>13.2f}"
        )
    ratio = figures.median(HELP) / with_click
    verdict = "met" if ratio <= TARGET else "NOT met"
    lines += ["", f"target: {HELP} within {TARGET:g}× {IMPORT_CLICK}: {ratio:.2f}× — {verdict}"]
    ratio = figures.median(RECORD) / with_click
    store_name = "PostgreSQL" if is_postgres(store) else "SQLite"
    limit = RECORD_TARGETS[store_name]
    verdict = "met" if ratio <= limit else "NOT met"
    lines.append(f"target on {store_name}: {RECORD} within {limit:g}× {IMPORT_CLICK}: {ratio:.2f}× — {verdict}")
    floor = figures.median(FLOOR_RECORDING) / with_click
    where = "below" if limit < floor else "above"
    lines.append(f"the minimal recording script takes {floor:.2f}× {IMPORT_CLICK}: the target lies {where} that floor")
    lines += ["", "heaviest imports behind --help (cumulative ms, python -X importtime):"]
    lines += [f"  {milliseconds:7.1f}  {name}" for name, milliseconds in heaviest_imports()]
    return lines


def main(arguments: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=21, help="timed runs of each command (default 21)")
    parser.add_argument("--store", help="SQLite file or postgresql:// URL (default: a fresh SQLite file)")
    parser.add_argument(
        "--floor-store",
        help="where the minimal recording script records: not a citycoop store"
        " (default: a file in the temporary folder, or a throwaway schema beside a PostgreSQL --store)",
    )
    options = parser.parse_args(arguments)
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        store = options.store or str(Path(folder) / "citycoop.db")
        floor_store = options.floor_store or str(Path(folder) / "minimal.db")
        if is_postgres(store) and not options.floor_store:
            from benchmarks.stores import throwaway_schemas

            server = urlunsplit(urlsplit(store)._replace(query=""))
            [floor_store] = stack.enter_context(throwaway_schemas(server, f"cli_floor_{os.getpid()}"))
        prepare(store)
        print("\n".join(report(measure(store, options.runs, floor_store), store)))


if __name__ == "__main__":
    main()
