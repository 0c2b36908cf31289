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

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from threading import Event
from uuid import UUID

from eventsourcing.application import Application

from ..storage.postgres_types import is_postgres_application_recorder
from .catalogue import PROJECTIONS
from .runner import BATCH_SIZE, ProjectionClasses, catch_up

POLL_SECONDS = 0.05
WAKE_SECONDS = 1.0
"""Even when told nothing, look at the log this often."""


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
    with _news_of(app, stop) as wait:
        position = -1
        while not stop.is_set():
            reached = catch_up(app, projections, batch_size=batch_size)
            if reached != position and caught_up is not None:
                caught_up(reached)
            position = reached
            wait(position)


@contextmanager
def _news_of(app: Application[UUID], stop: Event) -> Iterator[Callable[[int], None]]:
    """A function that returns when the log may have grown past a position."""
    recorder = app.recorder
    if not is_postgres_application_recorder(recorder):

        def poll(position: int) -> None:
            waited = 0.0
            while waited < WAKE_SECONDS and not stop.wait(POLL_SECONDS):
                waited += POLL_SECONDS
                if (recorder.max_notification_id() or 0) > position:
                    return

        yield poll
        return

    from psycopg.sql import SQL, Identifier  # noqa: PLC0415 - psycopg for PostgreSQL stores only

    with recorder.datastore.get_connection() as connection:
        connection.execute(SQL("LISTEN {}").format(Identifier(recorder.channel_name)))

        def listen(_position: int) -> None:
            # Notifications sent while catching up wait in the connection, so none is missed.
            for _ in connection.notifies(timeout=WAKE_SECONDS, stop_after=1):
                pass

        yield listen
