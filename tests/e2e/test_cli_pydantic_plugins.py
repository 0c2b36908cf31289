"""The console script leaves pydantic's plugin discovery out, which reads
every installed package's metadata at each start, unless the user asks for
plugins with ``PYDANTIC_DISABLE_PLUGINS`` set (empty brings them all back)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
import sys
sys.argv = ["citycoop", *sys.argv[1:]]
from citycoop.cli.console import main
try:
    main()
finally:
    from pydantic.plugin import _loader
    print("looked for plugins" if _loader._plugins is not None else "no plugins looked for", file=sys.stderr)
"""


def run(store: Path, environment: dict[str, str]) -> str:
    env = {name: value for name, value in os.environ.items() if name != "PYDANTIC_DISABLE_PLUGINS"}
    shown = subprocess.run(
        [sys.executable, "-c", PROBE, "--store", str(store), "demo"],
        capture_output=True,
        text=True,
        check=False,
        env={**env, **environment},
    )
    assert shown.returncode == 0, shown.stderr
    return shown.stderr.splitlines()[-1]


@pytest.mark.parametrize(
    ("environment", "expected"),
    [({}, "no plugins looked for"), ({"PYDANTIC_DISABLE_PLUGINS": ""}, "looked for plugins")],
    ids=["by default", "asked for"],
)
def test_the_command_looks_for_pydantic_plugins_only_when_asked(
    tmp_path: Path, environment: dict[str, str], expected: str
) -> None:
    assert run(tmp_path / "citycoop.db", environment) == expected
