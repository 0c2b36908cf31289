"""The conference register."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Response
from pydantic import Field

from citycoop.adapters.http.conditional import NOT_MODIFIED, IfNoneMatch, conditional_model
from citycoop.adapters.http.dependencies import Worker
from citycoop.adapters.http.pages import ListQuery, Page, ReadQuery, page
from citycoop.adapters.http.problems import problem_responses
from citycoop.adapters.projections import ConferenceEntry

router = APIRouter(prefix="/conferences", tags=["conferences"], responses=problem_responses(422, 503))


class ConferencePage(Page[ConferenceEntry]):
    """Conferences by date."""


class ConferencesQuery(ListQuery):
    partnership_id: UUID | None = Field(default=None, description="Only this partnership's conferences.")
    cursor: UUID | None = Field(default=None, description="The next_cursor of the previous page.")


@router.get("", summary="Conferences by date", response_model=ConferencePage, responses=NOT_MODIFIED)
def list_conferences(
    query: Annotated[ConferencesQuery, Query()], worker: Worker, if_none_match: IfNoneMatch = None
) -> Response:
    found = worker.read_models(query.as_of).conferences(query.partnership_id, limit=query.limit + 1, after=query.cursor)
    items, cursor = page(found, query.limit, lambda conference: conference.id)
    return conditional_model(ConferencePage(items=items, next_cursor=cursor), if_none_match)


@router.get(
    "/{conference_id}",
    summary="One conference",
    response_model=ConferenceEntry,
    responses={**NOT_MODIFIED, **problem_responses(404)},
)
def get_conference(
    conference_id: UUID, query: Annotated[ReadQuery, Query()], worker: Worker, if_none_match: IfNoneMatch = None
) -> Response:
    return conditional_model(worker.read_models(query.as_of).conference(conference_id), if_none_match)
