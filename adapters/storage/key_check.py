"""The audit key check: which key (or none) a store's hashes are made with,
kept with the store without the key itself.

A writer with a mistyped ``CITYCOOP_AUDIT_KEY``, or none, would extend the
chains with hashes that every later ``audit verify`` reports as forged, so an
honest mistake would look exactly like tampering. The store therefore keeps
one row: the digest of a fixed text under the chain's key (HMAC-SHA256), or
its plain SHA-256 for a store without a key. Neither reveals the key. It is
written in the transaction that appends the first events (``note_key_check``),
so a refused write leaves none; every write, seal, verification and export
compares it first, and a write whose key does not match is refused before
anything is written.

A store written before the check existed has events but no row: the key is
then told by the earliest records' first events, whose hashes depend on
nothing but the key and the event, and the row is written by the next append.

A reader is refused for the key only where the store shows a key of another
kind: its first events hashed without a key when it has one, or its check
row and first events both other than its key. Where the first events were
hashed with the reader's key and the row says otherwise, the row was
altered, and ``audit verify`` says so; where neither tells, verification
runs and names the events that do not match.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from .chain import GENESIS, Chain, split
from .errors import StoreUnavailableError
from .sql import Cursor, StoreSQL

CHECKED_TEXT = b"citycoop audit key check, version 1"
UNKEYED = hashlib.sha256(CHECKED_TEXT).digest()
FIRST_EVENTS_TOLD = 20
"""How many records' first events may tell the key of a store written before the check."""


class AuditKeyError(StoreUnavailableError):
    """Raised when CITYCOOP_AUDIT_KEY is missing or wrong for the store, or set for a store made without one."""


@dataclass(frozen=True)
class KeyCheck:
    """What a check of the audit key found, when it did not refuse."""

    settled: bool
    """The store's key is settled (it holds events), so the answer cannot change."""
    altered: bool = False
    """The check row disagrees with the first events, which were hashed with this key."""


def check_audit_key(sql: StoreSQL, chain: Chain, *, writing: bool) -> KeyCheck:
    """Refuse a key that does not match the store's: for ``writing``, one the
    check row or (without a row) the first events do not confirm; for reading,
    only a key the store positively shows is not its own (see above)."""
    table = sql.tables.audit_key_check
    ours = chain.digest(CHECKED_TEXT)
    if not sql.schema_ready:
        create_key_check_table(sql)
    with sql.reading() as c:
        c.execute(f"SELECT key_check FROM {table} WHERE id = 1")
        row = c.fetchone()
        c.execute(f"SELECT 1 FROM {sql.events} LIMIT 1")
        has_events = c.fetchone() is not None
    if not has_events:
        return KeyCheck(settled=False)
    stored = None if row is None else bytes(row[0])
    told = _told_by_first_events(sql, chain, ours)
    if writing:
        if (told if stored is None else stored) != ours:
            raise _mismatch(chain, told if stored is None else stored, writing=True)
        return KeyCheck(settled=True)
    if told == ours:
        return KeyCheck(settled=True, altered=stored is not None and stored != ours)
    if chain.keyed and told == UNKEYED:
        raise _mismatch(chain, UNKEYED, writing=False)
    if told is None and stored is not None and stored not in (ours, UNKEYED):
        raise _mismatch(chain, stored, writing=False)
    return KeyCheck(settled=True)


def note_key_check(sql: StoreSQL, c: Cursor, check: bytes, first_position: int) -> None:
    """In the transaction that appends events from ``first_position``, write
    the store's check if it has none; a check that no earlier event backs
    (left by an older release's refused first write) is replaced."""
    table = sql.tables.audit_key_check
    c.execute(
        f"DELETE FROM {table} WHERE key_check <> {sql.mark}"
        f" AND NOT EXISTS (SELECT 1 FROM {sql.events} WHERE {sql.position} < {sql.mark})",
        [check, first_position],
    )
    c.execute(f"INSERT INTO {table} (id, key_check) VALUES (1, {sql.mark}) ON CONFLICT (id) DO NOTHING", [check])


def create_key_check_table(sql: StoreSQL) -> None:
    table = sql.tables.audit_key_check
    sql.create_tables(
        [
            (
                f"CREATE TABLE IF NOT EXISTS {table} (id {sql.small_integer} PRIMARY KEY CHECK (id = 1),"
                f" key_check {sql.blob} NOT NULL)",
                [],
            )
        ],
        lock=table,
    )


def _told_by_first_events(sql: StoreSQL, chain: Chain, ours: bytes) -> bytes | None:
    """``ours`` if one of the earliest records' first events was hashed with
    this chain's key; otherwise the check of the other kind when one was hashed
    without a key, or None (hashed with some other key)."""
    with sql.reading() as c:
        c.execute(
            f"SELECT {sql.identity}, originator_version, topic, state FROM {sql.events}"
            f" WHERE originator_version = 1 ORDER BY {sql.position} LIMIT {FIRST_EVENTS_TOLD}"
        )
        rows = c.fetchall()
    unkeyed = Chain()
    genesis = bytes.fromhex(GENESIS)
    told: bytes | None = None
    for identity, version, topic, state in rows:
        parts = split(bytes(state))
        if parts is None:
            continue
        hashed, digest = parts
        identity_bytes = sql.to_identity(identity)
        if chain.link_columns(genesis, identity_bytes, version, topic, hashed) == digest:
            return ours
        if unkeyed.link_columns(genesis, identity_bytes, version, topic, hashed) == digest:
            told = UNKEYED
    return told


def _mismatch(chain: Chain, stored: bytes | None, *, writing: bool) -> AuditKeyError:
    if stored == UNKEYED:
        problem = "this store's hashes are made without a key; unset CITYCOOP_AUDIT_KEY"
    elif not chain.keyed:
        problem = "this store's hashes are keyed; set CITYCOOP_AUDIT_KEY to the store's key"
    else:
        problem = "CITYCOOP_AUDIT_KEY is not the key this store's hashes are made with"
    return AuditKeyError(f"audit key: missing or wrong key: {problem}" + ("; nothing was written" if writing else ""))
