"""The conference register."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from pydantic import Field

from ..reads import ConferenceEntry
from .cache import cached_read
from .conditional import NOT_MODIFIED, IfNoneMatch
from .dependencies import Door
from .pages import ListQuery, Page, ReadQuery, page
from .problems import problem_responses

router = APIRouter(prefix="/conferences", tags=["conferences"], responses=problem_responses(422, 503))


class ConferencePage(Page[ConferenceEntry]):
    """Conferences by date."""


class ConferencesQuery(ListQuery):
    partnership_id: UUID | None = Field(default=None, description="Only this partnership's conferences.")
    cursor: UUID | None = Field(default=None, description="The next_cursor of the previous page.")


@router.get("", summary="Conferences by date", response_model=ConferencePage, responses=NOT_MODIFIED)
async def list_conferences(
    request: Request, query: Annotated[ConferencesQuery, Query()], reads: Door, if_none_match: IfNoneMatch = None
) -> Response:
    def build() -> ConferencePage:
        found = reads.read_models(query.as_of, partnership=query.partnership_id).conferences(
            query.partnership_id, limit=query.limit + 1, after=query.cursor
        )
        return page(ConferencePage, found, query.limit, lambda conference: conference.id)

    return await cached_read(request, if_none_match, build)


@router.get(
    "/{conference_id}",
    summary="One conference",
    response_model=ConferenceEntry,
    responses={**NOT_MODIFIED, **problem_responses(404)},
)
async def get_conference(
    request: Request,
    conference_id: UUID,
    query: Annotated[ReadQuery, Query()],
    reads: Door,
    if_none_match: IfNoneMatch = None,
) -> Response:
    return await cached_read(request, if_none_match, lambda: reads.read_models(query.as_of).conference(conference_id))
