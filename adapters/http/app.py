"""The read-only HTTP API: the application factory.

Each server worker builds one API with :func:`create_app`; the store comes
from the argument or, for workers that uvicorn starts from an import string,
from ``CITYCOOP_STORE``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from ...domain.errors import CityCoopError
from . import agreements, cities, conferences, feed, partnerships, service, status, web
from .cache import AnswerCache
from .deadline import AnsweredInTime, Deadlines
from .dependencies import WorkerApp
from .head import HeadAsGet
from .problems import PROBLEM_MEDIA_TYPE, UNAVAILABLE, install_problem_handlers

log = logging.getLogger(__name__)

DESCRIPTION = """\
Read-only access to citycoop's read models and to its event feed.

Every read answers with an `ETag`; send it back in `If-None-Match` to get
`304 Not Modified` while nothing changed. Errors are problem details
(`application/problem+json`). There is no write endpoint: GET and HEAD are
answered (HEAD with the headers alone); any other method gets 405.

Every request is answered within its deadline (10 s unless the server was
started with another `--request-timeout`; `/ready` within 2 s, or its
`--ready-timeout`): past it, or while the store cannot be reached, the answer
is 503 with `Retry-After`.
"""


class ReadOnlyAPI(FastAPI):
    def openapi(self) -> dict[str, Any]:
        """FastAPI's schema, with error responses declared as the problem
        details they are rather than as plain JSON."""
        if self.openapi_schema is None:
            schema = super().openapi()
            for operations in schema["paths"].values():
                for operation in operations.values():
                    for status, response in operation["responses"].items():
                        content = response.get("content", {})
                        if status[0] in "45" and "application/json" in content:
                            content[PROBLEM_MEDIA_TYPE] = content.pop("application/json")
            self.openapi_schema = schema
        return self.openapi_schema


def _operation_id(route: APIRoute) -> str:
    """Operation ids are the route functions' names (``get_partnership``), for
    readable generated clients."""
    return route.name


def create_app(store: str | None = None, deadlines: Deadlines | None = None) -> FastAPI:
    """The API on ``store``; each request answered within ``deadlines`` (by
    default those ``citycoop serve`` passed through the environment)."""
    worker = WorkerApp(store)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        try:
            await run_in_threadpool(worker.open)
        except CityCoopError as error:
            log.warning("%s; serving, and not ready until it can be opened", error)
        yield
        await run_in_threadpool(worker.close)

    api = ReadOnlyAPI(
        title="citycoop",
        version=version("citycoop"),
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_url="/openapi.json",
        generate_unique_id_function=_operation_id,
    )
    api.state.worker = worker
    api.state.answers = AnswerCache(worker)
    install_problem_handlers(api)
    api.add_middleware(AnsweredInTime, deadlines=deadlines or Deadlines.from_environment())
    api.add_middleware(HeadAsGet)
    for router in (
        partnerships.router,
        conferences.router,
        agreements.router,
        cities.router,
        feed.router,
        status.router,
        web.router,
    ):
        api.include_router(router, responses=UNAVAILABLE)
    api.include_router(service.router)
    return api
