"""``citycoop audit verify``: recompute every chain over the whole log.

One pass in log order checks, for each event, its record's chain (changed,
removed or reordered within a record) and, up to where the global chain was
sealed, that the event at each position is the one sealed there (events
swapped between records, inserted, or removed from the end of a record). It
also recomputes the global chain from the log alone, so that a head an
auditor kept elsewhere (``--expect``) proves the log still extends it, even
if the audit tables themselves were rewritten.

The log is read as the driver's rows and each hash is cut from the
fixed-size end of the stored state, so no JSON is parsed. The sealed table is
compared once per page of the log, at its last sealed position: the global
chain there commits to every position before it, so while the two agree no
row needs reading. Only from the first page where they disagree is the table
read row by row beside the log, to say where and how.
"""

from __future__ import annotations

from collections.abc import Iterator
from uuid import UUID

from ..storage.chain import Chain
from ..storage.sql import RawEvent
from .global_chain import Head, link
from .record_chains import CHANGED, INSERTED, REMOVED, REORDERED, Finding, RecordChains
from .report import Verification
from .storage import GENESIS_BYTES, Row, SealedRow, Storage


def verify(
    storage: Storage, record_chain: Chain, *, expect: str | None = None, key_check_altered: bool = False
) -> Verification:
    """``key_check_altered``: the store's audit key check disagrees with its
    first events, which were hashed with this chain's key (``storage.key_check``)."""
    with storage.reading() as c:
        # The tracking row first: a seal that commits in between then covers
        # no more than the head read after it.
        sealed_position, sealed_hash = storage.chain_tracking(c)
        stop = storage.head(c)
    report = Verification(0, Head(0, GENESIS_BYTES.hex()), Head(sealed_position, sealed_hash.hex()), expected=expect)
    if key_check_altered:
        report.add(Finding(CHANGED, 0, None, None, "the audit key check was altered"))
    audit = _Audit(storage, record_chain, report, sealed_position, bytes.fromhex(expect) if expect else None)
    for page in storage.row_pages(stop=stop):
        audit.page(page)
    audit.finish(stop, sealed_hash)
    return report


class _Audit:
    """One pass over the log, a page at a time."""

    def __init__(
        self, storage: Storage, chain: Chain, report: Verification, sealed_position: int, expected: bytes | None
    ) -> None:
        self._storage = storage
        self._chain = chain
        self._report = report
        self._sealed_position = sealed_position
        self._expected = expected
        self._check = RecordChains(chain, storage.to_identity).check
        self._log_hash = GENESIS_BYTES
        """The global chain recomputed from the log so far."""
        self._agreed = (0, GENESIS_BYTES)
        """The last sealed position where the log's chain and the table agreed, and the hash there."""
        self._rows: _SealedRows | None = None
        """The table read row by row, from the first page where they disagree."""

    def page(self, page: list[Row]) -> None:
        before = self._log_hash
        hashes: list[bytes] = []
        findings: dict[int, Finding] = {}
        last_sealed = None
        chain, log_hash, sealed_position = self._chain, self._log_hash, self._sealed_position
        for index, row in enumerate(page):
            event_hash, finding = self._check(row)
            hashes.append(event_hash)
            if finding is not None:
                findings[index] = finding
            log_hash = link(chain, log_hash, row[0], event_hash)
            if log_hash == self._expected and self._report.expected_at is None:
                self._report.expected_at = row[0]
            if row[0] <= sealed_position:
                last_sealed = (row[0], log_hash)
        self._log_hash = log_hash
        self._report.events += len(page)
        self._report.head = Head(page[-1][0], log_hash.hex())
        if self._rows is None and last_sealed is not None and not self._agrees(*last_sealed):
            self._rows = _SealedRows(self._storage, self._report, chain, *self._agreed)
        if self._rows is not None:
            self._compare(page, hashes, findings, before)
            return
        for index, finding in findings.items():
            # Up to the sealed position the page is as sealed, so a finding of
            # order there only echoes a change at another position.
            echo = page[index][0] <= sealed_position and finding.kind in (REMOVED, REORDERED)
            if not echo:
                self._report.add(finding)

    def finish(self, stop: int, sealed_hash: bytes) -> None:
        if self._rows is not None:
            # Rows past the log's end were sealed, so their events were
            # removed; rows past both ends were sealed by someone else meanwhile.
            self._rows.skip_to(max(stop, self._sealed_position) + 1)
        else:
            with self._storage.reading() as c:
                gone = self._storage.sealed_positions(c, after=self._agreed[0], upto=self._sealed_position)
            for position in gone:
                self._report.add(_removed(position))
        if self._sealed_position:
            with self._storage.reading() as c:
                at_seal = self._storage.chain_hash_at(c, self._sealed_position)
            if at_seal != sealed_hash:
                self._report.add(
                    Finding(CHANGED, self._sealed_position, None, None, "the audit chain's tracking row was altered")
                )

    def _agrees(self, position: int, log_hash: bytes) -> bool:
        with self._storage.reading() as c:
            sealed = self._storage.chain_hash_at(c, position)
        if sealed != log_hash:
            return False
        self._agreed = (position, log_hash)
        return True

    def _compare(self, page: list[Row], hashes: list[bytes], findings: dict[int, Finding], log_hash: bytes) -> None:
        """The page beside the table, row by row; ``log_hash`` is the log's chain before the page."""
        rows = self._rows
        assert rows is not None
        for index, row in enumerate(page):
            position, event_hash, finding = row[0], hashes[index], findings.get(index)
            previous, log_hash = log_hash, link(self._chain, log_hash, position, event_hash)
            sealed_row = rows.row
            if sealed_row == (position, event_hash, log_hash) and rows.previous == previous:
                rows.advance(sealed_row)  # the event sealed here, with the chain as sealed
                finding = _unless_echo(finding)
            elif position <= self._sealed_position or (sealed_row is not None and sealed_row[0] <= position):
                finding = rows.compare(self._storage.event(row), event_hash, previous, log_hash, finding)
            if finding is not None:
                self._report.add(finding)


