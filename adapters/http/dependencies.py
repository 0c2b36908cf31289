"""What each server worker reads through: the application and the read
models on its store, opened on first use, and read models as of a past
position or recorded time, built on demand.

Opening connects to the store. A server whose store is down still starts,
answers ``/health`` and says it is not ready (503), and opens the store as
soon as it can be reached, instead of failing to boot.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from threading import Lock
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from citycoop.adapters.application import CityCoop, translated_store_errors
from citycoop.adapters.audit.auditor import Auditor
from citycoop.adapters.projections import ReadModels, read_models_as_of

AS_OF_CACHE_SIZE = 4
"""Past read models of every partnership kept per worker, each in a temporary file of its own."""
SETTLED_MOMENTS_KEPT = 256
"""Recorded times whose log position is known for good, kept per worker (the oldest dropped first)."""
PARTNERSHIP_AS_OF_CACHE_SIZE = 16
"""Past read models of one partnership kept per worker, apart, so that they
never push out a replay of the log that took far longer to build."""


class _Recent:
    """The past read models built last, by key, the least recently used dropped first."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._kept: OrderedDict[tuple[int, UUID | None], ReadModels] = OrderedDict()
        self._lock = Lock()

    def get(self, key: tuple[int, UUID | None], build: Callable[[], ReadModels]) -> ReadModels:
        """The read models kept under ``key``, or those ``build`` gives (built
        without holding the lock), kept."""
        with self._lock:
            found = self._kept.get(key)
            if found is not None:
                self._kept.move_to_end(key)
                return found
        found = build()
        with self._lock:
            self._kept[key] = found
            self._kept.move_to_end(key)
            if len(self._kept) > self._size:
                self._kept.popitem(last=False)
        return found

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


class WorkerApp:
    def __init__(self, store: str | None) -> None:
        self.store = store
        self._app: CityCoop | None = None
        self._read_models: ReadModels | None = None
        self._lock = Lock()
        self._replays = _Recent(AS_OF_CACHE_SIZE)
        self._replay_lock = Lock()
        self._partnerships = _Recent(PARTNERSHIP_AS_OF_CACHE_SIZE)
        self._settled: dict[datetime, int] = {}
        self._auditor: Auditor | None = None

    @property
    def opened(self) -> CityCoop | None:
        return self._app

    def open(self) -> CityCoop:
        with self._lock:
            if self._app is None:
                self._app = CityCoop(self.store)
            return self._app

    def read_models(self, as_of: int | datetime | None = None, *, partnership: UUID | None = None) -> ReadModels:
        """The live read models, or those as they stood at log position
        ``as_of`` or, for a moment, at the last position recorded by then.
        Past read models asked for one ``partnership`` answer for it alone,
        and cost only the events of its own records."""
        if isinstance(as_of, datetime):
            as_of = self._position_as_of(as_of)
        if as_of is not None:
            return self._read_models_as_of(as_of, partnership)
        if self._read_models is None:
            app = self.open()
            with self._lock, translated_store_errors(app.location):
                self._read_models = self._read_models or ReadModels(app)
        return self._read_models

    def position_of(self, as_of: int | datetime) -> int:
        """The log position that ``as_of`` names: itself, or the last one
        recorded by that moment (found as :meth:`read_models` finds it)."""
        return self._position_as_of(as_of) if isinstance(as_of, datetime) else as_of

    def auditor(self) -> Auditor:
        """The auditor over this worker's store, made once."""
        return self._auditor_of(self.open())

    def _auditor_of(self, app: CityCoop) -> Auditor:
        with self._lock:
            self._auditor = self._auditor or Auditor(app)
            return self._auditor

    def _position_as_of(self, moment: datetime) -> int:
        """The position of the log at ``moment``. Finding it reads the log up
        to there, so it is kept once it can no longer change: a client paging
        through the past by time reads the log once."""
        with self._lock:
            found = self._settled.get(moment)
        if found is not None:
            return found
        position, settled = self._auditor_of(self.open()).moment_in_log(moment)
        if settled:
            with self._lock:
                self._settled[moment] = position
                if len(self._settled) > SETTLED_MOMENTS_KEPT:
                    del self._settled[next(iter(self._settled))]
        return position

    def _read_models_as_of(self, position: int, partnership: UUID | None) -> ReadModels:
        """Past read models of every partnership cost a replay of the log up
        to ``position``: one replay at a time per worker, and the last few
        kept, so that a client paging through the past pays for one. Those of
        one partnership cost a few queries, and never wait for a replay."""
        app = self.open()
        with translated_store_errors(app.location):
            position = min(position, app.recorder.max_notification_id() or 0)
            key = (position, partnership)
            if partnership is not None:
                return self._partnerships.get(
                    key, lambda: self._auditor_of(app).partnership_as_of(partnership, position=position).read_models
                )
            with self._replay_lock:
                return self._replays.get(key, lambda: read_models_as_of(app, position))

    def close(self) -> None:
        with self._lock:
            self._read_models = None
            self._replays.clear()
            self._partnerships.clear()
            self._settled.clear()
            self._auditor = None
            if self._app is not None:
                self._app.close()
                self._app = None


async def worker_app(request: Request) -> WorkerApp:
    worker: WorkerApp = request.app.state.worker
    return worker


async def citycoop_app(request: Request) -> CityCoop:
    worker: WorkerApp = request.app.state.worker
    opened = worker.opened
    if opened is not None:
        return opened
    # Connecting may block for seconds, so it happens off the event loop.
    return await run_in_threadpool(worker.open)


App = Annotated[CityCoop, Depends(citycoop_app)]
Worker = Annotated[WorkerApp, Depends(worker_app)]
