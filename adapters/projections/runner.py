"""Bringing projections to the head of the log, batch by batch.

Each batch is read once with ``select_notifications``, decoded once, applied
to every projection that has not seen it yet, and committed in one
transaction together with each projection's new tracking position. A process
killed at any moment leaves every projection at the end of its last committed
batch, and the next run goes on from there: each event is applied exactly once.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from uuid import UUID
from weakref import WeakKeyDictionary

from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError, OperationalError

from ..storage.sql import sql_of
from .catalogue import PROJECTIONS
from .database import ReadModelDatabase, database_for
from .events import LoggedEvent, decode
from .projection import ReadModelProjection
from .registry import (
    Registration,
    begin_rebuild,
    create_registry,
    register,
    registrations,
    switch,
)

BATCH_SIZE = 500
"""Events per transaction when catching up: big enough that a commit costs
little per event, small enough that memory stays flat and that a transaction
holds the write lock only briefly while clerks are recording."""
REBUILD_BATCH_SIZE = 10_000
"""Events per transaction when rebuilding: nobody reads the new tables yet,
so fewer, bigger commits; memory still stays flat."""

_ATTEMPTS = 5

Progress = Callable[[int, int], None]
"""Called after each batch with the events applied so far and the number to apply."""

ProjectionClasses = Sequence[type[ReadModelProjection]]

_databases: WeakKeyDictionary[Application[UUID], ReadModelDatabase] = WeakKeyDictionary()


def read_model_database(app: Application[UUID]) -> ReadModelDatabase:
    """The read-model database beside ``app``'s log, set up once per process."""
    for attempt in range(_ATTEMPTS):
        if app in _databases:
            break
        try:
            sql = sql_of(app.recorder)
            # Once the store has its tables, the tracking table's creation changes nothing: no turn to take.
            with nullcontext() if sql.schema_ready else sql.creating_tables():
                database = database_for(app.recorder)
                create_registry(database)
        except IntegrityError:
            # SQLite: another process created the tracking table between the
            # library's look and its insert of the table's version; it exists now.
            if attempt == _ATTEMPTS - 1:
                raise
        else:
            _databases[app] = database
    return _databases[app]


def release_read_model_database(app: Application[UUID]) -> None:
    """Close the connections of the read models beside ``app``'s log (SQLite
    has some of their own), so that a store closed is closed whole."""
    database = _databases.pop(app, None)
    if database is not None:
        database.sql.close_read_models()


def catch_up(
    app: Application[UUID],
    projections: ProjectionClasses = PROJECTIONS,
    *,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
) -> int:
    """Bring every projection to the head of the log and return the position
    they have all reached. A projection that is new is built; one whose version
    changed, or whose rebuild was interrupted, is rebuilt first while readers
    keep its old tables."""
    database = read_model_database(app)
    found = prepare(database, projections)
    stale = [
        projection_class
        for projection_class in projections
        if found[projection_class.name].version != projection_class.version
        or found[projection_class.name].next_generation is not None
    ]
    if stale:
        rebuild(app, stale, progress=progress)
        found = prepare(database, projections)
    live = [cls(database, found[cls.name].generation) for cls in projections]
    return advance(app, database, live, batch_size=batch_size, progress=progress)


def rebuild(
    app: Application[UUID],
    projections: ProjectionClasses = PROJECTIONS,
    *,
    batch_size: int = REBUILD_BATCH_SIZE,
    progress: Progress | None = None,
) -> int:
    """Build ``projections`` again from the start of the log into new tables,
    then switch readers to them. A rebuild of the same version that was
    interrupted is resumed where it stopped."""
    database = read_model_database(app)
    prepare(database, projections)
    with database.transaction() as session:
        found = registrations(session)
        building = []
        for projection_class in projections:
            registration = found[projection_class.name]
            if registration.next_generation is not None and registration.next_version == projection_class.version:
                building.append(projection_class(database, registration.next_generation))
            else:
                building.append(begin_rebuild(session, projection_class, registration))
    advance(app, database, building, batch_size=batch_size, progress=progress)
    with database.transaction() as session:
        found = registrations(session)
        for projection in building:
            switch(session, projection, found[projection.name])
    return advance(app, database, building, batch_size=batch_size)