class _SealedRows:
    """The chain's table after a position where it agreed with the log, read row by row."""

    def __init__(self, storage: Storage, report: Verification, chain: Chain, after: int, previous: bytes) -> None:
        self._storage = storage
        self._report = report
        self._chain = chain
        self._pages: Iterator[list[SealedRow]] = storage.chain_pages(after=after)
        self._page: list[SealedRow] = next(self._pages, [])
        self._index = 0
        self.row: SealedRow | None = self._page[0] if self._page else None
        """The next row not yet compared."""
        self.previous = previous
        """The chain hash of the last row passed."""

    def advance(self, row: SealedRow) -> None:
        self.previous = row[2]
        self._index += 1
        if self._index == len(self._page):
            self._page, self._index = next(self._pages, []), 0
        self.row = self._page[self._index] if self._page else None

    def skip_to(self, position: int) -> None:
        """Pass the rows before ``position``: their events are gone."""
        while self.row is not None and self.row[0] < position:
            row = self.row
            self._report.add(_removed(row[0]))
            self.advance(row)

    def compare(
        self, event: RawEvent, event_hash: bytes, previous: bytes, log_hash: bytes, finding: Finding | None
    ) -> Finding | None:
        """The event at a sealed position against its row, where they differ;
        ``previous`` and ``log_hash`` are the chain recomputed from the log
        before and at the event. Returns the finding that explains it best."""
        self.skip_to(event.position)
        row = self.row
        if row is None or row[0] != event.position:
            return _finding(INSERTED, event, f"was inserted at position {event.position}, which was sealed empty")
        position, sealed_event_hash, sealed_chain_hash = row
        expected = (
            log_hash if self.previous == previous else link(self._chain, self.previous, position, sealed_event_hash)
        )
        self.advance(row)
        if sealed_event_hash != event_hash:
            # The sealed row saw the log as it was, so it names a move better
            # than the record's chain can; a change both see is the record's to explain.
            misplaced = self._misplaced(event, event_hash)
            return misplaced if finding is None or misplaced.kind == REORDERED else finding
        if sealed_chain_hash != expected:
            return finding or Finding(
                CHANGED, position, None, None, f"the audit chain's row for position {position} was altered"
            )
        return _unless_echo(finding)

    def _misplaced(self, event: RawEvent, event_hash: bytes) -> Finding:
        with self._storage.reading() as c:
            sealed_at = self._storage.sealed_position_of(c, event_hash)
        if sealed_at is not None:
            return _finding(
                REORDERED,
                event,
                f"was sealed at position {sealed_at} and is now at position {event.position}: the log was reordered",
            )
        return _finding(
            CHANGED,
            event,
            f"is not the event sealed at position {event.position}:"
            " it was changed and its hash recomputed, or replaced",
        )


def _unless_echo(finding: Finding | None) -> Finding | None:
    """A record-chain finding at an event that is the one sealed at its position:
    its record's chain was in order when it was sealed, so a finding of order
    only echoes a change at another position, which is reported there."""
    return None if finding is not None and finding.kind in (REMOVED, REORDERED) else finding


def _removed(position: int) -> Finding:
    return Finding(REMOVED, position, None, None, f"the event sealed at position {position} was removed")


def _finding(kind: str, event: RawEvent, detail: str) -> Finding:
    record_id = UUID(bytes=event.identity)
    return Finding(
        kind, event.position, record_id, event.version, f"record {record_id} version {event.version} {detail}"
    )
