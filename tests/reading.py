"""Every read model read whole, page after page through the cursors readers
use, as plain data: two sets of read models that say the same compare equal,
and a difference shows where it is (which read model, which item)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from citycoop.adapters.projections.queries import ReadModels
from citycoop.adapters.reads import ReadModel

M = TypeVar("M", bound=ReadModel)
PAGE = 100
"""Items per page: the HTTP API's default."""


def everything(read_models: ReadModels, *, page: int = PAGE) -> dict[str, list[dict[str, Any]]]:
    """Every item of the five read models, in their own order: every
    partnership, conference, signing and city, and every partnership's
    timeline, each list read in pages of ``page``."""
    partnerships = list(pages(lambda after: read_models.partnerships(limit=page, after=after), lambda s: s.id))
    return {
        "partnerships": _json(partnerships),
        "conferences": _json(pages(lambda after: read_models.conferences(limit=page, after=after), lambda c: c.id)),
        "agreements": _json(pages(lambda after: read_models.agreements(limit=page, after=after), lambda a: a.id)),
        "cities": _json(pages(lambda after: read_models.cities(limit=page, after=after), lambda c: c.key)),
        "timelines": [
            entry
            for summary in partnerships
            for entry in _json(
                pages(
                    lambda after, of=summary.id: read_models.timeline(of, limit=page, after=after),
                    lambda entry: entry.position,
                )
            )
        ],
    }


def pages(read: Callable[[Any], list[M]], cursor: Callable[[M], Any]) -> Iterator[M]:
    """The items of ``read(after)``, called first with None and then with the
    cursor of each page's last item, until a page comes back empty."""
    after = None
    while found := read(after):
        yield from found
        after = cursor(found[-1])


def _json(items: Iterator[ReadModel] | list[Any]) -> list[dict[str, Any]]:
    return [item.model_dump(mode="json") for item in items]
