"""``citycoop audit verify``: recompute every chain over the whole log.

One pass in log order checks, for each event, its record's chain (changed,
removed or reordered within a record) and, up to where the global chain was
sealed, that the event at each position is the one sealed there (events
swapped between records, inserted, or removed from the end of a record). It
also recomputes the global chain from the log alone, so that a head an
auditor kept elsewhere (``--expect``) proves the log still extends it, even
if the audit tables themselves were rewritten.

The log is read as raw columns and each hash is cut from the fixed-size end
of the stored state, so no JSON is parsed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from citycoop.adapters.audit.global_chain import Head, link
from citycoop.adapters.audit.record_chains import CHANGED, INSERTED, REMOVED, REORDERED, Finding, RecordChains
from citycoop.adapters.audit.storage import GENESIS_BYTES, RawEvent, SealedRow, Storage
from citycoop.adapters.chain import Chain

MAX_FINDINGS = 20


@dataclass
class Verification:
    events: int
    head: Head
    """The global chain recomputed from the log alone."""
    sealed: Head
    """How far the chain's table had been extended (``audit seal``)."""
    findings: list[Finding] = field(default_factory=list)
    """The first findings, in log order."""
    findings_total: int = 0
    expected: str | None = None
    expected_at: int | None = None
    """Where the log's chain passes through the expected head, if it does."""

    @property
    def ok(self) -> bool:
        return self.findings_total == 0 and (self.expected is None or self.expected_at is not None)

    def add(self, finding: Finding) -> None:
        self.findings_total += 1
        if len(self.findings) < MAX_FINDINGS:
            self.findings.append(finding)

    def summary(self) -> str:
        """One line for people; the first finding when there is one."""
        if self.findings:
            return f"the log was altered: {self.findings_total} finding(s); the first at {self.findings[0]}"
        if self.expected is not None and self.expected_at is None:
            return (
                f"the log does not extend the sealed head {self.expected}: it was rewritten, or sealed with another key"
            )
        return f"the log is intact: {self.events} events, head at position {self.head.position}"

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "summary": self.summary(),
            "events": self.events,
            "head": {"position": self.head.position, "hash": self.head.hash},
            "sealed": {"position": self.sealed.position, "hash": self.sealed.hash},
            "expected": None if self.expected is None else {"hash": self.expected, "position": self.expected_at},
            "findings_total": self.findings_total,
            "findings": [
                {
                    "kind": f.kind,
                    "position": f.position,
                    "record_id": None if f.record_id is None else str(f.record_id),
                    "version": f.version,
                    "detail": f.detail,
                }
                for f in self.findings
            ],
        }


def verify(storage: Storage, record_chain: Chain, *, expect: str | None = None) -> Verification:
    with storage.reading() as c:
        # The tracking row first: a seal that commits in between then covers
        # no more than the head read after it.
        sealed_position, sealed_hash = storage.chain_tracking(c)
        stop = storage.head(c)
    report = Verification(0, Head(0, GENESIS_BYTES.hex()), Head(sealed_position, sealed_hash.hex()), expected=expect)
    expected = bytes.fromhex(expect) if expect else None
    sealed = _SealedRows(storage, report, record_chain, sealed_position)
    check = RecordChains(record_chain, storage.to_identity).check
    digest = record_chain.digest
    log_hash = GENESIS_BYTES
    position = 0
    for page in storage.row_pages(stop=stop):
        report.events += len(page)
        for row in page:
            position = row[0]
            event_hash, finding = check(row)
            previous, log_hash = log_hash, digest(log_hash + position.to_bytes(8, "big") + event_hash)
            if log_hash == expected and report.expected_at is None:
                report.expected_at = position
            sealed_row = sealed.row
            if sealed_row == (position, event_hash, log_hash) and sealed.previous == previous:
                sealed.advance(sealed_row)  # the event sealed here, with the chain as sealed
                finding = _unless_echo(finding)
            elif position <= sealed_position or (sealed_row is not None and sealed_row[0] <= position):
                finding = sealed.compare(storage.event(row), event_hash, previous, log_hash, finding)
            if finding is not None:
                report.add(finding)
    # Rows past the log's end were sealed, so their events were removed; rows
    # past both ends were sealed by someone else while this ran.
    sealed.skip_to(max(stop, sealed_position) + 1)
    sealed.check_tracking(sealed_hash)
    report.head = Head(position, log_hash.hex())
    return report


class _SealedRows:
    """The chain's table, read alongside the log: one row per sealed position."""

    def __init__(self, storage: Storage, report: Verification, record_chain: Chain, sealed_position: int) -> None:
        self._storage = storage
        self._report = report
        self._chain = record_chain
        self._sealed_position = sealed_position
        self._pages: Iterator[list[SealedRow]] = storage.chain_pages()
        self._page: list[SealedRow] = next(self._pages, [])
        self._index = 0
        self.row: SealedRow | None = self._page[0] if self._page else None
        """The next row not yet compared."""
        self.previous = GENESIS_BYTES
        """The chain hash of the last row passed."""
        self._hash_at_seal = GENESIS_BYTES

    def advance(self, row: SealedRow) -> None:
        self.previous = row[2]
        if row[0] == self._sealed_position:
            self._hash_at_seal = row[2]
        self._index += 1
        if self._index == len(self._page):
            self._page, self._index = next(self._pages, []), 0
        self.row = self._page[self._index] if self._page else None

    def skip_to(self, position: int) -> None:
        """Pass the rows before ``position``: their events are gone."""
        while self.row is not None and self.row[0] < position:
            row = self.row
            self._report.add(Finding(REMOVED, row[0], None, None, f"the event sealed at position {row[0]} was removed"))
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

    def check_tracking(self, sealed_hash: bytes) -> None:
        if self._sealed_position and self._hash_at_seal != sealed_hash:
            self._report.add(
                Finding(CHANGED, self._sealed_position, None, None, "the audit chain's tracking row was altered")
            )

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


def _finding(kind: str, event: RawEvent, detail: str) -> Finding:
    record_id = UUID(bytes=event.identity)
    return Finding(
        kind, event.position, record_id, event.version, f"record {record_id} version {event.version} {detail}"
    )
