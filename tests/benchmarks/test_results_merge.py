"""``run_all --add``: a later run adds to the figures kept in RESULTS.json."""

from __future__ import annotations

from benchmarks.measures import Measurement
from benchmarks.run_all import TASKS, Outcome, Task, merged, names_the_import

IMPORT, READS, TIMES = TASKS[0], TASKS[2], TASKS[-1]


def outcome(task: Task, size: int, value: float) -> Outcome:
    return Outcome(task, "sqlite", size, [Measurement(task.label, value, "events/s", 1.0)])


def values(outcomes: list[Outcome]) -> dict[tuple[str, int], float]:
    return {(o.task.label, o.size): o.measurements[0].value for o in outcomes}


def test_a_run_of_some_tasks_replaces_those_and_keeps_the_others_and_the_import_that_measured_the_store() -> None:
    earlier = [outcome(IMPORT, 10_000, 1), outcome(READS, 10_000, 2), outcome(TIMES, 10_000, 3)]
    later = [outcome(IMPORT, 10_000, 10), outcome(READS, 10_000, 20), outcome(IMPORT, 100_000, 40)]

    assert values(merged(earlier, later, only=True)) == {
        ("bulk import", 10_000): 1,
        ("raw reads", 10_000): 20,
        ("position of a recorded time", 10_000): 3,
        ("bulk import", 100_000): 40,
    }
    assert values(merged(earlier, later, only=False))[("bulk import", 10_000)] == 10


def test_a_run_that_names_the_import_replaces_the_earlier_import() -> None:
    assert names_the_import("bulk import,raw appends")
    assert names_the_import(" Bulk Import ")
    assert not names_the_import("raw appends,position of a recorded time")
    assert not names_the_import("bulk")  # a word of it runs it, as every run does, but keeps the earlier figures
