"""Snapshots: a partnership is snapshotted every 100 events, and the snapshot,
read back through the pydantic mapper, gives the state a full replay gives."""

from __future__ import annotations

from functools import reduce
from typing import Any
from uuid import UUID

import pytest

from citycoop.adapters.application.commands import AddField, LaunchInitiative
from citycoop.adapters.application.importing import record_demo
from citycoop.adapters.application.service import CityCoop, Step
from citycoop.domain.aggregate import Aggregate
from citycoop.domain.errors import KeyReusedError
from citycoop.domain.partnership import Partnership
from tests.recording import record

EXCHANGES = 100
"""Exchange programmes launched after the founding story's 4 partnership events: 104 in all."""


def replayed(app: CityCoop, partnership_id: UUID, version: int | None = None) -> Partnership:
    """The partnership folded from its events alone, without any snapshot."""
    events = app.events.get(partnership_id, lte=version)
    record: Any = reduce(lambda record, event: event.mutate(record), events, None)
    assert isinstance(record, Partnership)
    return record


def same(a: Aggregate, b: Aggregate) -> bool:
    return (a.id, a.version, a.created_on, a.modified_on, a.state) == (
        b.id,
        b.version,
        b.created_on,
        b.modified_on,
        b.state,
    )


@pytest.fixture
def long_partnership(store: str) -> UUID:
    """Wuxi–Singapore with 104 events: the story, then 100 exchange programmes in one batch."""
    app = CityCoop(store)
    try:
        partnership_id = record_demo(app, actor="clerk-li")[0]
        meta = app.provenance("clerk-li", source="Wuxi Foreign Affairs Office")
        app.execute(
            [
                Step(
                    LaunchInitiative(
                        partnership=str(partnership_id),
                        name=f"Wuxi–Singapore exchange programme {number}",
                        initiative_kind="Exchange Programme",
                        started=f"{2000 + number % 24}",
                    ),
                    meta.model_copy(update={"idempotency_key": f"exchange/{number}"}),
                )
                for number in range(1, EXCHANGES + 1)
            ]
        )
        return partnership_id
    finally:
        app.close()


def test_a_partnership_is_snapshotted_at_its_hundredth_event(store: str, long_partnership: UUID) -> None:
    app = CityCoop(store)
    try:
        snapshots = list(app.snapshots.get(long_partnership)) if app.snapshots else []
        assert [snapshot.originator_version for snapshot in snapshots] == [100]
        (snapshot,) = snapshots
        assert isinstance(snapshot, Aggregate.Snapshot)
        assert snapshot.topic == "citycoop.domain.partnership:Partnership"
    finally:
        app.close()


def test_the_snapshot_gives_the_same_partnership_as_a_full_replay(store: str, long_partnership: UUID) -> None:
    app = CityCoop(store)
    try:
        from_snapshot = app.get_record(long_partnership)
        assert from_snapshot.version == 104
        assert same(from_snapshot, replayed(app, long_partnership))
        assert len(from_snapshot.state.initiatives) == 2 + EXCHANGES
        assert "exchange/100" in from_snapshot.state.idempotency_keys
        assert from_snapshot.state.investment is not None
        assert str(from_snapshot.state.investment.amount) == "USD 16,400,000,000"
    finally:
        app.close()


@pytest.mark.parametrize("version", [100, 102])
def test_a_past_version_read_through_the_snapshot_matches_the_replay(
    store: str, long_partnership: UUID, version: int
) -> None:
    app = CityCoop(store)
    try:
        assert same(app.get_record(long_partnership, version=version), replayed(app, long_partnership, version))
    finally:
        app.close()


def test_after_a_snapshot_new_events_still_extend_the_record_and_retries_are_still_recognised(
    store: str, long_partnership: UUID
) -> None:
    app = CityCoop(store)
    try:
        # exchange/96 was recorded at version 100, so only the snapshot remembers
        # its key, and the command it was given to
        retried = LaunchInitiative(
            partnership=str(long_partnership),
            name="Wuxi–Singapore exchange programme 96",
            initiative_kind="Exchange Programme",
            started="2000",
        )
        record(app, retried, app.provenance("clerk-li", key="exchange/96"))
        assert app.get_record(long_partnership).version == 104
        with pytest.raises(KeyReusedError, match="given first to another command"):
            record(
                app,
                AddField.validated(partnership=str(long_partnership), field="tourism"),
                app.provenance("clerk-li", key="exchange/96"),
            )
        record(app, AddField.validated(partnership=str(long_partnership), field="tourism"), app.provenance("clerk-li"))
        assert same(app.get_record(long_partnership), replayed(app, long_partnership))
        assert app.get_record(long_partnership).version == 105
    finally:
        app.close()


def test_snapshots_are_kept_out_of_the_log(store: str, long_partnership: UUID, events_table) -> None:
    rows = events_table()
    assert len(rows) == 4 + 4 + EXCHANGES
    assert not any("Snapshot" in str(row[3]) for row in rows)
