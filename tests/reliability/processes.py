"""Running the installed ``citycoop`` command in a subprocess, as a clerk would,
and checking that a failure is one clear line and not a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

CITYCOOP = shutil.which("citycoop", path=str(Path(sys.executable).parent)) or "citycoop"
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
"""Prefix that runs a command as ``nobody``: root ignores file permissions."""

_INHERITED_SETTINGS = ("CITYCOOP_STORE", "CITYCOOP_AUDIT_KEY")


def environment(home: Path, **extra: str) -> dict[str, str]:
    """The test's environment without citycoop settings of its own, with a
    throwaway home so no default store is ever touched."""
    env = {name: value for name, value in os.environ.items() if name not in _INHERITED_SETTINGS}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / "data"), PYTHONUNBUFFERED="1", **extra)
    return env


def citycoop(
    *args: str, home: Path, env: dict[str, str] | None = None, as_nobody: bool = False, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    command = [*(NOBODY if as_nobody else []), CITYCOOP, *args]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        env=environment(home, **(env or {})),
        timeout=timeout,
        check=False,
        cwd=home,
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The single ``Error: …`` line a failed command printed; fails the test
    when it succeeded, printed a traceback, or said more than one line."""
    assert result.returncode != 0, f"expected a failure, got exit 0:\n{result.stdout}"
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one line of error, got {len(lines)}:\n{result.stderr}"
    assert lines[0].startswith("Error: "), lines[0]
    return lines[0]
