"""Errors as problem details (RFC 9457, ``application/problem+json``).

Every error the API returns has the same shape, so a client needs one error
path: ``status`` and ``title`` say what kind of failure it is, ``detail`` is
one line that names the parameter and the problem, and ``errors`` lists each
rejected parameter when there are several.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from ...domain.errors import InvalidInputError, InvalidValueError, NotFoundError
from ..reads import StoreUnavailableError

PROBLEM_MEDIA_TYPE = "application/problem+json"
RETRY_AFTER_SECONDS = 5
"""What a 503 tells the client to wait before asking again."""


class ParameterProblem(BaseModel):
    """One rejected request parameter."""

    parameter: str
    problem: str


class Problem(BaseModel):
    """What went wrong with a request."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str
    errors: list[ParameterProblem] = []


def problem_response(
    request: Request,
    status: int,
    detail: str,
    errors: Sequence[ParameterProblem] = (),
    headers: Mapping[str, str] | None = None,
) -> Response:
    problem = Problem(
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=request.url.path,
        errors=list(errors),
    )
    return Response(problem.model_dump_json(), status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def _parameter_name(location: Sequence[Any]) -> str:
    """``("query", "topics", 0)`` -> ``topics[0]``: the name a client wrote."""
    name = str(location[1]) if len(location) > 1 else str(location[0])
    return name + "".join(f"[{part}]" for part in location[2:])


async def _invalid_request(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    errors = [ParameterProblem(parameter=_parameter_name(item["loc"]), problem=item["msg"]) for item in error.errors()]
    detail = "; ".join(f"{item.parameter}: {item.problem}" for item in errors)
    return problem_response(request, 422, detail, errors)


async def _http_error(request: Request, error: Exception) -> Response:
    """Starlette's own refusals: an unknown path (404) or method (405, with ``Allow``)."""
    assert isinstance(error, HTTPException)
    detail = error.detail
    if error.status_code == 404:
        detail = f"path: nothing is served at {request.url.path}"
    elif error.status_code == 405:
        detail = f"method: {request.method} is not allowed here; this API is read-only"
    return problem_response(request, error.status_code, detail, headers=error.headers)


async def _not_found(request: Request, error: Exception) -> Response:
    return problem_response(request, 404, str(error))


async def _invalid_input(request: Request, error: Exception) -> Response:
    errors = []
    if isinstance(error, InvalidValueError):
        errors.append(ParameterProblem(parameter=error.field, problem=error.problem))
    return problem_response(request, 422, str(error), errors)


async def _store_unavailable(request: Request, error: Exception) -> Response:
    return problem_response(request, 503, str(error), headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


def install_problem_handlers(api: FastAPI) -> None:
    api.add_exception_handler(RequestValidationError, _invalid_request)
    api.add_exception_handler(HTTPException, _http_error)
    api.add_exception_handler(NotFoundError, _not_found)
    api.add_exception_handler(InvalidInputError, _invalid_input)
    api.add_exception_handler(StoreUnavailableError, _store_unavailable)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` entry that documents these error statuses as problems."""
    return {status: {"model": Problem, "description": HTTPStatus(status).phrase} for status in statuses}


UNAVAILABLE: dict[int | str, dict[str, Any]] = {
    503: {
        "model": Problem,
        "description": (
            "Service Unavailable: the store cannot be reached, or did not answer within the request's deadline"
            " (`citycoop serve --request-timeout`), or too many replays of the past are waiting;"
            " ask again after `Retry-After` seconds"
        ),
        "headers": {
            "Retry-After": {"description": "Seconds to wait before asking again", "schema": {"type": "integer"}}
        },
    }
}
"""The ``responses`` entry of every read of the store."""
