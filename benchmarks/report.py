"""benchmarks/RESULTS.md: every figure beside its reference, the targets, time and memory."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import subprocess
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from benchmarks.measures import Measurement
    from benchmarks.run_all import Outcome

ANALYSIS_START = "<!-- analysis: written by hand, kept when the results are written again -->"
ANALYSIS_END = "<!-- end of analysis -->"
STORE_NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
FLAT_MEMORY_LIMIT = 2.0
REFERENCE_PROCESSES = frozenset({"raw appends", "raw reads", "bulk import floor"})
"""Processes that measure references, not citycoop: their memory is not judged."""


@dataclass(frozen=True)
class Target:
    """``at least`` a fraction of the reference's rate, ``at most`` some
    milliseconds, or ``within`` a multiple of the reference's time."""

    rule: str
    limit: float

    def describe(self) -> str:
        if self.rule == "at least":
            return f"≥ {self.limit:.0%} of reference"
        if self.rule == "at most":
            return f"≤ {self.limit:g} ms"
        return f"≤ {self.limit:g}× reference"

    def met(self, value: float, reference: float | None) -> bool | None:
        if self.rule == "at most":
            return value <= self.limit
        if not reference:
            return None
        if self.rule == "at least":
            return value / reference >= self.limit
        return value / reference <= self.limit


@dataclass(frozen=True)
class Comparison:
    figure: str
    reference: str | None = None
    target: Target | None = None
    stores: tuple[str, ...] | None = None
    """The stores it is judged on (all when None)."""

    def on(self, kind: str) -> bool:
        return self.stores is None or kind in self.stores


HALF_OF_REFERENCE = Target("at least", 0.5)
CLERK_LIMIT = Target("at most", 100)
RAW_READ = "raw read of the log: recorder"
ROW_PER_EVENT = "read, decode and write a row per event: bare driver"
"""The floor of a rebuild: a projection that keeps a row for every event (the
timeline does) can go no faster than reading the log, decoding each event as
projections do and inserting its fields as a row, with no other logic
(``measures.read_log``)."""

VERSION_ROWS = "read, decode and write a version row per changed key: bare driver"
"""The floor of a rebuild of read models versioned by log position
(``version_rows``): the least any of them writes, a row per key an event
changes in each read model; against ``ROW_PER_EVENT`` it says whether a
target set against that floor can be met by a versioned design at all."""
PAST_REGISTER = "whole register as of a position"
PAST_REGISTER_BY_TIME = "whole register as of a recorded time"
PAST_REPLAY = "whole register as of a position: replay of the log"
SECOND = Target("at most", 1000)
FLOOR = "bulk import floor: validated file and events, chained, appended"
"""The least an import can spend that validates the file and each event and
seals the events into their hash chains, with no record read or built and no
rule checked (``measures.bulk_import_floor``)."""
QUARTER_OF_REFERENCE = Target("at least", 0.25)
FLAT_RATES = {"bulk import": 0.7, "projection rebuild": 0.7}
"""Rates that must hold as the log grows: at 1M events at least this share
of the rate at 100k (issues #17 and #16). Judged only when both sizes were
measured at the same commit, and it was clean (two runs of uncommitted code
on one commit need not be the same program): a ratio of two programs' rates
says nothing of either's growth."""

