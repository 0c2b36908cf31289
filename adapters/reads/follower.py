"""Projections kept at the head of the log by a thread of the process that
serves them, so that ``citycoop serve`` alone shows what any writer recorded.
One follower per server (not per worker); where projections run as their own
processes (``citycoop projections run``), serve without one."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from threading import Event, Thread

from .door import Reads

RETRY_SECONDS = 5.0
log = logging.getLogger(__name__)


@contextmanager
def projections_followed(store: str | None) -> Iterator[None]:
    stop = Event()
    thread = Thread(target=_follow, args=(store, stop), name="citycoop-projections", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=RETRY_SECONDS * 2)


def _follow(store: str | None, stop: Event) -> None:
    while not stop.is_set():
        try:
            with Reads.open(store) as reads:
                reads.follow(stop=stop)
        except Exception:
            # The store went away, or a batch failed: the server keeps serving
            # what the projections hold (their lag shows at /projections).
            log.exception("projections: following the log failed; trying again in %s s", RETRY_SECONDS)
            stop.wait(RETRY_SECONDS)
