"""What the read-model endpoints share: the query parameters every read takes
(``as_of``), those of lists that can grow (``limit`` and ``cursor``), and the
page they answer with."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from ...domain.errors import InvalidValueError
from ..reads import Moment
from .feed import MAX_POSITION

T = TypeVar("T", bound=BaseModel)

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


def _moment(value: Any) -> Moment:
    """A log position (digits) or a recorded time, as the read door takes it."""
    beyond = PydanticCustomError("as_of", f"a log position is from 0 to {MAX_POSITION}")
    try:
        moment = Moment.parse(str(value), field="as_of")
    except InvalidValueError as error:
        too_far = error.problem.startswith("a log position")
        raise (beyond if too_far else PydanticCustomError("as_of", error.problem)) from None
    if moment.position is not None and moment.position > MAX_POSITION:
        raise beyond
    return moment


PositionOrMoment = Annotated[
    Moment,
    PlainValidator(_moment),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 0, "maximum": MAX_POSITION},
                {"type": "string", "format": "date-time"},
                {"type": "string", "format": "date"},
            ]
        }
    ),
]


class ReadQuery(BaseModel):
    """A read of the read models, now or in the past."""

    model_config = ConfigDict(extra="forbid")

    as_of: PositionOrMoment | None = Field(
        default=None,
        description=(
            "Answer as the read models stood in the past, rebuilt from the log (so slower than a read of now):"
            " after a log position (as in the feed), or as the register stood at a recorded time"
            " (2023-05-04T18:00:00+08:00; a date alone, 2023-05-04, means its end, UTC)."
            " One partnership's reads (its summary, its timeline, lists filtered by partnership_id) are"
            " rebuilt from its own records' events alone, the others by replaying the log up to there."
            " A recorded time stands for the log at the end of the transaction it fell in (an import is"
            " never shown half recorded), found in an index of recorded times."
        ),
        examples=[42, "2023-05-04T18:00:00+08:00"],
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