COMPARISONS = (
    Comparison("bulk import", "raw append: recorder, same batches", QUARTER_OF_REFERENCE),
    Comparison(FLOOR, "raw append: recorder, same batches"),
    Comparison("bulk import", FLOOR),
    Comparison("raw append: recorder, same batches", "raw insert: bare driver, same batches"),
    Comparison("record one command", "raw append: recorder, one per transaction"),
    Comparison("record one command: latency", None, CLERK_LIMIT),
    Comparison("catch-up of one recorded command: latency", None, CLERK_LIMIT),
    Comparison("raw append: recorder, one per transaction", "raw insert: bare driver, one per transaction"),
    # Issue #16 judges a rebuild against the floor of a projection that keeps
    # a row per event; the raw read of the log it once named was withdrawn.
    Comparison("projection rebuild", ROW_PER_EVENT, HALF_OF_REFERENCE),
    Comparison("projection rebuild", RAW_READ),
    Comparison("projection rebuild", "read and decode the log"),
    Comparison("projection rebuild", VERSION_ROWS),
    Comparison(VERSION_ROWS, ROW_PER_EVENT, HALF_OF_REFERENCE),
    Comparison("audit verify", "raw read of the log: recorder, between verifications", HALF_OF_REFERENCE),
    Comparison("audit seal, from nothing", "raw read of the log: recorder, between verifications"),
    # The replay of the log up to a position: since issue #16 the past is
    # read from the versions (PAST_REGISTER, against a second), so the
    # replay's rate is a figure, no longer a target.
    Comparison("read models as of a position", RAW_READ),
    Comparison("read models as of a position", "read and decode the log"),
    Comparison("read and decode the log", RAW_READ),
    Comparison(ROW_PER_EVENT, RAW_READ),
    Comparison(RAW_READ, "raw read of the log: bare driver"),
    Comparison("show one partnership", None, CLERK_LIMIT),
    Comparison("show one partnership: read model", None, CLERK_LIMIT),
    Comparison("one partnership as of a version", None, CLERK_LIMIT),
    Comparison("one partnership as of a recorded time", None, CLERK_LIMIT),
    Comparison("one partnership's read models as of a position", None, CLERK_LIMIT),
    Comparison("one partnership's read models as of a position: from its own records"),
    Comparison(PAST_REGISTER, None, SECOND),
    Comparison(PAST_REGISTER_BY_TIME, None, SECOND),
    Comparison(PAST_REGISTER, PAST_REPLAY),
    Comparison(PAST_REGISTER_BY_TIME, PAST_REPLAY),
    Comparison("read-model bytes per event"),
    Comparison("position of a recorded time", None, Target("at most", 10)),
    Comparison("position of a recorded time: one row per event", None, Target("at most", 10)),
    Comparison(
        "position of a recorded time: scan of the log, as before", "position of a recorded time: one row per event"
    ),
    Comparison("recorded times filled for an older store"),
    Comparison(
        "raw append with its recorded times, same batches", "raw append without its recorded times, same batches"
    ),
    Comparison(
        "raw append with its recorded times, one per transaction",
        "raw append without its recorded times, one per transaction",
    ),
    Comparison("CLI: citycoop --help", "CLI: python -c 'import click'", Target("within", 2.0)),
    Comparison("CLI: citycoop --help, against python -c pass", "CLI: python -c pass"),
    Comparison("CLI: one recording command", "CLI: python -c pass"),
    Comparison("CLI: one recording command", "CLI: python -c 'import click'", Target("within", 3.0), ("sqlite",)),
    Comparison("CLI: one recording command", "CLI: python -c 'import click'", Target("within", 4.0), ("postgres",)),
    Comparison("CLI: one recording command", None, CLERK_LIMIT),
    Comparison("CLI: one recording command, environment as given", "CLI: python -c 'import click'"),
    Comparison("CLI: one recording command", "CLI: floor: minimal recording script"),
    Comparison("CLI: floor: minimal recording script", "CLI: python -c 'import click'"),
    Comparison("CLI: floor: click, pydantic, eventsourcing imported", "CLI: python -c 'import click'"),
    Comparison("CLI: floor: the same and psycopg imported", "CLI: python -c 'import click'"),
    Comparison("CLI: python -c 'import psycopg'", "CLI: python -c 'import click'"),
    Comparison("HTTP: one partnership", "HTTP: trivial endpoint", HALF_OF_REFERENCE),
    Comparison("HTTP: a page of the feed", "HTTP: trivial endpoint"),
    Comparison("HTTP: register page", "HTTP: trivial endpoint", HALF_OF_REFERENCE),
    Comparison("HTTP: partnership page", "HTTP: trivial endpoint", HALF_OF_REFERENCE),
    Comparison("HTTP: record history page", "HTTP: trivial endpoint", HALF_OF_REFERENCE),
)
"""The order of the tables; a measurement not named here is listed after them."""


@dataclass(frozen=True)
class Run:
    """One invocation of the harness: the figures of several may make one report."""

    command: str
    started: float
    seconds: float
    load: float
    """The load average over the last minute as the run ended."""
    commit: str | None = None
    """The code measured: ``git describe`` of the working tree."""

    def describe(self) -> str:
        when = time.strftime("%Y-%m-%d %H:%M %Z", time.localtime(self.started))
        code = f" at {self.commit}" if self.commit else ""
        return (
            f"`{self.command}`{code}, {when}, {self.seconds / 60:.0f} minutes, load average {self.load:.1f} as it ended"
        )


