"""One small run of the benchmark harness, so that it cannot rot.

It asserts on the shape of the results, never on speed: speed is measured
only when the benchmarks are run on purpose.
"""

from __future__ import annotations

from pathlib import Path

import psycopg

from benchmarks import report, run_all
from benchmarks.measures import postgres_url_and_schema
from benchmarks.run_all import TASKS, Outcome

SIZE = 10_000


def test_a_run_at_ten_thousand_events_measures_every_figure_beside_its_reference_and_leaves_no_store(
    store: str, tmp_path: Path
) -> None:
    kind = "postgres" if store.startswith("postgresql://") else "sqlite"
    base_url = postgres_url_and_schema(store)[0] if kind == "postgres" else None
    # Schemas of other runs (one killed before it dropped its own) are not this run's to judge.
    others = _benchmark_schemas(store) if kind == "postgres" else set()

    outcomes = run_all.run(
        sizes=[SIZE], kinds=[kind], workdir=tmp_path, postgres_url=base_url, oneoffs=5, quick=True, progress=False
    )

    _every_task_ran_once_in_order_and_was_measured_or_says_why_not(outcomes, kind)
    _the_history_was_recorded_whole_and_own_figures_have_their_references(outcomes)
    _the_results_put_each_figure_beside_its_reference_and_keep_the_analysis(outcomes, kind)
    _the_figures_are_kept_as_data_for_a_later_run_to_add_to(outcomes, tmp_path / "RESULTS.json")
    if kind == "sqlite":
        assert list(tmp_path.iterdir()) == []
    else:
        assert _benchmark_schemas(store) <= others


def _every_task_ran_once_in_order_and_was_measured_or_says_why_not(outcomes: list[Outcome], kind: str) -> None:
    assert [outcome.task for outcome in outcomes] == list(TASKS)
    for outcome in outcomes:
        assert (outcome.kind, outcome.size) == (kind, SIZE)
        if outcome.not_measured is None:
            assert outcome.measurements, outcome.task.label
            assert outcome.peak_rss_mb is not None
            assert outcome.peak_rss_mb > 0
            assert all(m.value > 0 and m.seconds > 0 for m in outcome.measurements), outcome.measurements
        else:
            assert not outcome.measurements
            assert outcome.not_measured.strip(), outcome.task.label


def _the_history_was_recorded_whole_and_own_figures_have_their_references(outcomes: list[Outcome]) -> None:
    measured = {m.name: m for outcome in outcomes for m in outcome.measurements}
    own = ("bulk import", "raw appends", "raw reads", "clerk's reads", "record one command")
    assert [o.not_measured for o in outcomes if o.task.label in own] == [None] * len(own)
    assert measured["bulk import"].details["events"] == SIZE
    assert measured["record one command: latency"].details["samples"] == 5
    assert measured["catch-up of one recorded command: latency"].details["samples"] == 5
    for comparison in report.COMPARISONS:
        if comparison.figure in measured and comparison.reference is not None:
            assert comparison.reference in measured, comparison


def _the_results_put_each_figure_beside_its_reference_and_keep_the_analysis(outcomes: list[Outcome], kind: str) -> None:
    previous = f"# old\n\n{report.ANALYSIS_START}\nThe import misses its target because …\n{report.ANALYSIS_END}\n"

    runs = [report.Run("python -m benchmarks.run_all --sizes 10k", started=0.0, seconds=60.0, load=1.0)]

    text = report.render(outcomes, runs=runs, postgres_url=None, previous=previous)

    assert f"## {report.STORE_NAMES[kind]}" in text
    import_row = next(line for line in text.splitlines() if line.startswith(f"| bulk import | {SIZE:,} |"))
    cells = [cell.strip() for cell in import_row.strip("|").split("|")]
    assert cells[4] == "raw append: recorder, same batches"
    assert cells[7].endswith("%")
    assert cells[8].endswith("%"), "SQLite and the client of PostgreSQL both spend CPU time on an import"
    assert cells[9] == "≥ 25% of reference"  # issue #17
    assert cells[10].startswith(("met", "**missed**"))
    assert "The import misses its target because …" in text
    for outcome in outcomes:
        if outcome.not_measured:
            assert f"- {outcome.task.label}: not measured: {outcome.not_measured}" in text


def _the_figures_are_kept_as_data_for_a_later_run_to_add_to(outcomes: list[Outcome], path: Path) -> None:
    runs = [report.Run("python -m benchmarks.run_all --sizes 10k", started=0.0, seconds=60.0, load=1.0)]

    report.save(path, runs, outcomes)

    assert report.load(path) == (runs, outcomes)
    path.unlink()


def _benchmark_schemas(store: str) -> set[str]:
    with psycopg.connect(postgres_url_and_schema(store)[0]) as connection:
        rows = connection.execute(
            "SELECT schema_name FROM information_schema.schemata WHERE schema_name LIKE %s", (f"bench\\_{SIZE}\\_%",)
        ).fetchall()
    return {name for (name,) in rows}
