"""The audit key check: which key (or none) a store's hashes are made with,
kept with the store without the key itself.

A writer with a mistyped ``CITYCOOP_AUDIT_KEY``, or none, would extend the
chains with hashes that every later ``audit verify`` reports as forged, so an
honest mistake would look exactly like tampering. The store therefore keeps
one row: the digest of a fixed text under the chain's key (HMAC-SHA256), or
its plain SHA-256 for a store without a key. Neither reveals the key. It is
written by the first write; every write, seal, verification and export
compares it first, and one whose key does not match is refused before
anything is written.

A store written before the check existed has events but no row: the key is
then told by the earliest records' first events, whose hashes depend on
nothing but the key and the event, and the row is written by the next write.
"""

from __future__ import annotations

import hashlib

from .chain import GENESIS, Chain, split
from .errors import StoreUnavailableError
from .sql import StoreSQL

CHECKED_TEXT = b"citycoop audit key check, version 1"
UNKEYED = hashlib.sha256(CHECKED_TEXT).digest()
FIRST_EVENTS_TOLD = 20
"""How many records' first events may tell the key of a store written before the check."""


class AuditKeyError(StoreUnavailableError):
    """Raised when CITYCOOP_AUDIT_KEY is missing or wrong for the store, or set for a store made without one."""


def check_audit_key(sql: StoreSQL, chain: Chain, *, writing: bool) -> bool:
    """Refuse a key that does not match the store's; with ``writing``, note
    the key of a store that has no check yet. True once the store's key is
    settled (it holds events, or a check that this call confirmed), after
    which the answer cannot change."""
    table = sql.tables.audit_key_check
    ours = chain.digest(CHECKED_TEXT)
    if not sql.schema_ready:
        _create_table(sql, table)
    with sql.reading() as c:
        c.execute(f"SELECT key_check FROM {table} WHERE id = 1")
        row = c.fetchone()
        c.execute(f"SELECT 1 FROM {sql.events} LIMIT 1")
        has_events = c.fetchone() is not None
    stored = None if row is None else bytes(row[0])
    if has_events:
        if stored is None:
            stored = _told_by_first_events(sql, chain, ours)
        if stored != ours:
            raise _mismatch(chain, stored, writing=writing)
    if writing and stored != ours:
        # No events yet: a check left by a refused first write is replaced.
        with sql.writing() as c:
            c.execute(f"DELETE FROM {table} WHERE id = 1")
            c.execute(f"INSERT INTO {table} (id, key_check) VALUES (1, {sql.mark})", [ours])
        return True
    return has_events


def _create_table(sql: StoreSQL, table: str) -> None:
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
