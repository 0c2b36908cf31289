"""The rebuild benchmark that the projections issue names, run small so that
it cannot rot. It asserts what the benchmark prints, never how fast."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import postgres_url

ROOT = Path(__file__).parents[2]


def test_the_rebuild_benchmark_prints_each_checkpoint_beside_the_raw_read_and_the_floor(store: str) -> None:
    postgres = store.startswith("postgresql://")
    given = postgres_url() if postgres else store
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.projection_rebuild", "--events", "2000", "--store", given],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=300,
    )

    lines = result.stdout.splitlines()
    header = next(number for number, line in enumerate(lines) if line.split()[:1] == ["events"])
    rows = [line.split() for line in lines[header + 1 : header + 3]]
    assert [row[0] for row in rows] == ["200", "2,000"]
    for row in rows:
        raw_read, floor, rebuild = (float(cell.replace(",", "")) for cell in row[1:4])
        assert min(raw_read, floor, rebuild) > 0, row
        assert abs(int(row[4].rstrip("%")) - 100 * rebuild / raw_read) <= 1, row
        assert abs(int(row[5].rstrip("%")) - 100 * rebuild / floor) <= 1, row
    verdict = lines[-1]
    assert verdict.startswith(f"rebuild at {rows[-1][5]} of the floor of a projection with a row per event: ")
    assert "the target of 50%" in verdict
    assert "the floor runs at " in verdict
    if not postgres:
        assert Path(store).exists(), "the SQLite store named is kept"
        assert not list(Path(store).parent.glob("*.floor*")), "the floor's own file is deleted"
