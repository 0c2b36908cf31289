"""The global chain: one hash over the whole log, in log order.

Each record's chain (inside its stored events) is extended by its writer
without a global lock, and shows when one of its events is changed, removed or
moved. It cannot show a swap of two events of different records, nor the last
event of a record going missing. The global chain can::

    G(p) = H(G(previous position) ‖ p ‖ hash of the event at p)

It is extended after the fact, never by the writers: ``extend`` takes the
events after the position it reached, checks each against its record's chain,
and appends one row per position to its table, moving its tracking row in the
same transaction — exactly once, however many processes try at the same time
(they queue on the tracking row, while writers of events carry on). The head,
``(position, G)``, is what ``citycoop audit seal`` prints for an auditor to
keep elsewhere; with ``CITYCOOP_AUDIT_KEY`` set, H is a keyed MAC.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from ...domain.errors import CityCoopError
from ..storage import chain
from ..storage.chain import Chain
from ..storage.sql import Cursor
from .record_chains import RecordChains
from .storage import ChainRow, Storage

SEAL_BATCH = 50_000
"""Events sealed per transaction."""


class TamperedLogError(CityCoopError):
    """Raised when the chain would be extended over an event that was altered."""


@dataclass(frozen=True)
class Head:
    """Where the global chain stands: the last position it covers and its hash there."""

    position: int
    hash: str


def link(chain: Chain, previous: bytes, position: int, event_hash: bytes) -> bytes:
    """G(position), given G of the position before and the event's hash."""
    return chain.digest(previous + position.to_bytes(8, "big") + event_hash)


def head(storage: Storage) -> Head:
    """Where the chain stands now, without extending it."""
    with storage.reading() as c:
        position, chain_hash = storage.chain_tracking(c)
    return Head(position, chain_hash.hex())


def extend(storage: Storage, record_chain: Chain) -> Head:
    """Extend the chain over every event recorded before this call.

    Each transaction seals at most ``SEAL_BATCH`` events, so writers on SQLite
    (which locks the whole file to write) wait for one batch, not for the whole
    log. Refuses when an event does not match its record's chain, sealing
    nothing from it on: that would vouch for an altered log.
    """
    with storage.reading() as c:
        stop = storage.head(c)
    while True:
        with storage.writing() as c:
            head, sealed = _seal_batch(storage, c, record_chain, stop)
        if sealed < SEAL_BATCH:
            return head


def _seal_batch(storage: Storage, c: Cursor, record_chain: Chain, stop: int) -> tuple[Head, int]:
    """Seal up to ``SEAL_BATCH`` events (a page more at most); the head and how many."""
    position, chain_hash = storage.chain_tracking(c, lock=True)
    records = RecordChains(
        record_chain,
        storage.to_identity,
        lambda record_id, version: _stored_hash(storage, c, record_id, version),
    )
    sealed_now = 0
    while sealed_now < SEAL_BATCH and (page := storage.rows(c, after=position, stop=stop, limit=storage.page_size)):
        sealed = []
        for row in page:
            event_hash, finding = records.check(row)
            if finding is not None:
                raise TamperedLogError(f"audit: the log was altered at {finding}; run 'citycoop audit verify'")
            chain_hash = link(record_chain, chain_hash, row[0], event_hash)
            sealed.append(ChainRow(row[0], event_hash, chain_hash))
        storage.append_chain(c, sealed)
        position, sealed_now = page[-1][0], sealed_now + len(page)
    storage.set_chain_tracking(c, position, chain_hash)
    return Head(position, chain_hash.hex()), sealed_now


def _stored_hash(storage: Storage, c: Cursor, record_id: UUID, version: int) -> bytes | None:
    state = storage.stored_state(c, record_id, version)
    parts = None if state is None else chain.split(state)
    return None if parts is None else parts[1]
