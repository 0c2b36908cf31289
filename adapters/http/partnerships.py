"""Partnerships: their summaries, and each one's timeline."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response
from pydantic import Field

from citycoop.adapters.http.conditional import NOT_MODIFIED, IfNoneMatch, conditional_model
from citycoop.adapters.http.dependencies import Worker
from citycoop.adapters.http.pages import ListQuery, Page, ReadQuery, page
from citycoop.adapters.http.problems import problem_responses
from citycoop.adapters.projections import PartnershipSummary, TimelineEntry

router = APIRouter(prefix="/partnerships", tags=["partnerships"], responses=problem_responses(422, 503))


class PartnershipPage(Page[PartnershipSummary]):
    """Partnerships by name."""


class TimelinePage(Page[TimelineEntry]):
    """A partnership's events in business-date order, corrections applied."""


class PartnershipsQuery(ListQuery):
    cursor: UUID | None = Field(default=None, description="The next_cursor of the previous page.")


class TimelineQuery(ListQuery):
    cursor: int | None = Field(default=None, ge=0, le=10**18, description="The next_cursor of the previous page.")


@router.get("", summary="Every partnership, by name", response_model=PartnershipPage, responses=NOT_MODIFIED)
def list_partnerships(
    query: Annotated[PartnershipsQuery, Query()], worker: Worker, if_none_match: IfNoneMatch = None
) -> Response:
    found = worker.read_models(query.as_of).partnerships(limit=query.limit + 1, after=query.cursor)
    items, cursor = page(found, query.limit, lambda summary: summary.id)
    return conditional_model(PartnershipPage(items=items, next_cursor=cursor), if_none_match)


@router.get(
    "/{partnership_id}",
    summary="Where one partnership stands",
    response_model=PartnershipSummary,
    responses={**NOT_MODIFIED, **problem_responses(404)},
)
def get_partnership(
    partnership_id: UUID, query: Annotated[ReadQuery, Query()], worker: Worker, if_none_match: IfNoneMatch = None
) -> Response:
    return conditional_model(worker.read_models(query.as_of).partnership(partnership_id), if_none_match)


@router.get(
    "/{partnership_id}/timeline",
    summary="A partnership's events in business-date order",
    response_model=TimelinePage,
    responses={**NOT_MODIFIED, **problem_responses(404)},
)
def get_timeline(
    partnership_id: UUID, query: Annotated[TimelineQuery, Query()], worker: Worker, if_none_match: IfNoneMatch = None
) -> Response:
    found = worker.read_models(query.as_of).timeline(partnership_id, limit=query.limit + 1, after=query.cursor)
    items, cursor = page(found, query.limit, lambda entry: entry.position)
    return conditional_model(TimelinePage(items=items, next_cursor=cursor), if_none_match)
