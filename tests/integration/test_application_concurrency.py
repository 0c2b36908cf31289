"""Optimistic concurrency: of two writers racing on one record, one wins and
the other gets a clear conflict error; no event is ever lost."""

from __future__ import annotations

from collections.abc import Iterator
from threading import Barrier, Thread
from typing import Any
from uuid import UUID

import pytest

from citycoop.adapters.application.commands import AddField, LaunchInitiative
from citycoop.adapters.application.importing import record_demo
from citycoop.adapters.application.service import CityCoop
from citycoop.domain.errors import ConflictError
from tests.recording import record


@pytest.fixture
def wuxi_singapore(store: str) -> UUID:
    """The founding story on file; the id of the partnership."""
    app = CityCoop(store)
    try:
        return record_demo(app, actor="clerk-li")[0]
    finally:
        app.close()


@pytest.fixture
def two_clerks(store: str, wuxi_singapore: UUID) -> Iterator[tuple[CityCoop, CityCoop]]:
    first, second = CityCoop(store), CityCoop(store)
    yield first, second
    first.close()
    second.close()


def versions_on_file(events_table, record_id: UUID) -> list[int]:
    return [int(row[2]) for row in events_table() if UUID(str(row[1])) == record_id]


def test_the_clerk_who_writes_second_gets_a_conflict_and_the_first_clerks_event_stays(
    two_clerks: tuple[CityCoop, CityCoop], wuxi_singapore: UUID, events_table, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Clerk Wang reads the partnership; before Wang's event is written, clerk
    Li records one on the same partnership. The interleaving is forced at the
    moment Wang's application has read the record, so the race always happens."""
    li, wang = two_clerks
    read = wang._read_records  # the moment a batch has read its records (and their chains' heads)
    li_recorded: list[UUID] = []

    def read_then_li_records(record_ids: Any) -> Any:
        read_records = read(record_ids)
        records, _heads = read_records
        if wuxi_singapore in records and not li_recorded:
            li_recorded.append(
                record(
                    li, AddField.validated(partnership=str(wuxi_singapore), field="tourism"), li.provenance("clerk-li")
                )
            )
        return read_records

    monkeypatch.setattr(wang, "_read_records", read_then_li_records)
    with pytest.raises(ConflictError, match=r"^record: another writer changed the same record at the same time"):
        record(wang, AddField.validated(partnership=str(wuxi_singapore), field="sport"), wang.provenance("clerk-wang"))

    assert li_recorded
    fields = li.get_record(wuxi_singapore).state.fields
    assert "tourism" in fields
    assert "sport" not in fields

    record(wang, AddField.validated(partnership=str(wuxi_singapore), field="sport"), wang.provenance("clerk-wang"))
    assert li.get_record(wuxi_singapore).state.fields[-2:] == ["tourism", "sport"]
    assert versions_on_file(events_table, wuxi_singapore) == list(range(1, 7))


def test_two_clerks_recording_in_parallel_with_retries_lose_no_event(
    two_clerks: tuple[CityCoop, CityCoop], wuxi_singapore: UUID, events_table
) -> None:
    per_clerk = 12
    start = Barrier(2)
    conflicts: list[str] = []
    failures: list[BaseException] = []

    def launch_initiatives(app: CityCoop, clerk: str) -> None:
        try:
            start.wait()
            for number in range(1, per_clerk + 1):
                while True:
                    try:
                        record(
                            app,
                            LaunchInitiative.validated(
                                partnership=str(wuxi_singapore),
                                name=f"{clerk} exchange programme {number}",
                                initiative_kind="exchange-programme",
                            ),
                            app.provenance(clerk, key=f"{clerk}/{number}"),
                        )
                        break
                    except ConflictError:
                        conflicts.append(clerk)
        except BaseException as error:  # reported below, so a failing thread fails the test
            failures.append(error)

    threads = [
        Thread(target=launch_initiatives, args=(app, clerk))
        for app, clerk in zip(two_clerks, ("li", "wang"), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []

    initiatives = [initiative.name for initiative in two_clerks[0].get_record(wuxi_singapore).state.initiatives]
    for clerk in ("li", "wang"):
        recorded = [name for name in initiatives if name.startswith(f"{clerk} ")]
        assert recorded == [f"{clerk} exchange programme {number}" for number in range(1, per_clerk + 1)]
    assert versions_on_file(events_table, wuxi_singapore) == list(range(1, 5 + 2 * per_clerk))
