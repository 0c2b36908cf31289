"""A clerk who forgets or mistypes ``CITYCOOP_AUDIT_KEY`` is told in one line,
through the installed command on both stores, and nothing is recorded."""

from __future__ import annotations

import pytest
from cli_harness import citycoop

PARTNERSHIP = "712a8a14-4928-5786-9e6c-a9b3845f5511"
AUDIT_KEY = "wuxi-singapore-audit-2023"


def test_a_record_or_a_verify_without_the_stores_key_is_refused_in_one_line(
    store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CITYCOOP_AUDIT_KEY", AUDIT_KEY)
    assert citycoop(store, "demo").code == 0
    monkeypatch.delenv("CITYCOOP_AUDIT_KEY")

    recorded = citycoop(store, "record", "add-field", "--partnership", PARTNERSHIP, "--field", "finance")
    verified = citycoop(store, "audit", "verify")
    monkeypatch.setenv("CITYCOOP_AUDIT_KEY", AUDIT_KEY)
    with_the_key = citycoop(store, "audit", "verify")

    assert recorded.code == verified.code == 1
    assert recorded.error.startswith("Error: audit key: missing or wrong key: ")
    assert recorded.error.endswith("; nothing was written")
    assert verified.error.startswith("Error: audit key: missing or wrong key: ")
    assert with_the_key.code == 0, with_the_key.stdout + with_the_key.stderr
    assert "the log is intact: 8 events" in with_the_key.stdout
