"""Conditional reads: every read answers with an ``ETag``, and a client that
sends it back in ``If-None-Match`` gets ``304 Not Modified`` and no body.

The tag is a hash of the body itself, so it changes exactly when what the
client would see changes, whatever caused it (a new event, a rebuilt
projection, a new release), and two workers of one server agree on it.
"""

from __future__ import annotations

import hashlib
from typing import Annotated

from fastapi import Header, Response
from pydantic import BaseModel

IfNoneMatch = Annotated[
    str | None,
    Header(
        max_length=2048,
        description="An ETag from an earlier answer; if it still matches, the answer is 304 with no body.",
    ),
]

NOT_MODIFIED: dict[int | str, dict[str, str]] = {304: {"description": "Not Modified: the ETag sent still matches"}}


def entity_tag(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def matches(if_none_match: str | None, tag: str) -> bool:
    """``If-None-Match`` uses the weak comparison: ``W/"x"`` matches ``"x"``."""
    if if_none_match is None:
        return False
    candidates = (candidate.strip() for candidate in if_none_match.split(","))
    return any(candidate in ("*", tag, f"W/{tag}") for candidate in candidates)


def answer(body: bytes, tag: str, if_none_match: str | None) -> Response:
    """``body`` with its tag, or 304 with no body if the client holds it already."""
    # no-cache: caches may keep the answer but must revalidate it with the tag.
    headers = {"ETag": tag, "Cache-Control": "no-cache"}
    if matches(if_none_match, tag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


def conditional_json(body: bytes, if_none_match: str | None) -> Response:
    return answer(body, entity_tag(body), if_none_match)


def conditional_model(model: BaseModel, if_none_match: str | None) -> Response:
    return conditional_json(model.model_dump_json().encode(), if_none_match)
