"""A command on a PostgreSQL store opens the connections it uses, not the
library's pool of five, each of which the server starts a process for: the
check made once on opening and one of the pool (and a second, which the pool
may start while the command waits for its first), unless the environment asks
for a bigger pool."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from cli_harness import CITYCOOP

PROBE = """
import sys
import psycopg
connections = []
connect = psycopg.Connection.connect.__func__
psycopg.Connection.connect = classmethod(lambda cls, *a, **k: connections.append(1) or connect(cls, *a, **k))
sys.argv = ["citycoop", *sys.argv[1:]]
from citycoop.cli.console import main
try:
    main()
finally:
    print(len(connections), file=sys.stderr)
"""
WUXI_SINGAPORE = "712a8a14-4928-5786-9e6c-a9b3845f5511"


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("environment", "fewest", "most"),
    [({}, 2, 3), ({"POSTGRES_POOL_SIZE": "5"}, 6, 7)],
    ids=["by default", "asked for"],
)
def test_a_recording_command_opens_one_connection_of_the_pool(
    postgres_store: str, environment: dict[str, str], fewest: int, most: int
) -> None:
    subprocess.run([CITYCOOP, "--store", postgres_store, "demo"], check=True, capture_output=True)
    record = ["--store", postgres_store, "record", "add-field", "--partnership", WUXI_SINGAPORE, "--field", "finance"]
    env = {name: value for name, value in os.environ.items() if name != "POSTGRES_POOL_SIZE"}

    shown = subprocess.run(
        [sys.executable, "-c", PROBE, *record], capture_output=True, text=True, check=False, env={**env, **environment}
    )

    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == WUXI_SINGAPORE
    assert fewest <= int(shown.stderr.splitlines()[-1]) <= most
    partnership = subprocess.run(
        [CITYCOOP, "--store", postgres_store, "--json", "partnerships"], capture_output=True, text=True, check=True
    )
    assert "finance" in partnership.stdout
