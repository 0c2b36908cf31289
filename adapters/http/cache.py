"""Answers kept while the projections stand still.

A read model is a function of the log positions its projections have
reached: while every tracking position is where it was, the same request
gets the same answer. So each worker keeps recent answers (body and ETag)
with the positions they were built at, and answers from memory while the
positions are unchanged, skipping the store, the document's decoding,
validation and serialisation, and the hop to a worker thread. The head of
the log is one of those positions, for the answers read from the log
itself (a record's history page): events are only ever appended to it.

The positions are read again whenever the worker's copy is older than
``FRESH_SECONDS``, so an answer is at most that much older than the
projections. They themselves follow the log by polling at the same interval,
so a reader cannot tell the difference.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable
from time import monotonic

from fastapi import Request, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from .conditional import answer, entity_tag
from .dependencies import WorkerApp

FRESH_SECONDS = 0.05
MAX_ENTRIES = 512
MAX_BODY_BYTES = 256 * 1024
"""Larger answers (long pages) are built each time rather than kept."""

Positions = frozenset[tuple[str, int]]
LOG_HEAD = "(head of the log)"
"""Stands beside the projections' tracking names for the position of the newest event."""


class AnswerCache:
    """One per worker, used from its event loop only."""

    def __init__(self, worker: WorkerApp) -> None:
        self._worker = worker
        self._answers: OrderedDict[str, tuple[Positions, bytes, str]] = OrderedDict()
        self._positions: Positions = frozenset()
        self._read_at = -FRESH_SECONDS
        self._reading: asyncio.Future[Positions] | None = None

    async def positions(self) -> Positions:
        """The projections' positions, read at most ``FRESH_SECONDS`` ago;
        concurrent requests share one read."""
        if monotonic() - self._read_at < FRESH_SECONDS:
            return self._positions
        if self._reading is None:
            self._reading = asyncio.ensure_future(self._read())
        return await asyncio.shield(self._reading)

    async def _read(self) -> Positions:
        started = monotonic()
        try:
            self._positions = await run_in_threadpool(_positions, self._worker)
            self._read_at = started
            return self._positions
        finally:
            self._reading = None

    def get(self, key: str, positions: Positions) -> tuple[bytes, str] | None:
        found = self._answers.get(key)
        if found is None or found[0] != positions:
            return None
        self._answers.move_to_end(key)
        return found[1], found[2]

    def put(self, key: str, positions: Positions, body: bytes, tag: str) -> None:
        if len(body) > MAX_BODY_BYTES:
            return
        self._answers[key] = (positions, body, tag)
        self._answers.move_to_end(key)
        if len(self._answers) > MAX_ENTRIES:
            self._answers.popitem(last=False)


def _positions(worker: WorkerApp) -> Positions:
    reads = worker.open()
    return reads.positions() | {(LOG_HEAD, reads.head())}


def _built(build: Callable[[], BaseModel]) -> tuple[bytes, str]:
    body = build().model_dump_json().encode()
    return body, entity_tag(body)


async def cached_read(request: Request, if_none_match: str | None, build: Callable[[], BaseModel]) -> Response:
    """The answer to this GET of the read models: kept, or built by ``build``
    in a worker thread (it reads the store)."""
    cache: AnswerCache = request.app.state.answers
    key = f"{request.url.path}?{request.url.query}"
    # Positions first: if a projection moves while the answer is built, the
    # answer is kept under the older positions and so is not used again.
    current = await cache.positions()
    found = cache.get(key, current)
    if found is None:
        found = await run_in_threadpool(_built, build)
        cache.put(key, current, *found)
    return answer(*found, if_none_match)
