"""What the read-model endpoints share: the query parameters every read takes
(``as_of``), those of lists that can grow (``limit`` and ``cursor``), and the
page they answer with."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from citycoop.adapters.http.feed import MAX_POSITION

T = TypeVar("T", bound=BaseModel)

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


class ReadQuery(BaseModel):
    """A read of the read models, now or in the past."""

    model_config = ConfigDict(extra="forbid")

    as_of: int | None = Field(
        default=None,
        ge=0,
        le=MAX_POSITION,
        description=(
            "Answer as the read models stood once the log's first as_of events had happened"
            " (a position, as in the feed); rebuilt from the log, so slower than a read of now."
        ),
    )


class ListQuery(ReadQuery):
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page, at most.")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        description="Pass as cursor to get the next page; null on the last page.",
    )


P = TypeVar("P", bound="Page[Any]")


def page(page_class: type[P], found: Sequence[Any], limit: int, cursor_of: Callable[[Any], object]) -> P:
    """The first ``limit`` of ``found`` (which was asked for ``limit + 1``, to
    tell whether another page follows), with the cursor of the next page."""
    items = list(found[:limit])
    return page_class(items=items, next_cursor=str(cursor_of(items[-1])) if len(found) > limit else None)
