"""The rows a batch changes, on both stores: a lookup by column finds the rows
put since the last write as well as those written, and writes nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.projections.database import Session
from citycoop.adapters.projections.documents import Documents
from citycoop.adapters.projections.runner import read_model_database
from citycoop.adapters.projections.tables import Table

SIGNINGS = Table(
    "signings_of_a_test", ("id", "TEXT"), (("conference_id", "TEXT"),), lambda d: (d["conference_id"],), public=False
)


def documents(session: Session) -> Documents:
    return Documents(session, SIGNINGS, 1, None)


def written(session: Session) -> list[str]:
    rows = session.rows(f"SELECT id FROM {session.database.table(SIGNINGS.physical(1))} ORDER BY id")
    return [key for (key,) in rows]


@pytest.fixture
def session(app: CityCoop) -> Iterator[Session]:
    database = read_model_database(app)
    with database.transaction() as session:
        for statement in SIGNINGS.create_statements(1, database.table):
            session.execute(statement)
        batch = documents(session)
        batch.put("wuxi-2023-strategic", {"id": "wuxi-2023-strategic", "conference_id": "wuxi-2023"})
        batch.flush()
    with database.transaction() as session:
        yield session


def test_a_lookup_finds_the_rows_written_and_those_put_since_without_writing_them(session: Session) -> None:
    batch = documents(session)
    batch.put("wuxi-2023-industrial", {"id": "wuxi-2023-industrial", "conference_id": "wuxi-2023"})
    batch.put("suzhou-2024-cultural", {"id": "suzhou-2024-cultural", "conference_id": "suzhou-2024"})

    found = batch.where(conference_id="wuxi-2023")

    assert sorted(signing["id"] for signing in found) == ["wuxi-2023-industrial", "wuxi-2023-strategic"]
    assert written(session) == ["wuxi-2023-strategic"], "the lookup wrote nothing"
    batch.put("wuxi-2023-economic", {"id": "wuxi-2023-economic", "conference_id": "wuxi-2023"})
    assert len(batch.where(conference_id="wuxi-2023")) == 3, "a row put after a lookup is found by the next"
    batch.flush()
    assert written(session) == [
        "suzhou-2024-cultural",
        "wuxi-2023-economic",
        "wuxi-2023-industrial",
        "wuxi-2023-strategic",
    ]


def test_a_looked_up_column_changed_after_its_row_was_put_fails_the_batch(session: Session) -> None:
    batch = documents(session)
    batch.put("wuxi-2023-industrial", {"id": "wuxi-2023-industrial", "conference_id": "wuxi-2023"})
    batch.where(conference_id="wuxi-2023")
    batch["wuxi-2023-industrial"]["conference_id"] = "suzhou-2024"

    with pytest.raises(AssertionError, match="conference_id"):
        batch.flush()


@pytest.mark.parametrize("change", ["in place", "put again"])
def test_a_looked_up_column_changed_in_a_row_written_before_fails_the_batch(session: Session, change: str) -> None:
    batch = documents(session)
    batch.where(conference_id="wuxi-2023")
    if change == "in place":
        batch.changed("wuxi-2023-strategic")["conference_id"] = "suzhou-2024"
    else:
        batch.put("wuxi-2023-strategic", {"id": "wuxi-2023-strategic", "conference_id": "suzhou-2024"})

    with pytest.raises(AssertionError, match="looked-up column"):
        batch.flush()


def test_an_update_given_a_key_twice_fails_before_writing(session: Session) -> None:
    """PostgreSQL would update the row from an arbitrary one of the two, SQLite from the last."""
    table = session.database.table(SIGNINGS.physical(1))
    columns = [("conference_id", "TEXT"), ("id", "TEXT")]
    rows = [("suzhou-2024", "wuxi-2023-strategic"), ("hefei-2025", "wuxi-2023-strategic")]

    with pytest.raises(AssertionError, match="a key given twice"):
        session.update(table, columns, 1, rows)
    assert session.rows(f"SELECT conference_id FROM {table}") == [("wuxi-2023",)]
