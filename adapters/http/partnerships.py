"""Partnerships: their summaries, and each one's timeline."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from pydantic import Field

from ..reads import PartnershipSummary, TimelineEntry
from .cache import cached_read
from .conditional import NOT_MODIFIED, IfNoneMatch
from .dependencies import Door
from .feed import MAX_POSITION
from .pages import ListQuery, Page, ReadQuery, page
from .problems import problem_responses

router = APIRouter(prefix="/partnerships", tags=["partnerships"], responses=problem_responses(422, 503))
FOUND = {**NOT_MODIFIED, **problem_responses(404)}


class PartnershipPage(Page[PartnershipSummary]):
    """Partnerships by name."""


class TimelinePage(Page[TimelineEntry]):
    """A partnership's events in business-date order, corrections applied."""


class PartnershipsQuery(ListQuery):
    cursor: UUID | None = Field(default=None, description="The next_cursor of the previous page.")


class TimelineQuery(ListQuery):
    cursor: int | None = Field(default=None, ge=0, le=MAX_POSITION, description="The next_cursor of the previous page.")


@router.get("", summary="Every partnership, by name", response_model=PartnershipPage, responses=NOT_MODIFIED)
async def list_partnerships(
    request: Request, query: Annotated[PartnershipsQuery, Query()], reads: Door, if_none_match: IfNoneMatch = None
) -> Response:
    def build() -> PartnershipPage:
        found = reads.read_models(query.as_of).partnerships(limit=query.limit + 1, after=query.cursor)
        return page(PartnershipPage, found, query.limit, lambda summary: summary.id)

    return await cached_read(request, if_none_match, build)


@router.get(
    "/{partnership_id}", summary="Where one partnership stands", response_model=PartnershipSummary, responses=FOUND
)
async def get_partnership(
    request: Request,
    partnership_id: UUID,
    query: Annotated[ReadQuery, Query()],
    reads: Door,
    if_none_match: IfNoneMatch = None,
) -> Response:
    def build() -> PartnershipSummary:
        return reads.read_models(query.as_of, partnership=partnership_id).partnership(partnership_id)

    return await cached_read(request, if_none_match, build)


@router.get(
    "/{partnership_id}/timeline",
    summary="A partnership's events in business-date order",
    response_model=TimelinePage,
    responses=FOUND,
)
async def get_timeline(
    request: Request,
    partnership_id: UUID,
    query: Annotated[TimelineQuery, Query()],
    reads: Door,
    if_none_match: IfNoneMatch = None,
) -> Response:
    def build() -> TimelinePage:
        found = reads.read_models(query.as_of, partnership=partnership_id).timeline(
            partnership_id, limit=query.limit + 1, after=query.cursor
        )
        return page(TimelinePage, found, query.limit, lambda entry: entry.position)

    return await cached_read(request, if_none_match, build)
