"""Which generation of each projection readers see, and which one is being
built: one row per projection, changed only in the transactions that register
a projection, start a rebuild, or switch readers to a rebuilt generation."""

from __future__ import annotations

from dataclasses import dataclass

from ..storage.sql import REGISTRY_TABLE
from .database import ReadModelDatabase, Session
from .projection import ReadModelProjection


@dataclass(frozen=True)
class Registration:
    name: str
    version: int
    """The version of the live generation."""
    generation: int
    """The generation readers see."""
    next_version: int | None
    next_generation: int | None
    """A generation being built while readers keep the live one."""


def create_registry(database: ReadModelDatabase) -> None:
    if database.sql.schema_ready:
        return
    with database.transaction() as session:
        session.execute(
            f"CREATE TABLE IF NOT EXISTS {database.table(REGISTRY_TABLE)} ("
            "name TEXT PRIMARY KEY, version INTEGER NOT NULL, generation INTEGER NOT NULL,"
            " next_version INTEGER, next_generation INTEGER)"
        )


def registrations(session: Session) -> dict[str, Registration]:
    rows = session.rows(
        f"SELECT name, version, generation, next_version, next_generation FROM {session.database.table(REGISTRY_TABLE)}"
    )
    return {row[0]: Registration(*row) for row in rows}


def register(session: Session, projection_class: type[ReadModelProjection]) -> Registration:
    """Create a new projection's first generation and show it to readers at
    once: a projection that never existed has nothing older to show."""
    projection = projection_class(session.database, generation=1)
    projection.create_tables(session)
    projection.create_indexes(session)
    projection.publish(session)
    session.execute(
        f"INSERT INTO {session.database.table(REGISTRY_TABLE)} VALUES (?, ?, 1, NULL, NULL)",
        (projection_class.name, projection_class.version),
    )
    return Registration(projection_class.name, projection_class.version, 1, None, None)


def begin_rebuild(
    session: Session, projection_class: type[ReadModelProjection], registration: Registration
) -> ReadModelProjection:
    """Start a new generation beside the live one, dropping any unfinished one."""
    if registration.next_generation is not None:
        abandoned = projection_class(session.database, registration.next_generation)
        abandoned.drop_tables(session)
        session.database.forget(session, abandoned.tracking_name)
    generation = max(registration.generation, registration.next_generation or 0) + 1
    projection = projection_class(session.database, generation)
    projection.drop_tables(session)  # left over, if the registry was ever put back by hand
    session.database.forget(session, projection.tracking_name)
    projection.create_tables(session)
    session.execute(
        f"UPDATE {session.database.table(REGISTRY_TABLE)} SET next_version = ?, next_generation = ? WHERE name = ?",
        (projection_class.version, generation, projection_class.name),
    )
    return projection


def switch(session: Session, projection: ReadModelProjection, registration: Registration) -> bool:
    """Show readers the rebuilt generation and drop the old one, in one
    transaction; False if another process switched first."""
    switched = session.execute(
        f"UPDATE {session.database.table(REGISTRY_TABLE)}"
        " SET version = next_version, generation = next_generation, next_version = NULL, next_generation = NULL"
        " WHERE name = ? AND next_generation = ?",
        (projection.name, projection.generation),
    )
    if not switched:
        return False
    projection.create_indexes(session)
    projection.publish(session)
    old = type(projection)(session.database, registration.generation)
    old.drop_tables(session)
    session.database.forget(session, old.tracking_name)
    return True
