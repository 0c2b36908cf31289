"""The application each server worker reads through, opened on first use.

Opening it connects to the store. A server whose store is down still starts,
answers ``/health`` and says it is not ready (503), and opens the store as
soon as it can be reached, instead of failing to boot.
"""

from __future__ import annotations

from threading import Lock
from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from citycoop.adapters.application import CityCoop


class WorkerApp:
    def __init__(self, store: str | None) -> None:
        self.store = store
        self._app: CityCoop | None = None
        self._lock = Lock()

    @property
    def opened(self) -> CityCoop | None:
        return self._app

    def open(self) -> CityCoop:
        with self._lock:
            if self._app is None:
                self._app = CityCoop(self.store)
            return self._app

    def close(self) -> None:
        with self._lock:
            if self._app is not None:
                self._app.close()
                self._app = None


async def citycoop_app(request: Request) -> CityCoop:
    worker: WorkerApp = request.app.state.worker
    opened = worker.opened
    if opened is not None:
        return opened
    # Connecting may block for seconds, so it happens off the event loop.
    return await run_in_threadpool(worker.open)


App = Annotated[CityCoop, Depends(citycoop_app)]
