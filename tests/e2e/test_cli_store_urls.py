"""A store URL the command cannot use is refused in one line, exit status 2,
with every credential masked, and never taken for a file name: through the
installed command, for queries, records and ``serve``."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_harness import citycoop

PASSWORD = "s3cretPW"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        (f"POSTGRESQL://postgres:{PASSWORD}@127.0.0.1:99999/test", "its port must be a number from 1 to 65535"),
        (f"postgresql://postgres:{PASSWORD}@127.0.0.1:abc/test", "its port must be a number from 1 to 65535"),
        (
            f"postgresql://postgres@127.0.0.1:70000/test?password={PASSWORD}",
            "its port must be a number from 1 to 65535",
        ),
        (f"postgresql://postgres:{PASSWORD}@[::1/test", "Invalid IPv6 URL"),
    ],
)
@pytest.mark.parametrize("command", [("partnerships",), ("demo",), ("serve", "--port", "0")])
def test_a_bad_store_url_is_one_masked_line_and_creates_no_file(
    url: str, problem: str, command: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    outcome = citycoop(url, *command)

    assert outcome.code == 2
    assert outcome.error.startswith("Error: store: ")
    assert outcome.error.endswith(f"is not a valid PostgreSQL URL: {problem}")
    assert PASSWORD not in outcome.stderr + outcome.stdout
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "command",
    [
        ("partnerships",),
        ("record", "add-field", "--partnership", "6a1f1c8e-8a1e-5f7e-9d55-3c1f0e5b7a10", "--field", "finance"),
    ],
)
def test_a_postgresql_url_without_its_slashes_is_one_masked_line_and_creates_no_folder(
    command: tuple[str, ...], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    outcome = citycoop(f"postgresql:postgres:{PASSWORD}@127.0.0.1/test", *command)

    assert outcome.code == 2, outcome.stderr
    assert outcome.error == (
        "Error: store: postgresql:postgres:***@127.0.0.1/test is not a valid PostgreSQL URL:"
        " postgresql: must be followed by //"
    )
    assert PASSWORD not in outcome.stderr + outcome.stdout
    assert list(tmp_path.iterdir()) == []
