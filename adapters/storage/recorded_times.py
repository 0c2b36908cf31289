"""The log's recorded times by transaction, so that finding where the log
ended at a recorded time is one lookup in an index, not a read of the log.

Every transaction that appends events writes one row here, in that
transaction and under the lock that orders appends (SQLite's write lock; on
PostgreSQL the library's EXCLUSIVE lock on the events table, under which
positions are given in commit order): the position of its last event and two
running maxima of the events' recorded times (their timestamps, in
microseconds since 1970) over the log up to it: ``opened`` up to its first
event, ``reached`` up to its last.

The log as it stood at a moment M ends before the first event recorded after
M. Recorded times need not rise along the log (two writers' clocks, the order
of ``save()``'s arguments), but their running maximum does, so that first
event is where the running maximum passes M. Its transaction was all or
nothing: when M fell inside it (``opened`` ≤ M: its first event was recorded
by then) the log is read as of that transaction's end, never between two of
its events; otherwise as of the end of the one before. Both are the last
transaction whose ``opened`` is at most M, and ``opened`` rises along the
log, so the table is kept in the order of (``opened``, ``position``) (one
B-tree on SQLite) and the answer is one descent of it.

A store written before this table existed gets it filled on opening, one row
per event, since which events shared a transaction was never kept: its
answers stay exactly those that release gave.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import suppress
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

import orjson

from .sql import Cursor, StoreSQL

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
FILL_PAGE = 10_000
"""Events read at a time when filling the table for an older store."""


class MomentInLog(NamedTuple):
    position: int
    """The last position of the log as it stood at the moment."""
    settled: bool
    """An event recorded after the moment is in the log already: every event
    still to come will follow it, so ``position`` will never change."""


def microseconds(moment: datetime) -> int:
    """A recorded time as the table keeps it; one without a zone is UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // _MICROSECOND


def recorded_time(state: bytes) -> int:
    """When a stored event was recorded. Its sealed state is JSON as it is
    (the seal is one more key), and orjson reads it as projections do."""
    return microseconds(datetime.fromisoformat(orjson.loads(state)["timestamp"]))


class RecordedTimes:
    """The table of one store, through its ``StoreSQL``; each method that
    takes a cursor runs in the caller's transaction."""

    def __init__(self, sql: StoreSQL) -> None:
        self.sql = sql
        self.table = sql.tables.recorded_times
        m = sql.mark
        self._append = (
            f"INSERT INTO {self.table} (position, opened, reached)"
            f" SELECT {m}, {sql.greatest}(previous.reached, {m}), {sql.greatest}(previous.reached, {m})"
            f" FROM (SELECT COALESCE(({self._last('reached')}), {m}) AS reached) AS previous"
        )

    def _last(self, column: str) -> str:
        # ``opened`` rises with ``position``: the last row in key order is the last transaction.
        return f"SELECT {column} FROM {self.table} ORDER BY opened DESC, position DESC LIMIT 1"

    def create(self) -> None:
        """Create the table if it is not there, and fill it for the events
        that an older release wrote without it."""
        sql = self.sql
        sql.create_tables(
            [
                (
                    f"CREATE TABLE IF NOT EXISTS {self.table} (opened {sql.integer} NOT NULL,"
                    f" position {sql.integer} NOT NULL, reached {sql.integer} NOT NULL,"
                    f" PRIMARY KEY (opened, position)){sql.clustered}",
                    [],
                )
            ],
            lock=self.table,
        )
        self.fill_if_behind()

    def fill_if_behind(self) -> None:
        """Fill the table for the events it has no row for yet (written by
        an older release, before the table or since): one read when there are none."""
        with self.sql.reading() as c:
            behind = self._indexed(c) < self._head(c)
        if behind:
            with self.sql.appending() as c:
                self.fill(c)

    def append(self, c: Cursor, position: int, states: Iterable[bytes]) -> None:
        """The row of a transaction whose last event is at ``position``,
        from its events' stored states in log order."""
        times = [recorded_time(state) for state in states]
        c.execute(self._append, [position, times[0], max(times), times[0]])

    def fill(self, c: Cursor) -> None:
        """A row for every event after the last one indexed, each its own
        transaction; ``c`` holds the append lock. A state that does not read
        (altered by hand: ``audit verify`` names it) counts as recorded no
        later than the event before it, so that the store still opens."""
        after = self._indexed(c)
        c.execute(self._last("reached"))
        row = c.fetchone()
        reached: int = 0 if row is None else row[0]
        while True:
            c.execute(
                f"SELECT {self.sql.position}, state FROM {self.sql.events} WHERE {self.sql.position} > {self.sql.mark}"
                f" ORDER BY {self.sql.position} LIMIT {self.sql.mark}",
                [after, FILL_PAGE],
            )
            page = c.fetchall()
            if not page:
                return
            rows = []
            for position, state in page:
                with suppress(ValueError, KeyError, TypeError):
                    reached = max(reached, recorded_time(bytes(state)))
                rows.append((position, reached, reached))
            m = self.sql.mark
            c.executemany(f"INSERT INTO {self.table} (position, opened, reached) VALUES ({m}, {m}, {m})", rows)
            after = page[-1][0]

    def moment(self, c: Cursor, moment: datetime) -> MomentInLog:
        """Where the log ended at ``moment``, at the end of a transaction."""
        at = microseconds(moment)
        m = self.sql.mark
        c.execute(
            f"SELECT (SELECT position FROM {self.table} WHERE opened <= {m} ORDER BY opened DESC, position DESC"
            f" LIMIT 1), ({self._last('reached')})",
            [at],
        )
        position, reached = c.fetchone()
        return MomentInLog(position or 0, reached is not None and reached > at)

    def _indexed(self, c: Cursor) -> int:
        c.execute(self._last("position"))
        row = c.fetchone()
        return 0 if row is None else int(row[0])

    def _head(self, c: Cursor) -> int:
        c.execute(f"SELECT MAX({self.sql.position}) FROM {self.sql.events}")
        value: int | None = c.fetchone()[0]
        return value or 0
