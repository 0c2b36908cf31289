"""Turning a page's data into an answer: the templates (every value escaped),
the headers every page carries, answers kept while the read models stand
still, and the error pages.

The Content-Security-Policy lets a page load only this server's stylesheet:
no script at all, inline or not, no inline style, no frame, no form sent
elsewhere. The pages need none of those, so a name a clerk typed can never
run as code even if escaping were ever missed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from http import HTTPStatus
from importlib.resources import files
from typing import Any
from urllib.parse import urlencode

from fastapi import Request, Response
from jinja2 import Environment, PackageLoader, StrictUndefined
from starlette.concurrency import run_in_threadpool

from ....domain.errors import InvalidInputError, NotFoundError
from ...reads import StoreUnavailableError
from ..cache import AnswerCache
from ..conditional import entity_tag, matches
from .reads import Shown
from .views import as_of_text, time_text

PAGES = "/pages"
"""Where every page but the register (at ``/``) lives, apart from the JSON API's paths."""

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def url(path: str, **params: object) -> str:
    """``path`` with the parameters that have a value, e.g. the page's ``as_of``."""
    given = {name: str(value) for name, value in params.items() if value not in (None, "")}
    return f"{path}?{urlencode(given)}" if given else path


_templates = Environment(
    loader=PackageLoader("citycoop.adapters.http.web", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(template: str, **context: Any) -> bytes:
    return _templates.get_template(template).render(**context).encode()


class Page:
    """What every page shows around its own content: the as-of control, the
    banner of the past it shows, and the links that keep its ``as_of``."""

    def __init__(self, request: Request, as_of: str | None, keep: Mapping[str, str | None] | None = None) -> None:
        self.path = request.url.path
        self.as_of = as_of
        self.keep = {name: value for name, value in (keep or {}).items() if value}
        """The page's other parameters, which the as-of control sends again."""
        self.shown: Shown | None = None
        """The past the page shows, once read; None for now."""

    def render(self, template: str, **context: Any) -> bytes:
        shown = {"shown": self.shown, "banner": None if self.shown is None else as_of_text(self.shown)}
        return render(template, path=self.path, as_of=self.as_of, keep=self.keep, **{**shown, **context})


def html(
    body: bytes, tag: str, if_none_match: str | None, status: int = 200, media_type: str = "text/html"
) -> Response:
    headers = {**SECURITY_HEADERS, "ETag": tag, "Cache-Control": "no-cache"}
    if status == 200 and matches(if_none_match, tag):
        return Response(status_code=304, headers=headers)
    return Response(body, status_code=status, media_type=media_type, headers=headers)


async def answer_page(request: Request, page: Page, build: Callable[[], bytes], *, cached: bool = True) -> Response:
    """The page ``build`` renders (off the event loop: it reads the store).
    ``cached``, the answer is kept while the projections and the head of the
    log stand still, as the JSON API's are (``AnswerCache``)."""
    if_none_match = request.headers.get("if-none-match")
    try:
        if not cached:
            body = await run_in_threadpool(build)
            return html(body, entity_tag(body), if_none_match)
        cache: AnswerCache = request.app.state.answers
        key = f"page {request.url.path}?{request.url.query}"
        current = await cache.positions()
        found = cache.get(key, current)
        if found is None:
            body = await run_in_threadpool(build)
            found = (body, entity_tag(body))
            cache.put(key, current, *found)
        return html(*found, if_none_match)
    except NotFoundError as error:
        return error_page(page, 404, str(error))
    except InvalidInputError as error:
        return error_page(page, 422, str(error))
    except StoreUnavailableError as error:
        return error_page(page, 503, str(error), {"Retry-After": "5"})


def error_page(page: Page, status: int, detail: str, headers: Mapping[str, str] | None = None) -> Response:
    body = page.render("error.html", status=status, title=HTTPStatus(status).phrase, detail=detail, shown=None)
    response = html(body, entity_tag(body), None, status)
    response.headers.update(headers or {})
    return response


class Asset:
    """A file of the package's ``static`` folder, served as it is at ``/pages/NAME``."""

    def __init__(self, name: str, media_type: str) -> None:
        self.path = f"{PAGES}/{name}"
        self._body = files("citycoop.adapters.http.web").joinpath("static", name).read_bytes()
        self._tag = entity_tag(self._body)
        self._media_type = media_type

    def answer(self, request: Request) -> Response:
        return html(self._body, self._tag, request.headers.get("if-none-match"), media_type=self._media_type)


STYLESHEET = Asset("citycoop.css", "text/css")
ICON = Asset("citycoop.svg", "image/svg+xml")
_templates.globals.update(url=url, pages=PAGES, stylesheet=STYLESHEET.path, icon=ICON.path)
_templates.filters["time"] = time_text
