"""A follower started before its store exists (``projections run --follow``
on a path or schema nothing has written to yet) follows the store in place,
through the installed command on both stores: it sees the events of a
``demo`` recorded after it started, rather than an empty copy for ever."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

from cli_harness import CITYCOOP, citycoop


def test_a_follower_started_before_the_store_sees_its_first_events(store: str, tmp_path: Path) -> None:
    if not store.startswith("postgresql://"):
        store = str(tmp_path / "not-yet" / "citycoop.db")
    said = tmp_path / "follower.out"
    with said.open("w", encoding="utf-8") as out:
        follower = subprocess.Popen(
            [CITYCOOP, "--store", store, "projections", "run", "--follow", "--name", "timeline"],
            stdout=out,
            stderr=subprocess.PIPE,
            text=True,
        )
    try:
        time.sleep(3)  # the follower has opened the store before the demo makes it
        assert citycoop(store, "demo").code == 0
        deadline = time.monotonic() + 30
        while "timeline: caught up to position 8" not in said.read_text(encoding="utf-8"):
            assert follower.poll() is None, follower.communicate()[1]
            assert time.monotonic() < deadline, "the follower did not see the demo's events"
            time.sleep(0.05)
    finally:
        follower.send_signal(signal.SIGTERM)
        follower.wait(timeout=30)
