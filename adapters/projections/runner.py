"""Bringing projections to the head of the log, batch by batch.

Each batch is read once with ``select_notifications``, decoded once, applied
to every projection that has not seen it yet, and committed in one
transaction together with each projection's new tracking position. A process
killed at any moment leaves every projection at the end of its last committed
batch, and the next run goes on from there: each event is applied exactly once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from uuid import UUID
from weakref import WeakKeyDictionary

from eventsourcing.application import Application
from eventsourcing.persistence import IntegrityError, OperationalError

from citycoop.adapters.factory import creating_tables
from citycoop.adapters.projections.catalogue import PROJECTIONS
from citycoop.adapters.projections.database import ReadModelDatabase, database_for
from citycoop.adapters.projections.events import decode
from citycoop.adapters.projections.projection import ReadModelProjection
from citycoop.adapters.projections.registry import (
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
REBUILD_BATCH_SIZE = 5_000
"""Events per transaction when rebuilding: nobody reads the new tables yet,
so fewer, bigger commits; memory still stays flat."""

_ATTEMPTS = 5

Progress = Callable[[int, int], None]
"""Called after each batch with the events applied so far and the number to apply."""

ProjectionClasses = Sequence[type[ReadModelProjection]]

_databases: WeakKeyDictionary[Application[UUID], ReadModelDatabase] = WeakKeyDictionary()


def read_model_database(app: Application[UUID]) -> ReadModelDatabase:
    """The read-model database beside ``app``'s log, set up once per process."""
    if app not in _databases:
        with creating_tables(getattr(app.recorder, "datastore", None)):
            database = database_for(app.recorder)
            create_registry(database)
        _databases[app] = database
    return _databases[app]


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
            with creating_tables(getattr(database, "datastore", None)), database.transaction() as session:
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
    while True:
        first = min(positions.values())
        batch = app.recorder.select_notifications(first, batch_size, stop=stop, inclusive_of_start=False)
        if not batch:
            break
        events = [decode(notification) for notification in batch]
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
            if not isinstance(error, IntegrityError):
                raise
            # Another process applied some of these events first; go on from where it got.
            positions = _positions(database, projections)
            continue
        for name in positions:
            positions[name] = max(positions[name], last)
        done += len(events)
        if progress is not None:
            progress(done, max(total, done))
        if len(batch) < batch_size:
            break
    return min(positions.values())


def _positions(database: ReadModelDatabase, projections: Sequence[ReadModelProjection]) -> dict[str, int]:
    tracked = database.positions()
    return {projection.tracking_name: tracked.get(projection.tracking_name, 0) for projection in projections}
