"""Crashes: a writer killed with SIGKILL in the middle of a big import leaves
all of the file or none of it, and the import given again records it once."""

from __future__ import annotations

from pathlib import Path

from citycoop.adapters.application import CityCoop
from reliability.crashes import WriteProbe, kill_while_writing, start_import, wait_until_no_one_writes
from reliability.processes import citycoop
from reliability.records import broken_links, events_per_key, log_of
from reliability.story import big_import

INITIATIVES = 3_000
EVENTS = INITIATIVES + 1


def test_a_writer_killed_while_writing_an_import_leaves_all_or_none_of_it_and_a_second_import_records_it_once(
    store: str, tmp_path: Path, home: Path
) -> None:
    bulk = big_import(tmp_path / "bulk.json", initiatives=INITIATIVES)
    CityCoop(store).close()

    with WriteProbe(store) as probe:
        process = start_import(store, bulk, home)
        assert kill_while_writing(process, probe), "the import was killed inside its transaction"
        wait_until_no_one_writes(probe)

    after_the_crash = events_per_key(store)
    assert sum(after_the_crash.values()) in (0, EVENTS), "all of the file or none of it"
    result = citycoop("--store", store, "import", str(bulk), home=home)
    assert result.returncode == 0, result.stderr
    recorded = events_per_key(store)
    assert len(recorded) == EVENTS
    assert set(recorded.values()) == {1}
    assert broken_links(log_of(store)) == []
    audit = citycoop("--store", store, "audit", "verify", home=home)
    assert audit.returncode == 0, audit.stdout + audit.stderr
