"""Checking each record's hash chain while the log is read in log order.

Every stored event ends with the hash of its record's previous hash, its
identity and its state (``citycoop.adapters.chain``). Read in log order, a
record's versions must come one after another, each matching its hash.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from citycoop.adapters import chain
from citycoop.adapters.audit.storage import GENESIS_BYTES, RawEvent
from citycoop.adapters.chain import Chain

CHANGED = "changed"
REMOVED = "removed"
INSERTED = "inserted"
REORDERED = "reordered"


@dataclass(frozen=True)
class Finding:
    """One sign that the log was altered, located at a position of the log."""

    kind: str
    """changed, removed, inserted or reordered"""
    position: int
    record_id: UUID | None
    version: int | None
    detail: str

    def __str__(self) -> str:
        return f"position {self.position}: {self.kind}: {self.detail}"


NO_HASH = bytes(32)
"""Stands for the hash of an event that carries none."""


class RecordChains:
    """The head (version and hash) of every record's chain seen so far.

    ``previous_hash`` answers for records whose earlier events come before
    the part of the log being read (the global chain extends from where it
    stopped); a full audit reads from the start and needs none.
    """

    def __init__(self, chain: Chain, previous_hash: Callable[[UUID, int], bytes | None] | None = None) -> None:
        self._link = chain.link_columns
        self._previous_hash = previous_hash
        self._heads: dict[bytes, tuple[int, bytes]] = {}

    def check(self, event: RawEvent) -> tuple[bytes, Finding | None]:
        """The event's hash, and what is wrong with it if anything; advances
        its record's head to it."""
        _, identity, version, topic, state = event
        parts = chain.split(state)
        if parts is None:
            self._heads[identity] = (version, NO_HASH)
            return NO_HASH, _finding(INSERTED, event, "carries no chain hash: it was written around the event store")
        unsealed, stored = parts
        last_version, previous = self._heads.get(identity) or self._head(event)
        self._heads[identity] = (version if version > last_version else last_version, stored)
        if version != last_version + 1:
            return stored, _out_of_order(event, last_version)
        if self._link(previous, identity, version, topic, unsealed) != stored:
            return stored, _finding(
                CHANGED, event, "does not match its hash: it was altered, or forged without the audit key"
            )
        return stored, None

    def _head(self, event: RawEvent) -> tuple[int, bytes]:
        if event.version == 1 or self._previous_hash is None:
            return (0, GENESIS_BYTES)
        previous = self._previous_hash(UUID(bytes=event.identity), event.version - 1)
        # Without its predecessor the event is reported as following a gap.
        return (event.version - 1, previous) if previous is not None else (event.version - 2, GENESIS_BYTES)


def _out_of_order(event: RawEvent, last_version: int) -> Finding:
    if event.version <= last_version:
        return _finding(
            REORDERED, event, f"comes after version {last_version} of the same record: the log was reordered"
        )
    missing = (
        f"version {last_version + 1}"
        if event.version == last_version + 2
        else f"versions {last_version + 1}–{event.version - 1}"
    )
    return _finding(REMOVED, event, f"follows version {last_version}: {missing} was removed")


def _finding(kind: str, event: RawEvent, detail: str) -> Finding:
    record_id = UUID(bytes=event.identity)
    return Finding(
        kind, event.position, record_id, event.version, f"record {record_id} version {event.version} {detail}"
    )
