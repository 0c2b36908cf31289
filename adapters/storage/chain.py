"""The hash chain that makes the log tamper-evident.

Each event's hash covers the previous hash of the same aggregate, its identity
(originator id, version, topic) and its state bytes. Optimistic concurrency
already orders an aggregate's events, so concurrent writers need no global
lock to extend the chain. The hash travels at the end of the stored state as
``,"~chain":"<64 hex>"}`` — a fixed-size suffix that is cut off again without
parsing JSON, so verification reads the log about as fast as the log reads.

With a secret key (``CITYCOOP_AUDIT_KEY``) the hashes are HMAC-SHA256, so a
person with access to the database alone cannot forge a consistent chain.
"""

from __future__ import annotations

import binascii
import hashlib
import hmac
from collections.abc import Iterable
from uuid import UUID

from eventsourcing.persistence import StoredEvent

GENESIS = "0" * 64
_MARKER = b',"~chain":"'
_SUFFIX_LENGTH = len(_MARKER) + 64 + 2


class UnsealedEventError(ValueError):
    """Raised when a stored event carries no chain hash."""


class Chain:
    def __init__(self, key: bytes | None = None) -> None:
        self._key = key

    @property
    def keyed(self) -> bool:
        """True when the hashes are keyed MACs."""
        return self._key is not None

    def link(self, previous: str, event: StoredEvent, state: bytes) -> str:
        """The hash of ``event`` (whose unsealed state is ``state``) after ``previous``."""
        originator_id = event.originator_id
        identity = originator_id.bytes if isinstance(originator_id, UUID) else str(originator_id).encode()
        return self.link_columns(bytes.fromhex(previous), identity, event.originator_version, event.topic, state).hex()

    def link_columns(self, previous: bytes, identity: bytes, version: int, topic: str, state: bytes) -> bytes:
        """``link`` over an event read as columns, with hashes as 32 raw bytes, so
        that an audit of the whole log builds no stored event and no hex per row."""
        return self.digest(b"".join((previous, identity, version.to_bytes(8, "big"), topic.encode(), b"\0", state)))

    def digest(self, message: bytes) -> bytes:
        """SHA-256 of ``message``, or its HMAC under the audit key."""
        if self._key is None:
            return hashlib.sha256(message).digest()
        return hmac.digest(self._key, message, "sha256")

    def seal(self, events: Iterable[StoredEvent], previous: dict[UUID, str]) -> list[StoredEvent]:
        """Stored events with their hashes appended; ``previous`` maps each
        aggregate to the hash of its last stored event and is updated.

        ``link`` for each event, with the heads kept as raw digests while a
        batch is sealed (an import's thousands of events would otherwise
        turn each from hex and back): ``link_columns``, which alone spells
        the hashed message."""
        sealed = []
        heads: dict[UUID, bytes] = {}
        link = self.link_columns
        for event in events:
            originator_id, version, topic = event.originator_id, event.originator_version, event.topic
            state = event.state
            assert isinstance(originator_id, UUID)
            head = heads.get(originator_id)
            if head is None:
                head = bytes.fromhex(previous.get(originator_id, GENESIS))
            head = heads[originator_id] = link(head, originator_id.bytes, version, topic, state)
            seal = b"".join((state[:-1], _MARKER, head.hex().encode(), b'"}'))
            sealed.append(StoredEvent(originator_id, version, topic, seal))
        previous.update((originator_id, head.hex()) for originator_id, head in heads.items())
        return sealed


def hash_of(stored_state: bytes) -> str:
    """The chain hash recorded in a sealed stored state."""
    if not is_sealed(stored_state):
        raise UnsealedEventError("the stored event carries no chain hash")
    return stored_state[-66:-2].decode()


def is_sealed(stored_state: bytes) -> bool:
    """Whether the state ends in a seal, byte for byte. The seal's closing quote
    and brace are not hashed, so a state ending otherwise carries no seal; were
    they not checked, changing either would go unnoticed."""
    return stored_state[-_SUFFIX_LENGTH:-66] == _MARKER and stored_state.endswith(b'"}')


def split(stored_state: bytes) -> tuple[bytes, bytes] | None:
    """The state as it was hashed and its hash as 32 bytes, or None when it
    carries no readable hash; one slice each, for reading the whole log."""
    if not is_sealed(stored_state):
        return None
    try:
        digest = binascii.unhexlify(stored_state[-66:-2])
    except binascii.Error:
        return None
    return stored_state[:-_SUFFIX_LENGTH] + b"}", digest


def unsealed(stored_state: bytes) -> bytes:
    """The state bytes as they were hashed, without the hash (snapshots, which
    are not part of the log, are stored unsealed and come back as they are)."""
    has_hash = stored_state[-_SUFFIX_LENGTH:-66] == _MARKER  # not is_sealed(): a damaged seal still reads
    return stored_state[:-_SUFFIX_LENGTH] + b"}" if has_hash else stored_state
