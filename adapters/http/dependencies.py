"""What each server worker reads through: the read door on its store, opened
on first use and kept (with it the past read models it keeps, see
``reads.past``).

Opening connects to the store. A server whose store is down still starts,
answers ``/health`` and says it is not ready (503), and opens the store as
soon as it can be reached, instead of failing to boot. Meanwhile one request
at a time tries to open it, at most every ``OPEN_RETRY_SECONDS``; the others
are told at once why the last try failed, rather than each waiting out a try
of its own (which may take the connect timeout) behind the others.
"""

from __future__ import annotations

from threading import Lock
from time import monotonic
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from ...domain.errors import CityCoopError
from ..reads import Reads

OPEN_RETRY_SECONDS = 5.0


class WorkerApp:
    def __init__(self, store: str | None) -> None:
        self.store = store
        self._reads: Reads | None = None
        self._lock = Lock()
        self._failure: CityCoopError | None = None
        self._retry_at = 0.0

    @property
    def opened(self) -> Reads | None:
        return self._reads

    def open(self) -> Reads:
        failure = self._failure
        if not self._lock.acquire(blocking=failure is None):
            assert failure is not None
            raise failure.with_traceback(None)  # another request is trying now
        try:
            if self._reads is None:
                if self._failure is not None and monotonic() < self._retry_at:
                    raise self._failure.with_traceback(None)
                try:
                    self._reads = Reads.open(self.store)
                except CityCoopError as error:
                    self._failure, self._retry_at = error, monotonic() + OPEN_RETRY_SECONDS
                    raise
                self._failure = None
            return self._reads
        finally:
            self._lock.release()

    def close(self) -> None:
        with self._lock:
            if self._reads is not None:
                self._reads.close()
                self._reads = None


async def worker_app(request: Request) -> WorkerApp:
    worker: WorkerApp = request.app.state.worker
    return worker


async def read_door(request: Request) -> Reads:
    worker: WorkerApp = request.app.state.worker
    opened = worker.opened
    if opened is not None:
        return opened
    # Connecting may block for seconds, so it happens off the event loop.
    return await run_in_threadpool(worker.open)


Door = Annotated[Reads, Depends(read_door)]
Worker = Annotated[WorkerApp, Depends(worker_app)]
