"""Reading a store back, independently of the code under test where it matters:
the raw log, its hash chains recomputed from the bytes, and the events each
idempotency key recorded."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from uuid import UUID

from eventsourcing.persistence import Notification

from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.storage.chain import GENESIS, Chain, is_sealed, unsealed
from citycoop.domain.aggregate import DomainEvent

PAGE = 10_000
_HASH = re.compile(b"[0-9a-f]{64}")


def log_of(store: str) -> list[Notification]:
    """Every stored event, in log order, read through a fresh application."""
    app = CityCoop(store)
    try:
        return read_log(app)
    finally:
        app.close()


def read_log(app: CityCoop) -> list[Notification]:
    notifications: list[Notification] = []
    while True:
        start = notifications[-1].id + 1 if notifications else 1
        page = app.recorder.select_notifications(start=start, limit=PAGE)
        notifications.extend(page)
        if len(page) < PAGE:
            return notifications


def fingerprint(log: Sequence[Notification]) -> list[tuple[int, UUID | str, int, str, bytes]]:
    """What must not change when a command is refused: every row, byte for byte."""
    return [(n.id, n.originator_id, n.originator_version, n.topic, n.state) for n in log]


def broken_links(log: Iterable[Notification], key: bytes | None = None) -> list[str]:
    """Recompute every aggregate's hash chain from the stored bytes; name each
    event whose version or hash does not follow from the one before it."""
    chain = Chain(key)
    heads: dict[UUID | str, tuple[int, str]] = {}
    problems = []
    for notification in log:
        version, previous = heads.get(notification.originator_id, (0, GENESIS))
        where = f"event {notification.id} ({notification.originator_id} v{notification.originator_version})"
        if notification.originator_version != version + 1:
            problems.append(f"{where} follows version {version}")
        if not is_sealed(notification.state):
            problems.append(f"{where} is not sealed")
            continue
        recorded = notification.state[-66:-2]
        if chain.link(previous, notification, unsealed(notification.state)).encode() != recorded:
            problems.append(f"{where} does not hash to its recorded value")
        if not _HASH.fullmatch(recorded):
            problems.append(f"{where} records {recorded!r}, which is no hash")
            recorded = GENESIS.encode()
        heads[notification.originator_id] = (notification.originator_version, recorded.decode())
    return problems


def decoded(app: CityCoop, log: Iterable[Notification]) -> list[DomainEvent]:
    events = []
    for notification in log:
        event = app.mapper.to_domain_event(notification)
        assert isinstance(event, DomainEvent)
        events.append(event)
    return events


def events_per_key(store: str) -> Counter[str | None]:
    """How many events each idempotency key recorded."""
    app = CityCoop(store)
    try:
        return Counter(event.meta.idempotency_key for event in decoded(app, read_log(app)))
    finally:
        app.close()


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
