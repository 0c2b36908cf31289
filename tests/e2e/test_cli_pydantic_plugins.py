"""The console script leaves pydantic's plugin discovery out, which reads
every installed package's metadata at each start, unless the user asks for
plugins with ``PYDANTIC_DISABLE_PLUGINS`` set (empty brings them all back);
with every plugin off, not even the module that reads the metadata is loaded."""

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
    looked = getattr(_loader, "_plugins", None) is not None
    print("looked for plugins" if looked else "no plugins looked for", file=sys.stderr)
    print("metadata read" if "importlib.metadata" in sys.modules else "no metadata read", file=sys.stderr)
"""


def run(store: Path, environment: dict[str, str]) -> list[str]:
    env = {name: value for name, value in os.environ.items() if name != "PYDANTIC_DISABLE_PLUGINS"}
    shown = subprocess.run(
        [sys.executable, "-c", PROBE, "--store", str(store), "demo"],
        capture_output=True,
        text=True,
        check=False,
        env={**env, **environment},
    )
    assert shown.returncode == 0, shown.stderr
    return shown.stderr.splitlines()[-2:]


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, ["no plugins looked for", "no metadata read"]),
        ({"PYDANTIC_DISABLE_PLUGINS": "1"}, ["no plugins looked for", "no metadata read"]),
        ({"PYDANTIC_DISABLE_PLUGINS": ""}, ["looked for plugins", "metadata read"]),
    ],
    ids=["by default", "all off", "asked for"],
)
def test_the_command_looks_for_pydantic_plugins_only_when_asked(
    tmp_path: Path, environment: dict[str, str], expected: list[str]
) -> None:
    assert run(tmp_path / "citycoop.db", environment) == expected
