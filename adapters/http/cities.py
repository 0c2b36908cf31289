"""The city directory: each city with its partners."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import Field

from ..reads import CityEntry
from .cache import cached_read
from .conditional import NOT_MODIFIED, IfNoneMatch
from .dependencies import Door
from .pages import ListQuery, Page, ReadQuery, page
from .problems import problem_responses

router = APIRouter(prefix="/cities", tags=["cities"], responses=problem_responses(422, 503))

CITY_KEY_LENGTH = 1100
"""A city's key is its Wikidata id or ``name|country`` (two texts of at most 500 characters)."""
PRINTABLE = r"^[^\x00-\x1f\x7f]+$"
"""Names and keys never hold control characters (the domain refuses them)."""


class CityPage(Page[CityEntry]):
    """Cities by name."""


class CitiesQuery(ListQuery):
    cursor: str | None = Field(
        default=None,
        max_length=CITY_KEY_LENGTH,
        pattern=PRINTABLE,
        description="The next_cursor of the previous page.",
    )


@router.get("", summary="Cities by name, with their partners", response_model=CityPage, responses=NOT_MODIFIED)
async def list_cities(
    request: Request, query: Annotated[CitiesQuery, Query()], reads: Door, if_none_match: IfNoneMatch = None
) -> Response:
    def build() -> CityPage:
        found = reads.read_models(query.as_of).cities(limit=query.limit + 1, after=query.cursor)
        return page(CityPage, found, query.limit, lambda city: city.key)

    return await cached_read(request, if_none_match, build)


@router.get(
    "/{name}",
    summary="One city, by name (any case) or key",
    response_model=CityEntry,
    responses={**NOT_MODIFIED, **problem_responses(404)},
)
async def get_city(
    request: Request,
    name: Annotated[str, Path(max_length=CITY_KEY_LENGTH, pattern=PRINTABLE, examples=["Wuxi"])],
    query: Annotated[ReadQuery, Query()],
    reads: Door,
    if_none_match: IfNoneMatch = None,
) -> Response:
    return await cached_read(request, if_none_match, lambda: reads.read_models(query.as_of).city(name))
