"""An event store that seals every new event into its aggregate's hash chain."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import AggregateRecorder, EventStore, Mapper, Notification, Recording

from . import chain
from .chain import Chain
from .sql import StoreSQL


class Head(NamedTuple):
    """A record's last stored event, as read: its version and its sealed state."""

    version: int
    state: bytes


Heads = dict[UUID, Head]
KNOWN_HEADS = "known_heads"
"""The keyword by which ``put`` is given the heads already read (``Heads``)."""


class ChainedEventStore(EventStore[UUID]):
    def __init__(self, mapper: Mapper[UUID], recorder: AggregateRecorder, chain: Chain, sql: StoreSQL) -> None:
        super().__init__(mapper=mapper, recorder=recorder)
        self.chain = chain
        self.sql = sql

    def put(self, domain_events: Sequence[DomainEventProtocol[UUID]], **kwargs: Any) -> list[Recording[UUID]]:
        """Seal and append; ``known_heads`` (``KNOWN_HEADS``) gives the last
        stored events of records read just before, which need no second read."""
        known: Heads = kwargs.pop(KNOWN_HEADS, None) or {}
        stored_events = self.chain.seal(
            map(self.mapper.to_stored_event, domain_events), self._heads(domain_events, known)
        )
        notification_ids = self.recorder.insert_events(stored_events, **kwargs)
        assert notification_ids is not None, "an application recorder returns notification ids"
        return [
            Recording(
                domain_event,
                Notification(
                    id=notification_id,
                    originator_id=stored.originator_id,
                    originator_version=stored.originator_version,
                    topic=stored.topic,
                    state=stored.state,
                ),
            )
            for domain_event, stored, notification_id in zip(
                domain_events, stored_events, notification_ids, strict=True
            )
        ]

    def _heads(self, domain_events: Sequence[DomainEventProtocol[UUID]], known: Heads) -> dict[UUID, str]:
        """The chain hash of the last stored event of each aggregate that is
        extended (rather than created) by ``domain_events``: from ``known``
        where it holds the event just before, the others read at once (an
        import extends thousands). Should another writer have appended after
        the one known, the append conflicts on its version and nothing is kept."""
        first_versions: dict[UUID, int] = {}
        for event in domain_events:
            first_versions.setdefault(event.originator_id, event.originator_version)
        heads: dict[UUID, str] = {}
        unknown = []
        for originator_id, version in first_versions.items():
            if version == 1:
                continue
            head = known.get(originator_id)
            if head is not None and head.version == version - 1:
                heads[originator_id] = chain.hash_of(head.state)
            else:
                unknown.append(originator_id)
        last = self.sql.latest_of_each(unknown)
        heads.update((originator_id, chain.hash_of(last[originator_id].state)) for originator_id in unknown)
        return heads
