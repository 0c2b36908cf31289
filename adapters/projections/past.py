"""Read models as they stood at a past position of the log, built aside in a
throwaway database of their own (deleted with them); the live projections
are not touched.

All of them take a replay of the log up to that position. One partnership's
take only the events of its own records: the partnership, its conferences
and its agreements, which the live registers name. No record ever moves to
another partnership (a record's partnership is not a fact that a correction
can change), so the records named now are all it had then, and more.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from eventsourcing.application import Application

from ..storage.sql import sql_of
from .agreements import AgreementRegister
from .catalogue import PROJECTIONS
from .conferences import ConferenceRegister
from .database import scratch_database
from .events import LoggedEvent, decode
from .queries import ReadModels, record_key
from .registry import create_registry
from .runner import REBUILD_BATCH_SIZE, advance, prepare, read_model_database

_REGISTERS = (ConferenceRegister, AgreementRegister)
"""The projections that name each partnership's records."""


def read_models_as_of(app: Application[UUID], position: int) -> ReadModels:
    """The read models as they stood once the log's first ``position`` events had happened."""
    database = scratch_database()
    create_registry(database)
    found = prepare(database, PROJECTIONS)
    building = [cls(database, found[cls.name].generation, versions=False) for cls in PROJECTIONS]
    advance(app, database, building, stop=position, batch_size=REBUILD_BATCH_SIZE)
    return ReadModels(database, as_of=position)


def partnership_as_of(app: Application[UUID], partnership_id: UUID, position: int) -> ReadModels:
    """One partnership's read models as they stood at ``position``: built from
    the events of its own records once the live read models have reached
    ``position`` to name those records; until then, from a replay of the log."""
    records = partnership_records(app, partnership_id, position)
    if records is None:
        return read_models_as_of(app, position)
    events = sql_of(app.recorder).notifications_of(records, upto=position)
    return partnership_read_models([decode(notification) for notification in events], position)


def partnership_records(app: Application[UUID], partnership_id: UUID | str, position: int) -> list[UUID] | None:
    """The ids of the partnership and of every conference and agreement of it
    that the live registers name; None while they are behind ``position``,
    when they might not yet name every record made by then."""
    key = record_key(partnership_id, "partnership")
    database = read_model_database(app)
    found = prepare(database, _REGISTERS)
    reached = database.positions()
    if any(reached.get(cls(database, found[cls.name].generation).tracking_name, 0) < position for cls in _REGISTERS):
        return None
    with database.reading() as session:
        rows = session.rows(
            f"SELECT id FROM {database.table(ConferenceRegister.name)} WHERE partnership_id = ?"
            f" UNION ALL SELECT id FROM {database.table(AgreementRegister.name)} WHERE partnership_id = ?",
            (key, key),
        )
    return [UUID(key), *(UUID(record_id) for (record_id,) in rows)]


def partnership_read_models(events: Sequence[LoggedEvent], position: int) -> ReadModels:
    """The read models of one partnership built from ``events``: those of its
    records up to ``position``, in log order. Only its own rows are there:
    the city directory, whose rows span partnerships, is left empty."""
    database = scratch_database()
    create_registry(database)
    building = [cls for cls in PROJECTIONS if cls.per_partnership]
    found = prepare(database, building)
    with database.transaction() as session:
        for cls in building:
            cls(database, found[cls.name].generation, versions=False).apply(session, events)
    return ReadModels(database, as_of=position)
