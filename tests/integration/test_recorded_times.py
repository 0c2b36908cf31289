"""Where the log ended at a recorded time, found in the index of recorded
times by transaction, on both stores: the same position as the release
before found by reading the log from its start (kept here as the oracle),
except that a moment inside one transaction is read as of its end, never
between two of its events; for the founding story, a generated history,
concurrent writers, imports, and stores written before the index existed."""

from __future__ import annotations

import random
import shutil
import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from threading import Barrier, Thread
from uuid import UUID

import orjson
from click.testing import CliRunner
from eventsourcing.persistence import StoredEvent

from benchmarks import generator
from citycoop.adapters.application.importing import record_demo
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.audit.auditor import Auditor
from citycoop.adapters.reads import Moment, Reads
from citycoop.adapters.storage.chain import unsealed
from citycoop.adapters.storage.sql import sql_of
from citycoop.cli.main import cli

FIXTURE = Path(__file__).parents[1] / "fixtures" / "written-by-main" / "store.db"
P = "712a8a14-4928-5786-9e6c-a9b3845f5511"
MICROSECOND = timedelta(microseconds=1)

Log = list[tuple[int, datetime]]


def now() -> datetime:
    return datetime.now(tz=UTC)


def log_of(app: CityCoop) -> Log:
    """Every position of the log and when its event was recorded."""
    return [
        (row[0], datetime.fromisoformat(orjson.loads(unsealed(bytes(row[4])))["timestamp"]))
        for page in Auditor(app).storage.row_pages()
        for row in page
    ]


def scanned(log: Log, moment: datetime) -> int:
    """The release before's answer, reading the log from its start: the
    position before the first event recorded after ``moment``."""
    position = 0
    for at, recorded in log:
        if recorded > moment:
            return position
        position = at
    return position


def expected(log: Log, ends: Iterable[int], moment: datetime) -> int:
    """The scan's answer, moved to the end of its transaction when it fell
    between two of its events; ``ends`` are the transactions' last positions,
    as the writers saw them."""
    position = scanned(log, moment)
    return min(end for end in [0, *ends] if end >= position)


def moments(log: Log, samples: int = 0, seed: int = 16) -> list[datetime]:
    """Each event's recorded time, a microsecond either side, long before and
    after, and ``samples`` times picked at random between the first and last."""
    times = sorted({recorded for _, recorded in log})
    picked = [time + step * MICROSECOND for time in times for step in (-1, 0, 1)]
    rng = random.Random(seed)
    span = (times[-1] - times[0]) // MICROSECOND
    picked += [times[0] + rng.randrange(span + 1) * MICROSECOND for _ in range(samples)]
    return [times[0] - timedelta(days=365), *picked, times[-1] + timedelta(days=365)]


def index_rows(app: CityCoop) -> list[tuple[int, int, int]]:
    sql = sql_of(app.recorder)
    with sql.reading() as c:
        c.execute(f"SELECT position, opened, reached FROM {sql.tables.recorded_times} ORDER BY position")
        return [tuple(row) for row in c.fetchall()]


def assert_index_answers_as_the_scan(app: CityCoop, ends: Sequence[int], samples: int = 0) -> None:
    log, auditor = log_of(app), Auditor(app)
    wrong = [
        (moment, found, want)
        for moment in moments(log, samples)
        if (found := auditor.moment_in_log(moment).position) != (want := expected(log, ends, moment))
    ]
    assert not wrong, f"{len(wrong)} moments differ, first (moment, index, scan): {wrong[0]}"


def founding_story_events(store: str) -> list[StoredEvent]:
    """The founding story's events as recorded into a store of their own."""
    app = CityCoop(store)
    try:
        record_demo(app, actor="clerk-li")
        return list(app.recorder.select_notifications(1, 100))
    finally:
        app.close()


def test_at_every_event_of_the_founding_story_recorded_one_a_transaction_the_index_answers_as_the_scan(
    app: CityCoop, tmp_path: Path
) -> None:
    events = founding_story_events(str(tmp_path / "story.db"))

    ends = [app.recorder.insert_events([event])[-1] for event in events]  # type: ignore[index]

    assert ends == list(range(1, 9)), "one event a transaction: every position is a transaction's end"
    assert [row[0] for row in index_rows(app)] == ends
    assert_index_answers_as_the_scan(app, ends)


def test_a_generated_history_in_transactions_of_every_size_is_found_as_the_scan_finds_it(app: CityCoop) -> None:
    rng = random.Random(21)
    entries = list(generator.entries(3_000, 2023))
    ends = []
    while entries:
        size = rng.choice([1, 1, 1, 2, 5, 40, 300])
        app.execute([generator.step(entry) for entry in entries[:size]])
        del entries[:size]
        ends.append(app.recorder.max_notification_id() or 0)

    assert [row[0] for row in index_rows(app)] == ends, "one row per transaction, at its last event"
    assert_index_answers_as_the_scan(app, ends, samples=300)


