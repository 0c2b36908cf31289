"""Following the log as events arrive: catch up, wait for news, repeat.

PostgreSQL wakes the follower with LISTEN/NOTIFY on the channel its
application recorder notifies on every insert; SQLite cannot push, so the
follower polls the head of the log. Either way the work is done by
``catch_up``, batch by batch, so a follower that is killed resumes exactly
where its last committed batch ended. (The library's ``subscribe()`` hands
out one event at a time; waiting here and reading in batches is what keeps
a busy log cheap to follow.)
"""

from __future__ import annotations

from collections.abc import Callable
from threading import Event
from uuid import UUID

from eventsourcing.application import Application

from ..storage.sql import sql_of
from .catalogue import PROJECTIONS
from .runner import BATCH_SIZE, ProjectionClasses, catch_up


def follow(
    app: Application[UUID],
    projections: ProjectionClasses = PROJECTIONS,
    *,
    stop: Event,
    batch_size: int = BATCH_SIZE,
    caught_up: Callable[[int], None] | None = None,
) -> None:
    """Keep ``projections`` at the head of the log until ``stop`` is set;
    ``caught_up`` is told each position reached."""
    with sql_of(app.recorder).news(stop) as wait:
        position = -1
        while not stop.is_set():
            reached = catch_up(app, projections, batch_size=batch_size)
            if reached != position and caught_up is not None:
                caught_up(reached)
            position = reached
            wait(position)
