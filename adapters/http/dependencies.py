"""What each server worker reads through: the read door on its store, opened
on first use and kept (with it the past read models it keeps, see
``reads.past``).

Opening connects to the store. A server whose store is down still starts,
answers ``/health`` and says it is not ready (503), and opens the store as
soon as it can be reached, instead of failing to boot.
"""

from __future__ import annotations

from threading import Lock
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from ..reads import Reads


class WorkerApp:
    def __init__(self, store: str | None) -> None:
        self.store = store
        self._reads: Reads | None = None
        self._lock = Lock()

    @property
    def opened(self) -> Reads | None:
        return self._reads

    def open(self) -> Reads:
        with self._lock:
            if self._reads is None:
                self._reads = Reads.open(self.store)
            return self._reads

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