def code_version() -> str | None:
    """The commit of the working tree, marked ``-dirty`` where files differ from it."""
    try:
        found = subprocess.run(
            ["git", "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).parent,
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return found.stdout.strip() or None


def save(path: Path, runs: Sequence[Run], outcomes: Sequence[Outcome]) -> None:
    """The figures as data, so that a later run can add sizes (``--add``)."""
    document = {"runs": [asdict(run) for run in runs], "outcomes": [asdict(outcome) for outcome in outcomes]}
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def load(path: Path) -> tuple[list[Run], list[Outcome]]:
    from benchmarks.measures import Measurement
    from benchmarks.run_all import Outcome, Task

    document = json.loads(path.read_text(encoding="utf-8"))
    outcomes = [
        Outcome(
            **{
                **raw,
                "task": Task(**raw["task"]),
                "measurements": [Measurement(**measurement) for measurement in raw["measurements"]],
            }
        )
        for raw in document["outcomes"]
    ]
    return [Run(**run) for run in document["runs"]], outcomes


def render(outcomes: Sequence[Outcome], *, runs: Sequence[Run], postgres_url: str | None, previous: str) -> str:
    kinds = list(dict.fromkeys(outcome.kind for outcome in outcomes))
    sizes = sorted({outcome.size for outcome in outcomes})
    lines = [
        "# Benchmark results",
        "",
        "Written by " + "; then ".join(run.describe() for run in runs) + ".",
        "",
        *_machine(postgres_url),
        "",
        "Every figure has its reference measured in the same run, on the same store, at the same size."
        " Rates are events (or requests) per second; a rate's ratio is the share of its reference's rate,"
        " a time's ratio how many times its reference's time. \"Bare driver\" is `sqlite3` or `psycopg`"
        " writing or reading the same rows in a table with the library's columns and keys. The clerk's"
        " one-off operations report the slowest of their samples, after one warm-up. Peak memory is that of"
        " the process that measured (for the CLI and HTTP figures, the client: the commands and the server run"
        " in processes of their own); the references' processes are not judged against the memory target.",
        "",
        "## Targets",
        "",
        *_targets(outcomes, kinds, sizes),
        "",
    ]
    for kind in kinds:
        lines += [f"## {STORE_NAMES.get(kind, kind)}", "", *_figures(outcomes, kind, sizes), ""]
        lines += [f"### Time and peak memory on {STORE_NAMES.get(kind, kind)}", "", *_costs(outcomes, kind, sizes), ""]
    missing = sorted(
        {(o.task.label, o.not_measured) for o in outcomes if o.not_measured is not None},
        key=lambda item: item[0],
    )
    if missing:
        lines += ["## Not measured", "", *(f"- {label}: not measured: {reason}" for label, reason in missing), ""]
    lines += ["## Analysis", "", ANALYSIS_START, _kept_analysis(previous), ANALYSIS_END, ""]
    return "\n".join(lines)


def _machine(postgres_url: str | None) -> list[str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    memory_kb = next(
        (
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    stores = f"SQLite {sqlite3.sqlite_version}"
    if postgres_url:
        stores += f", PostgreSQL {_postgres_version(postgres_url)}"
    return [
        f"Machine: {cpu}, {os.cpu_count()} cores, {memory_kb / 1024 / 1024:.0f} GB of memory, {platform.platform()}."
        " The cores were shared with other work while the harness ran (see the load averages above), so"
        " wall-clock figures are noisy; each rate is also given per CPU second of the process that measured"
        " it, which other work barely changes (on PostgreSQL that leaves out the server's share).",
        f"Software: Python {platform.python_version()}, {stores}, eventsourcing {version('eventsourcing')},"
        f" pydantic {version('pydantic')}, psycopg {version('psycopg')}.",
    ]


def _postgres_version(url: str) -> str:
    try:
        import psycopg

        with psycopg.connect(url) as connection:
            row = connection.execute("SHOW server_version").fetchone()
            return str(row[0]) if row else "unknown"
    except Exception as error:  # the version is a courtesy, not a figure
        return f"unknown ({type(error).__name__})"


def _measurements(outcomes: Sequence[Outcome], kind: str, size: int) -> dict[str, Measurement]:
    return {m.name: m for o in outcomes if o.kind == kind and o.size == size for m in o.measurements}


def _figures(outcomes: Sequence[Outcome], kind: str, sizes: Sequence[int]) -> list[str]:
    rows = [
        "| figure | events | value | per CPU second | reference (same run) | reference value | per CPU second"
        " | ratio | CPU ratio | target | met | notes |",
        "|---|--:|--:|--:|---|--:|--:|--:|--:|---|---|---|",
    ]
    named = {name for comparison in COMPARISONS for name in (comparison.figure, comparison.reference)}
    extra = list(
        dict.fromkeys(m.name for o in outcomes if o.kind == kind for m in o.measurements if m.name not in named)
    )
    for comparison in (*COMPARISONS, *(Comparison(name) for name in extra)):
        if not comparison.on(kind):
            continue
        for size in sizes:
            measured = _measurements(outcomes, kind, size)
            figure = measured.get(comparison.figure)
            if figure is None:
                continue
            reference = measured.get(comparison.reference) if comparison.reference else None
            target = comparison.target
            cells = [
                comparison.figure,
                f"{size:,}",
                _value(figure),
                _cpu(figure),
                comparison.reference or "",
                _value(reference) if reference else "",
                _cpu(reference) if reference else "",
                _ratio(figure, reference),
                _cpu_ratio(figure, reference),
                target.describe() if target else "",
                _verdict(figure, reference, target) if target else "",
                _notes(figure),
            ]
            rows.append("| " + " | ".join(cells) + " |")
    return rows


def _targets(outcomes: Sequence[Outcome], kinds: Sequence[str], sizes: Sequence[int]) -> list[str]:
    rows = [
        "| target | store | " + " | ".join(f"{size:,} events" for size in sizes) + " |",
        "|---|---|" + "--:|" * len(sizes),
    ]
    for comparison in COMPARISONS:
        if comparison.target is None:
            continue
        for kind in kinds:
            if not comparison.on(kind):
                continue
            cells = []
            for size in sizes:
                measured = _measurements(outcomes, kind, size)
                figure = measured.get(comparison.figure)
                reference = measured.get(comparison.reference) if comparison.reference else None
                if figure is None:
                    cells.append("not measured")
                    continue
                if comparison.reference:
                    shown = _ratio(figure, reference)
                    if _cpu_ratio(figure, reference):
                        shown += f" (CPU {_cpu_ratio(figure, reference)})"
                else:
                    shown = _value(figure)
                cells.append(f"{shown} {_verdict(figure, reference, comparison.target)}")
            label = f"{comparison.figure}: {comparison.target.describe()}"
            rows.append(f"| {label} | {STORE_NAMES.get(kind, kind)} | " + " | ".join(cells) + " |")
    rows += _flat_rates(outcomes, kinds, sizes)
    for kind in kinds:
        growth = {
            label: ratio for label, ratio in _memory_growth(outcomes, kind).items() if label not in REFERENCE_PROCESSES
        }
        if growth:
            over = {label: ratio for label, ratio in growth.items() if ratio > FLAT_MEMORY_LIMIT}
            worst_label, worst = max(growth.items(), key=lambda item: item[1])
            cell = (
                ", ".join(f"{label} {ratio:.2f}× **missed**" for label, ratio in over.items())
                + f"; the other {len(growth) - len(over)} within {FLAT_MEMORY_LIMIT:g}×"
                if over
                else f"all within, at most {worst:.2f}× ({worst_label}) met"
            )
            rows.append(
                f"| peak memory of each process from 100,000 to 1,000,000 events: ≤ {FLAT_MEMORY_LIMIT:g}×"
                f" | {STORE_NAMES.get(kind, kind)} | {cell} |" + " |" * (len(sizes) - 1)
            )
    return rows


def _flat_rates(outcomes: Sequence[Outcome], kinds: Sequence[str], sizes: Sequence[int]) -> list[str]:
    """A row for each of ``FLAT_RATES`` on each store measured at 100k and 1M
    events, its figure under the 1M column."""
    rows = []
    for name, limit in FLAT_RATES.items():
        for kind in kinds:
            found = {size: _measured_with_commit(outcomes, kind, size, name) for size in (100_000, 1_000_000)}
            if found[100_000] is None or found[1_000_000] is None:
                continue
            (small, small_commit), (large, large_commit) = found[100_000], found[1_000_000]
            target = Target("at least", limit)
            shown = f"{_ratio(large, small)} (CPU {_cpu_ratio(large, small)})"
            if small_commit is not None and small_commit == large_commit and not small_commit.endswith("-dirty"):
                verdict = _verdict(large, small, target)
            else:
                verdict = (
                    f"not judged: 100k at {small_commit or 'an unrecorded commit'},"
                    f" 1M at {large_commit or 'an unrecorded commit'}"
                )
            before = " |" * sizes.index(1_000_000)
            after = " |" * (len(sizes) - sizes.index(1_000_000) - 1)
            rows.append(
                f"| {name}, rate at 1,000,000 events ÷ at 100,000: {target.describe()}"
                f" | {STORE_NAMES.get(kind, kind)} |{before} {shown} {verdict} |{after}"
            )
    return rows


def _measured_with_commit(
    outcomes: Sequence[Outcome], kind: str, size: int, name: str
) -> tuple[Measurement, str | None] | None:
    """The figure ``name`` at one store and size, with the commit it was
    measured at; the last one, as in :func:`_measurements`."""
    for outcome in reversed(outcomes):
        if outcome.kind == kind and outcome.size == size:
            for measurement in outcome.measurements:
                if measurement.name == name:
                    return measurement, outcome.commit
    return None


def _memory_growth(outcomes: Sequence[Outcome], kind: str) -> dict[str, float]:
    """Peak memory at 1M events over that at 100k, per measured process."""
    peaks = {(o.task.label, o.size): o.peak_rss_mb for o in outcomes if o.kind == kind and o.peak_rss_mb}
    return {
        label: peaks[label, 1_000_000] / peaks[label, 100_000]
        for label, size in peaks
        if size == 1_000_000 and (label, 100_000) in peaks
    }


def _costs(outcomes: Sequence[Outcome], kind: str, sizes: Sequence[int]) -> list[str]:
    growth = _memory_growth(outcomes, kind)
    header = "| process | " + " | ".join(f"{size:,}: time, peak RSS" for size in sizes) + " |"
    rows = [header + (" peak RSS, 1M ÷ 100k |" if growth else ""), "|---|" + "--:|" * (len(sizes) + bool(growth))]
    labels = list(dict.fromkeys(o.task.label for o in outcomes if o.kind == kind))
    for label in labels:
        cells = []
        for size in sizes:
            outcome = next((o for o in outcomes if o.kind == kind and o.size == size and o.task.label == label), None)
            if outcome is None or outcome.not_measured:
                cells.append("not measured")
            else:
                cells.append(f"{outcome.seconds:,.1f} s, {outcome.peak_rss_mb or 0:,.0f} MB")
        if growth:
            cells.append(f"{growth[label]:.2f}×" if label in growth else "")
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    return rows


def _value(measurement: Measurement) -> str:
    return f"{_number(measurement.value)} {measurement.unit}"


def _cpu(measurement: Measurement) -> str:
    return "" if measurement.cpu_value is None else _number(measurement.cpu_value)


def _notes(measurement: Measurement) -> str:
    return ", ".join(f"{key} {_number(value)}" for key, value in measurement.details.items())


def _number(value: float) -> str:
    if 0 < value < 1:
        return f"{value:.2g}"
    return f"{value:,.0f}" if value >= 1000 or float(value).is_integer() else f"{value:,.1f}"


def _ratio(figure: Measurement, reference: Measurement | None) -> str:
    if reference is None or not reference.value:
        return ""
    ratio = figure.value / reference.value
    return f"{ratio:.0%}" if "/s" in figure.unit else f"{ratio:.2f}×"


def _cpu_ratio(figure: Measurement, reference: Measurement | None) -> str:
    if reference is None or not figure.cpu_value or not reference.cpu_value:
        return ""
    ratio = figure.cpu_value / reference.cpu_value
    return f"{ratio:.0%}" if "/s" in figure.unit else f"{ratio:.2f}×"


def _verdict(figure: Measurement, reference: Measurement | None, target: Target) -> str:
    """Judged on the wall clock; where this process's CPU time says otherwise
    (another process took the cores during one of the two), that is said too."""
    met = target.met(figure.value, reference.value if reference else None)
    if met is None:
        return ""
    verdict = "met" if met else "**missed**"
    if reference is not None and figure.cpu_value and reference.cpu_value:
        by_cpu = target.met(figure.cpu_value, reference.cpu_value)
        if by_cpu != met:
            verdict += f" ({'met' if by_cpu else 'missed'} by CPU time)"
    return verdict


def _kept_analysis(previous: str) -> str:
    if ANALYSIS_START in previous and ANALYSIS_END in previous:
        return previous.split(ANALYSIS_START, 1)[1].split(ANALYSIS_END, 1)[0].strip("\n")
    return "(none yet)"
