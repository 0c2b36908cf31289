"""An event store that seals every new event into its aggregate's hash chain."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import AggregateRecorder, EventStore, Mapper, Notification, Recording

from . import chain
from .chain import Chain
from .sql import StoreSQL


class ChainedEventStore(EventStore[UUID]):
    def __init__(self, mapper: Mapper[UUID], recorder: AggregateRecorder, chain: Chain, sql: StoreSQL) -> None:
        super().__init__(mapper=mapper, recorder=recorder)
        self.chain = chain
        self.sql = sql

    def put(self, domain_events: Sequence[DomainEventProtocol[UUID]], **kwargs: Any) -> list[Recording[UUID]]:
        stored_events = self.chain.seal(map(self.mapper.to_stored_event, domain_events), self._heads(domain_events))
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

    def _heads(self, domain_events: Sequence[DomainEventProtocol[UUID]]) -> dict[UUID, str]:
        """The chain hash of the last stored event of each aggregate that is
        extended (rather than created) by ``domain_events``, read at once for
        all of them (an import extends thousands)."""
        first_versions: dict[UUID, int] = {}
        for event in domain_events:
            first_versions.setdefault(event.originator_id, event.originator_version)
        extended = [originator_id for originator_id, version in first_versions.items() if version > 1]
        last = self.sql.latest_of_each(extended)
        return {originator_id: chain.hash_of(last[originator_id].state) for originator_id in extended}