def test_concurrent_writers_whose_recorded_times_do_not_rise_along_the_log_are_found_as_the_scan_finds_them(
    store: str,
) -> None:
    """Four writers append the same stored events in slices of their own, so
    the log's order is the order the writers took the lock in, not the order
    of the events' recorded times."""
    history = list(generator.recorded(generator.entries(600, 7), batch=50))
    writers = [CityCoop(store) for _ in range(4)]
    start, ends = Barrier(len(writers)), []

    def write(app: CityCoop, mine: list[StoredEvent]) -> None:
        rng = random.Random(len(mine))
        start.wait()
        while mine:
            size = rng.choice([1, 2, 3, 8])
            ends.append(app.recorder.insert_events(mine[:size])[-1])  # type: ignore[index]
            del mine[:size]

    threads = [Thread(target=write, args=(app, history[number :: len(writers)])) for number, app in enumerate(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        log = log_of(writers[0])
        assert [recorded for _, recorded in log] != sorted(recorded for _, recorded in log), (
            "the recorded times do not rise along the log"
        )
        assert sorted(ends) == [row[0] for row in index_rows(writers[0])]
        assert_index_answers_as_the_scan(writers[0], ends, samples=200)
    finally:
        for app in writers:
            app.close()


def test_an_import_is_one_row_and_a_moment_inside_it_reads_the_log_as_of_its_end(app: CityCoop) -> None:
    record_demo(app, actor="clerk-li")
    log = log_of(app)

    assert [row[0] for row in index_rows(app)] == [8]
    assert_index_answers_as_the_scan(app, [8])
    assert [Auditor(app).moment_in_log(recorded).position for _, recorded in log] == [8] * 8


def test_a_record_as_of_a_time_inside_an_import_is_as_the_import_committed_it_not_half_of_it(app: CityCoop) -> None:
    """Issue #21.10: the founding story is imported in one transaction; at the
    time its first event was recorded, the partnership was never on file with
    only its first version — the import was all or nothing. As of then, and
    as known then (``--true-on``), it is as the import committed it."""
    record_demo(app, actor="clerk-li")
    (_, established), *_ = log_of(app)
    whole = app.get_record(UUID(P)).version

    as_of = Auditor(app).record(UUID(P), as_of=established)

    assert whole > 1
    assert as_of.version == whole
    known = Auditor(app).record_known_on(UUID(P), known_on=established, true_on="2023-05-06")
    assert known.versions == Auditor(app).record_known_on(UUID(P), known_on=now(), true_on="2023-05-06").versions
    assert len(known.versions) > 1
    assert Reads(app).position(Moment(time=established)) == 8
    result = CliRunner().invoke(
        cli, ["--store", app.location.location, "--json", "state", P, "--as-of", established.isoformat()]
    )
    assert result.exit_code == 0, result.output
    assert orjson.loads(result.stdout)["version"] == whole


def test_a_store_written_by_main_gets_its_index_on_opening_one_row_per_event(tmp_path: Path) -> None:
    shutil.copy(FIXTURE, tmp_path / "citycoop.db")
    with closing(sqlite3.connect(tmp_path / "citycoop.db")) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "recorded_times" not in tables

    app = CityCoop(str(tmp_path / "citycoop.db"))
    try:
        log = log_of(app)
        assert [row[0] for row in index_rows(app)] == [position for position, _ in log]
        assert_index_answers_as_the_scan(app, [position for position, _ in log])
    finally:
        app.close()


def test_a_store_whose_index_lost_rows_or_the_whole_table_gets_them_back_on_opening(store: str) -> None:
    """As an older release would leave it, writing to a store without the
    table, or after it (no row for its transactions)."""
    app = CityCoop(store)
    generator.fill(app, generator.entries(200, 3), batch=3)
    head = app.recorder.max_notification_id() or 0
    kept = [row for row in index_rows(app) if row[0] <= 100]
    sql = sql_of(app.recorder)
    with sql.writing() as c:
        c.execute(f"DELETE FROM {sql.tables.recorded_times} WHERE position > 100")
    app.close()

    app = CityCoop(store)
    try:
        assert [row[0] for row in index_rows(app)] == [row[0] for row in kept] + list(range(kept[-1][0] + 1, head + 1))
        with sql_of(app.recorder).writing() as c:
            c.execute(f"DROP TABLE {sql.tables.recorded_times}")
    finally:
        app.close()

    app = CityCoop(store)
    try:
        log = log_of(app)
        assert [row[0] for row in index_rows(app)] == [position for position, _ in log]
        assert_index_answers_as_the_scan(app, range(1, head + 1))
    finally:
        app.close()


def test_a_restored_export_answers_as_the_scan_of_its_log(app: CityCoop, tmp_path: Path) -> None:
    """An export keeps events, not transactions: a restored store has a row per event."""
    generator.fill(app, generator.entries(100, 5), batch=7)
    export = tmp_path / "log.jsonl"
    with export.open("w") as out:
        Auditor(app).export(out)

    copy = CityCoop(str(tmp_path / "copy.db"))
    try:
        Auditor(copy).restore(export.read_text().splitlines())
        log = log_of(copy)
        assert [row[0] for row in index_rows(copy)] == [position for position, _ in log]
        assert_index_answers_as_the_scan(copy, [position for position, _ in log])
    finally:
        copy.close()


def test_an_older_store_with_an_event_altered_past_reading_still_opens_and_verify_names_the_event(store: str) -> None:
    app = CityCoop(store)
    record_demo(app, actor="clerk-li")
    sql = sql_of(app.recorder)
    with sql.writing() as c:
        c.execute(f"UPDATE {sql.events} SET state = {sql.mark} WHERE {sql.position} = 3", [b"not an event"])
        c.execute(f"DROP TABLE {sql.tables.recorded_times}")
    app.close()

    app = CityCoop(store)
    try:
        assert [row[0] for row in index_rows(app)] == list(range(1, 9))
        verified = Auditor(app).verify()
        assert not verified.ok
        assert verified.findings[0].position == 3
    finally:
        app.close()
