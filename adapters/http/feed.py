"""The event feed: the log in position order, for services that follow citycoop.

Sections have the format of the eventsourcing library's notification log
(``NotificationLogJSONService``): a section id ``"first,last"``, the id of the
next section while there may be more, and items whose ``state`` is the stored
event in base64 (JSON, sealed with its chain hash). So the library's own
``NotificationLogReader`` over a ``NotificationLogJSONClient`` that fetches
``/feed/sections/{id}`` follows citycoop from another process, and
``/feed/notifications`` serves the client's ``select``.
"""

from __future__ import annotations

from base64 import b64encode
from collections.abc import Sequence
from typing import Annotated
from uuid import UUID

from eventsourcing.persistence import Notification
from fastapi import APIRouter, Path, Query, Response
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from ..reads import MAX_SECTION_SIZE
from .conditional import NOT_MODIFIED, IfNoneMatch, conditional_json, conditional_model
from .dependencies import Door
from .problems import problem_responses

MAX_POSITION = 10**18 - 1
"""Positions are 64-bit in both stores; 18 digits keep every query within range."""

TOPIC = r"^[A-Za-z_][A-Za-z0-9_.]*:[A-Za-z_][A-Za-z0-9_.]*$"
"""An event class's topic, ``module:qualname``."""

router = APIRouter(prefix="/feed", tags=["feed"], responses=problem_responses(422, 503))


class FeedItem(BaseModel):
    """One event as stored: its position in the log and the stored record."""

    id: int = Field(description="Position in the log (the notification id).")
    originator_id: str = Field(description="The record's id as 32 hex digits.", pattern="^[0-9a-f]{32}$")
    originator_version: int
    topic: str = Field(description="The event's class, as module:qualname.")
    state: str = Field(description="The stored event state (JSON ending in its chain hash), base64-encoded.")


class FeedSection(BaseModel):
    """A run of consecutive events; ``next_id`` names the section to read next."""

    id: str | None = Field(description='"first,last" positions actually included; null when empty.')
    next_id: str | None = Field(description="The section after this one; null when this one was not full.")
    items: list[FeedItem]


def _item(notification: Notification) -> FeedItem:
    assert isinstance(notification.originator_id, UUID), "citycoop's records have UUIDs"
    return FeedItem(
        id=notification.id,
        originator_id=notification.originator_id.hex,
        originator_version=notification.originator_version,
        topic=notification.topic,
        state=b64encode(notification.state).decode(),
    )


def _items(notifications: Sequence[Notification]) -> list[FeedItem]:
    return [_item(notification) for notification in notifications]


_ITEMS: TypeAdapter[list[FeedItem]] = TypeAdapter(list[FeedItem])

SectionId = Annotated[
    str,
    Path(
        pattern=r"^[0-9]{1,18},[0-9]{1,18}$",
        description=(
            '"first,last": positions of the first and last event wanted, e.g. "1,10"; '
            "as in the library's log, a range that ends before it starts is an empty section."
        ),
        examples=["1,10"],
    ),
]


@router.get(
    "/sections/{section_id}",
    summary="A section of the log",
    response_model=FeedSection,
    responses=NOT_MODIFIED,
)
def feed_section(section_id: SectionId, reads: Door, if_none_match: IfNoneMatch = None) -> Response:
    found = reads.feed_section(section_id)
    body = FeedSection(id=found.id, next_id=found.next_id, items=_items(found.items))
    return conditional_model(body, if_none_match)


class NotificationsQuery(BaseModel):
    """What ``NotificationLogJSONClient.select`` asks for."""

    model_config = ConfigDict(extra="forbid")

    start: int | None = Field(default=None, ge=0, le=MAX_POSITION, description="First position (default: the start).")
    limit: int = Field(default=10, ge=1, le=MAX_SECTION_SIZE)
    topics: list[Annotated[str, Field(max_length=300, pattern=TOPIC)]] = Field(
        default_factory=list, max_length=50, description="Only events of these topics (module:qualname); repeatable."
    )
    inclusive_of_start: bool = Field(default=True, description="Include the event at start itself.")


@router.get(
    "/notifications",
    summary="Events from a position, optionally of some topics only",
    response_model=list[FeedItem],
    responses=NOT_MODIFIED,
)
def feed_notifications(
    query: Annotated[NotificationsQuery, Query()], reads: Door, if_none_match: IfNoneMatch = None
) -> Response:
    found = reads.notifications(
        start=query.start, limit=query.limit, topics=query.topics, inclusive_of_start=query.inclusive_of_start
    )
    return conditional_json(_ITEMS.dump_json(_items(found)), if_none_match)
