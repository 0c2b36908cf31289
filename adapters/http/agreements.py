"""The agreement register: every signing, filterable."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from pydantic import Field

from ...domain.vocabulary import AgreementStatus, ProjectCategory
from ..reads import AgreementEntry
from .cache import cached_read
from .conditional import NOT_MODIFIED, IfNoneMatch
from .dependencies import Door
from .pages import ListQuery, Page, ReadQuery, page
from .problems import problem_responses

router = APIRouter(prefix="/agreements", tags=["agreements"], responses=problem_responses(422, 503))


class AgreementPage(Page[AgreementEntry]):
    """Signings by date."""


class AgreementsQuery(ListQuery):
    partnership_id: UUID | None = Field(default=None, description="Only this partnership's signings.")
    conference_id: UUID | None = Field(default=None, description="Only the signings at this conference.")
    category: ProjectCategory | None = None
    status: AgreementStatus | None = None
    cursor: UUID | None = Field(default=None, description="The next_cursor of the previous page.")


@router.get("", summary="Signings by date, filtered", response_model=AgreementPage, responses=NOT_MODIFIED)
async def list_agreements(
    request: Request, query: Annotated[AgreementsQuery, Query()], reads: Door, if_none_match: IfNoneMatch = None
) -> Response:
    def build() -> AgreementPage:
        found = reads.read_models(query.as_of, partnership=query.partnership_id).agreements(
            query.partnership_id,
            conference_id=query.conference_id,
            category=query.category,
            status=query.status,
            limit=query.limit + 1,
            after=query.cursor,
        )
        return page(AgreementPage, found, query.limit, lambda agreement: agreement.id)

    return await cached_read(request, if_none_match, build)


@router.get(
    "/{agreement_id}",
    summary="One signing",
    response_model=AgreementEntry,
    responses={**NOT_MODIFIED, **problem_responses(404)},
)
async def get_agreement(
    request: Request,
    agreement_id: UUID,
    query: Annotated[ReadQuery, Query()],
    reads: Door,
    if_none_match: IfNoneMatch = None,
) -> Response:
    return await cached_read(request, if_none_match, lambda: reads.read_models(query.as_of).agreement(agreement_id))
