"""Answers kept while the projections stand still.

A read model is a function of the log positions its projections have
reached: while every tracking position is where it was, the same request
gets the same answer. So each worker keeps recent answers (body and ETag)
with the positions they were built at, checks the positions on every request
(one small query), and answers from memory while they are unchanged, skipping
the document's decoding, validation, serialisation and hashing.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from threading import Lock

from fastapi import Request, Response
from pydantic import BaseModel

from citycoop.adapters.application import translated_store_errors
from citycoop.adapters.http.conditional import answer, entity_tag
from citycoop.adapters.http.dependencies import WorkerApp
from citycoop.adapters.projections.runner import read_model_database

MAX_ENTRIES = 512
MAX_BODY_BYTES = 256 * 1024
"""Larger answers (long pages) are built each time rather than kept."""

Positions = frozenset[tuple[str, int]]


class AnswerCache:
    def __init__(self) -> None:
        self._answers: OrderedDict[str, tuple[Positions, bytes, str]] = OrderedDict()
        self._lock = Lock()

    def get(self, key: str, positions: Positions) -> tuple[bytes, str] | None:
        with self._lock:
            found = self._answers.get(key)
            if found is None or found[0] != positions:
                return None
            self._answers.move_to_end(key)
            return found[1], found[2]

    def put(self, key: str, positions: Positions, body: bytes, tag: str) -> None:
        if len(body) > MAX_BODY_BYTES:
            return
        with self._lock:
            self._answers[key] = (positions, body, tag)
            self._answers.move_to_end(key)
            if len(self._answers) > MAX_ENTRIES:
                self._answers.popitem(last=False)


def positions(worker: WorkerApp) -> Positions:
    app = worker.open()
    with translated_store_errors(app.location):
        return frozenset(read_model_database(app).positions().items())


def cached_read(
    request: Request, worker: WorkerApp, if_none_match: str | None, build: Callable[[], BaseModel]
) -> Response:
    """The answer to this GET of the read models, from the cache while the
    projections have not moved, else built by ``build``."""
    cache: AnswerCache = request.app.state.answers
    key = f"{request.url.path}?{request.url.query}"
    # Positions first: if a projection moves while the answer is built, the
    # answer is kept under the older positions and so is not used again.
    current = positions(worker)
    found = cache.get(key, current)
    if found is None:
        body = build().model_dump_json().encode()
        found = body, entity_tag(body)
        cache.put(key, current, *found)
    return answer(*found, if_none_match)
