"""The contract at /openapi.json holds: schemathesis generates requests from
it, valid and invalid, and no answer is a server error or breaks the schema."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from http_harness import (
    Server,
    recorded_fixture,  # noqa: F401 (a fixture)
    server_fixture,  # noqa: F401 (a fixture)
)

SCHEMATHESIS = str(Path(sys.executable).with_name("schemathesis"))
MAX_EXAMPLES_PER_OPERATION = 30


def test_no_request_the_contract_allows_or_forbids_breaks_the_server_or_the_contract(
    server: Server, tmp_path: Path
) -> None:
    assert server.base_url.startswith("http://127.0.0.1:"), "fuzz the loopback server only"
    command = [
        SCHEMATHESIS,
        "run",
        f"{server.base_url}/openapi.json",
        "--checks=all",
        "--mode=all",
        f"--max-examples={MAX_EXAMPLES_PER_OPERATION}",
        "--phases=examples,coverage,fuzzing",
        "--workers=1",
        "--request-timeout=30",
        "--generation-database=none",
        "--no-color",
    ]

    run = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False)

    assert run.returncode == 0, f"{run.stdout}\n{run.stderr}\n--- server log ---\n{server.log.read_text()[-5000:]}"
