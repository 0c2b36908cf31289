"""Every request gets an answer in bounded time: when the route has not begun
to answer by its deadline, the client is told 503 with ``Retry-After``, and the
route, left to finish in the background, has nothing more to say.

A store that stops answering holds the thread that asked it until its own
limits (``storage.postgres_connection``) give up; the deadline keeps that from
being the client's wait. ``/ready`` gets a shorter deadline than the rest,
since whoever asks it (a load balancer, an orchestrator) gives up early too.
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..shared_names import (
    DEFAULT_READY_SECONDS,
    DEFAULT_REQUEST_SECONDS,
    READY_TIMEOUT_VARIABLE,
    REQUEST_TIMEOUT_VARIABLE,
)
from .problems import RETRY_AFTER_SECONDS, problem_response

READY_PATH = "/ready"


@dataclass(frozen=True)
class Deadlines:
    request: float = DEFAULT_REQUEST_SECONDS
    ready: float = DEFAULT_READY_SECONDS

    @classmethod
    def from_environment(cls) -> Deadlines:
        """The deadlines ``citycoop serve`` passed to its workers, or the defaults."""
        return cls(
            request=float(os.environ.get(REQUEST_TIMEOUT_VARIABLE) or DEFAULT_REQUEST_SECONDS),
            ready=float(os.environ.get(READY_TIMEOUT_VARIABLE) or DEFAULT_READY_SECONDS),
        )

    def of(self, path: str) -> float:
        return min(self.ready, self.request) if path == READY_PATH else self.request


class AnsweredInTime:
    """ASGI middleware that holds every HTTP request to its deadline."""

    def __init__(self, app: ASGIApp, deadlines: Deadlines) -> None:
        self.app = app
        self.deadlines = deadlines

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        answer = _Answer(send)
        route = asyncio.ensure_future(self.app(scope, receive, answer.send))
        done, _ = await asyncio.wait({route}, timeout=self.deadlines.of(scope["path"]))
        if route in done or answer.started:
            # Finished, or already answering (its status and headers are sent): let it end.
            await route
            return
        answer.abandoned = True
        route.add_done_callback(_forget)
        seconds = self.deadlines.of(scope["path"])
        late = problem_response(
            Request(scope),
            503,
            f"deadline: no answer within {seconds:g} s; the store is slow or does not answer",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
        await late(scope, receive, send)


class _Answer:
    """The route's side of the response, silenced once the deadline answered for it."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self.started = False
        self.abandoned = False

    async def send(self, message: Message) -> None:
        if self.abandoned:
            return
        self.started = True
        await self._send(message)


def _forget(route: asyncio.Future[Any]) -> None:
    """Collect the abandoned route's outcome, so that its failure (the store
    gave up in the end) is not reported as an exception never retrieved."""
    if not route.cancelled():
        route.exception()