def prepare(database: ReadModelDatabase, projections: ProjectionClasses) -> dict[str, Registration]:
    """The registrations of ``projections``, registering those that are new."""
    with database.reading() as session:
        found = registrations(session)
    for attempt in range(_ATTEMPTS):
        if all(projection_class.name in found for projection_class in projections):
            break
        try:
            with database.sql.creating_tables(), database.transaction() as session:
                found = registrations(session)
                for projection_class in projections:
                    if projection_class.name not in found:
                        found[projection_class.name] = register(session, projection_class)
        except (IntegrityError, OperationalError):
            # Another process registered them at the same moment: read what it did.
            if attempt == _ATTEMPTS - 1:
                raise
            with database.reading() as session:
                found = registrations(session)
    return found


def advance(
    app: Application[UUID],
    database: ReadModelDatabase,
    projections: Sequence[ReadModelProjection],
    *,
    stop: int | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
) -> int:
    """Apply the log up to ``stop`` (or its head) to ``projections``; returns
    the position that all of them have reached."""
    if not projections:
        return app.recorder.max_notification_id() or 0
    # One order for everyone, so that processes advancing overlapping sets of
    # projections lock their tracking rows in the same order.
    projections = sorted(projections, key=lambda projection: projection.tracking_name)
    positions = _positions(database, projections)
    start = min(positions.values())
    total = max((stop or app.recorder.max_notification_id() or 0) - start, 0)
    done = 0
    with _without_cycle_collection():
        while events := _events(app, min(positions.values()), batch_size, stop):
            if not _apply(database, projections, positions, events):
                positions = _positions(database, projections)
                continue
            done += len(events)
            if progress is not None:
                progress(done, max(total, done))
            if len(events) < batch_size:
                break
    return min(positions.values())


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector while batches are applied.

    Catching up allocates millions of short-lived dicts (decoded events,
    documents) and keeps thousands in the document caches; none form cycles,
    so reference counting frees them, while the collector kept scanning the
    cached ones and took a tenth of a rebuild.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _apply(
    database: ReadModelDatabase,
    projections: Sequence[ReadModelProjection],
    positions: dict[str, int],
    events: Sequence[LoggedEvent],
) -> bool:
    """Apply one batch in one transaction; False if another process applied
    some of it first (and so none of it was applied here)."""
    last = events[-1].position
    try:
        with database.transaction() as session:
            for projection in projections:
                position = positions[projection.tracking_name]
                if position >= last:
                    continue
                # Tracking first: on PostgreSQL it locks this projection's
                # row, so a second runner waits here, then fails and retries.
                session.track(projection.tracking_name, position, last)
                projection.apply(session, [event for event in events if event.position > position])
    except BaseException as error:
        for projection in projections:
            projection.rolled_back()
        if isinstance(error, IntegrityError):
            return False
        raise
    for name, position in positions.items():
        positions[name] = max(position, last)
    return True


def _events(app: Application[UUID], position: int, batch_size: int, stop: int | None) -> list[LoggedEvent]:
    """The batch of events after ``position``.

    Read in the same thread as the batch is applied: a reader thread made
    every write slower than the read it saved, since each row the database
    writes hands the GIL over and waits to get it back from the reader.
    """
    batch = app.recorder.select_notifications(position, batch_size, stop=stop, inclusive_of_start=False)
    return [decode(notification) for notification in batch]


def _positions(database: ReadModelDatabase, projections: Sequence[ReadModelProjection]) -> dict[str, int]:
    tracked = database.positions()
    return {projection.tracking_name: tracked.get(projection.tracking_name, 0) for projection in projections}
