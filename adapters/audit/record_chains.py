"""Checking each record's hash chain while the log is read in log order.

Every stored event ends with the hash of its record's previous hash, its
identity and its state (``citycoop.adapters.storage.chain``). Read in log order, a
record's versions must come one after another, each matching its hash.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from ..storage import chain
from ..storage.chain import Chain
from .storage import GENESIS_BYTES, Row

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

    ``identity`` turns a row's record id, in the store's spelling, into the 16
    bytes that are hashed. ``previous_hash`` answers for records whose earlier
    events come before the part of the log being read (the global chain
    extends from where it stopped); a full audit reads from the start.
    """

    def __init__(
        self,
        chain: Chain,
        identity: Callable[[Any], bytes],
        previous_hash: Callable[[UUID, int], bytes | None] | None = None,
    ) -> None:
        self._link = chain.link_columns
        self._identity = identity
        self._previous_hash = previous_hash
        self._heads: dict[Any, tuple[int, bytes]] = {}

    def check(self, row: Row) -> tuple[bytes, Finding | None]:
        """The event's hash, and what is wrong with it if anything; advances
        its record's head to it."""
        _, record, version, topic, state = row
        parts = chain.split(state)
        if parts is None:
            self._heads[record] = (version, NO_HASH)
            return NO_HASH, self._finding(INSERTED, row, "carries no chain hash: it was written around the event store")
        unsealed, stored = parts
        last_version, previous = self._heads.get(record) or self._head(row)
        self._heads[record] = (version if version > last_version else last_version, stored)
        if version != last_version + 1:
            return stored, self._out_of_order(row, last_version)
        if self._link(previous, self._identity(record), version, topic, unsealed) != stored:
            return stored, self._finding(
                CHANGED, row, "does not match its hash: it was altered, or forged without the audit key"
            )
        return stored, None

    def _head(self, row: Row) -> tuple[int, bytes]:
        version = row[2]
        if version == 1 or self._previous_hash is None:
            return (0, GENESIS_BYTES)
        previous = self._previous_hash(UUID(bytes=self._identity(row[1])), version - 1)
        # Without its predecessor the event is reported as following a gap.
        return (version - 1, previous) if previous is not None else (version - 2, GENESIS_BYTES)

    def _out_of_order(self, row: Row, last_version: int) -> Finding:
        version = row[2]
        if version <= last_version:
            return self._finding(
                REORDERED, row, f"comes after version {last_version} of the same record: the log was reordered"
            )
        missing = (
            f"version {last_version + 1}"
            if version == last_version + 2
            else f"versions {last_version + 1}–{version - 1}"
        )
        return self._finding(REMOVED, row, f"follows version {last_version}: {missing} was removed")

    def _finding(self, kind: str, row: Row, detail: str) -> Finding:
        position, record, version, *_ = row
        record_id = UUID(bytes=self._identity(record))
        return Finding(kind, position, record_id, version, f"record {record_id} version {version} {detail}")
