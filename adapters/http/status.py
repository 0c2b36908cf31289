"""How far behind the log each projection is, so a client can tell how fresh
what it reads is."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import TypeAdapter

from ..reads import ProjectionStatus
from .conditional import NOT_MODIFIED, IfNoneMatch, conditional_json
from .dependencies import Door
from .problems import problem_responses

router = APIRouter(tags=["service"])

_STATUSES: TypeAdapter[list[ProjectionStatus]] = TypeAdapter(list[ProjectionStatus])


@router.get(
    "/projections",
    summary="Each projection's position, the head of the log, and the lag between them",
    response_model=list[ProjectionStatus],
    responses={**NOT_MODIFIED, **problem_responses(422, 503)},
)
def projection_status(reads: Door, if_none_match: IfNoneMatch = None) -> Response:
    found = reads.status()
    return conditional_json(_STATUSES.dump_json(found), if_none_match)
