"""The auditors' pages: the register at ``/``, and under ``/pages`` a
partnership, a record's history and the proof. GET only, and not in the
OpenAPI document, which stays the JSON API's contract.

Parameters are read as the text a person typed or a link carried, and a bad
one answers with an error page naming it, not with JSON. Each takes
``as_of`` as the JSON API does (a log position, a date or an RFC 3339 time).
"""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request, Response
from pydantic import TypeAdapter, ValidationError

from ....domain.errors import InvalidValueError, NotFoundError
from ...reads import Moment, PartnershipSummary
from ..dependencies import Worker, WorkerApp
from ..pages import PositionOrMoment
from . import charts, histories, views
from .reads import PageReads, Shown
from .rendering import ICON, PAGES, STYLESHEET, Page, answer_page

router = APIRouter(include_in_schema=False)

REGISTER_PAGE = 50
"""Partnerships per page of the register."""
TIMELINE_PAGE = 100
"""Entries per page of a partnership's timeline: a long history stays a page that is quick to read and to keep."""
_AS_OF: TypeAdapter[Moment] = TypeAdapter(PositionOrMoment)


def parse_as_of(text: str | None) -> Moment | None:
    """The JSON API's ``as_of``, read by its own parser into the read door's
    ``Moment``; an empty box means now."""
    if text is None or not text.strip():
        return None
    try:
        return _AS_OF.validate_python(text.strip())
    except ValidationError as error:
        raise InvalidValueError("as_of", error.errors()[0]["msg"]) from None


def record_id(text: str, kind: str) -> UUID:
    """An id from the path; one that is not an id names no record, so it is not found."""
    try:
        return UUID(text)
    except ValueError:
        raise NotFoundError(f"id: no {kind} {text!r} is on record") from None


def _reading(worker: WorkerApp, page: Page) -> tuple[PageReads, Shown | None]:
    """The reads of one page, and the point of the log its ``as_of`` names,
    which the page then shows. The store is opened here, in the page's thread,
    so that a store that cannot be reached is answered with a page too."""
    reads = PageReads(worker.open())
    page.shown = reads.shown(parse_as_of(page.as_of))
    return reads, page.shown


@router.get("/")
async def register_page(
    request: Request, worker: Worker, as_of: str | None = None, city: str | None = None, after: str | None = None
) -> Response:
    page = Page(request, as_of, {"city": city})

    def build() -> bytes:
        reads, shown = _reading(worker, page)
        found: list[PartnershipSummary] = []
        notice = next_after = None
        if city and city.strip():
            try:
                entry, found = reads.city(shown, city.strip())
                notice = f"Partnerships of {entry.name}, {entry.country}"
            except NotFoundError:
                notice = f"No city called {city.strip()!r} is on record"
        else:
            found = reads.partnerships(shown, limit=REGISTER_PAGE + 1, after=after or None)
            if len(found) > REGISTER_PAGE:
                found = found[:REGISTER_PAGE]
                next_after = str(found[-1].id)
        rows = [views.partnership_row(summary) for summary in found]
        return page.render("register.html", rows=rows, city=city, notice=notice, next_after=next_after)

    return await answer_page(request, page, build)


def position(text: str | None, name: str) -> int | None:
    """A log position typed or carried in a link, or None when there is none."""
    if text is None or not text.strip():
        return None
    if not (text.strip().isascii() and text.strip().isdigit()):
        raise InvalidValueError(name, f"{text!r} is not a log position")
    return int(text)


@router.get(f"{PAGES}/partnerships/{{partnership_id}}")
async def partnership_page(
    request: Request, partnership_id: str, worker: Worker, as_of: str | None = None, after: str | None = None
) -> Response:
    page = Page(request, as_of)

    def build() -> bytes:
        reads, shown = _reading(worker, page)
        records = reads.partnership(shown, record_id(partnership_id, "partnership"))
        return page.render(
            "partnership.html",
            partnership=views.partnership_row(records.summary),
            timeline=views.timeline_page(records.timeline, position(after, "after"), TIMELINE_PAGE),
            conferences=[views.conference_row(conference) for conference in records.conferences],
            agreements=[views.agreement_row(agreement) for agreement in records.agreements],
            projects_chart=charts.projects_per_year(views.signings(records.agreements)),
            investment_charts=charts.investment_over_time(views.investment_reports(records.timeline)),
        )

    return await answer_page(request, page, build)


@router.get(f"{PAGES}/records/{{record}}")
async def history_page(request: Request, record: str, worker: Worker, as_of: str | None = None) -> Response:
    page = Page(request, as_of)

    def build() -> bytes:
        reads, shown = _reading(worker, page)
        entries = reads.history(shown, record_id(record, "record"))
        return page.render(
            "history.html",
            record_id=entries[0].event.record_id,
            title=histories.record_title(entries),
            rows=[histories.history_row(entry) for entry in entries],
        )

    # Read from the log, kept while its head stands still (an event changed
    # in place is the proof's to find, and the proof is never kept).
    return await answer_page(request, page, build)


@router.get(f"{PAGES}/proof")
async def proof_page(request: Request, worker: Worker, as_of: str | None = None, expect: str | None = None) -> Response:
    page = Page(request, as_of, {"expect": expect})

    def build() -> bytes:
        reads, _ = _reading(worker, page)
        try:
            verification, problem = reads.verify(expect.strip() if expect and expect.strip() else None), None
        except InvalidValueError as error:
            verification, problem = None, str(error)
        return page.render("proof.html", verification=verification, problem=problem, expect=expect)

    # A proof is worth only what it reads now: never an answer kept from before.
    return await answer_page(request, page, build, cached=False)


for asset in (STYLESHEET, ICON):
    router.add_api_route(asset.path, asset.answer, methods=["GET"])
