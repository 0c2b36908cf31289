"""The console script starts with Python's cycle collector paused, and every
command that opens the store collects again before its own work, so a
long-running command (``projections run --follow``, ``serve``) never runs
without it; a program that imports the command keeps its collector as it was."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

STARTING = """
import gc, sys
from citycoop.cli.console import main
collections = []
gc.callbacks.append(
    lambda phase, info: phase == "start" and collections.append(gc.get_freeze_count() > 0)
)
sys.argv = ["citycoop", *sys.argv[1:]]
try:
    main()
finally:
    print(collections, file=sys.stderr)
"""
"""The console script, noting for each collection from its start on whether the
modules loaded so far had been frozen out of the collector's sight."""

FOLLOWING = """
import gc, os, sys, threading, time
def watch():
    for _ in range(600):
        if gc.isenabled():
            print("collecting", flush=True)
            os._exit(0)
        time.sleep(0.1)
    print("never collecting", flush=True)
    os._exit(1)
sys.argv = ["citycoop", *sys.argv[1:]]
from citycoop.cli.console import main
threading.Thread(target=watch, daemon=True).start()
main()
"""
"""The console script, stopped as soon as the collector runs again."""


def test_no_cycles_are_collected_while_the_command_loads(tmp_path: Path) -> None:
    churn = ["--store", str(tmp_path / "citycoop.db"), "demo"]

    shown = subprocess.run([sys.executable, "-c", STARTING, *churn], capture_output=True, text=True, check=False)

    assert shown.returncode == 0, shown.stderr
    assert "False" not in shown.stderr.splitlines()[-1]


def test_a_long_running_command_collects_cycles_while_it_runs(tmp_path: Path) -> None:
    words = ["--store", str(tmp_path / "citycoop.db"), "projections", "run", "--follow"]

    shown = subprocess.run(
        [sys.executable, "-c", FOLLOWING, *words], capture_output=True, text=True, check=False, timeout=120
    )

    assert shown.stdout.strip() == "collecting", shown.stderr


def test_importing_the_command_leaves_the_collector_alone() -> None:
    probe = "import gc; from citycoop.cli.main import cli; print(gc.isenabled())"

    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)

    assert shown.stdout.strip() == "True"
