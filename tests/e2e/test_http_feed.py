"""Another service follows citycoop's event feed over HTTP with the
eventsourcing library's own reader, and sees the log exactly as it is stored."""

from __future__ import annotations

from collections.abc import Sequence

import httpx
from eventsourcing.interface import NotificationLogInterface, NotificationLogJSONClient
from eventsourcing.persistence import Notification
from eventsourcing.system import NotificationLogReader
from eventsourcing.utils import get_topic
from http_harness import client_fixture, recorded_fixture, server_fixture  # noqa: F401 (fixtures)

from citycoop.adapters.application.commands import AddField
from citycoop.adapters.application.service import CityCoop
from citycoop.domain.agreement import Agreement
from citycoop.domain.partnership import Partnership
from tests.recording import record


class FeedOverHTTP(NotificationLogInterface):
    """What a follower in another process writes: the library's interface, fetched from the server."""

    def __init__(self, client: httpx.Client) -> None:
        self.client = client

    def get_log_section(self, section_id: str) -> str:
        response = self.client.get(f"/feed/sections/{section_id}")
        response.raise_for_status()
        return response.text

    def get_notifications(
        self, start: int | None, limit: int, topics: Sequence[str] = (), *, inclusive_of_start: bool = True
    ) -> str:
        params: dict[str, object] = {"limit": limit, "topics": list(topics), "inclusive_of_start": inclusive_of_start}
        if start is not None:
            params["start"] = start
        response = self.client.get("/feed/notifications", params=params)  # type: ignore[arg-type]
        response.raise_for_status()
        return response.text


def reader(client: httpx.Client, section_size: int = 3) -> NotificationLogReader:
    return NotificationLogReader(NotificationLogJSONClient(FeedOverHTTP(client)), section_size=section_size)


def stored_log(app: CityCoop) -> list[Notification]:
    return list(app.recorder.select_notifications(start=None, limit=100_000))


def test_the_library_reader_follows_the_feed_section_by_section_and_sees_every_event_in_order(
    recorded: CityCoop, client: httpx.Client
) -> None:
    followed = list(reader(client, section_size=3).read(start=1))

    assert followed == stored_log(recorded)
    assert len(followed) > 3, "the demo story spans several sections"
    first = recorded.mapper.to_domain_event(followed[0])
    assert isinstance(first, Partnership.Established)
    assert [city.name for city in first.cities] == ["Wuxi", "Singapore"]


def test_a_follower_that_caught_up_receives_exactly_the_events_recorded_since(
    recorded: CityCoop, client: httpx.Client
) -> None:
    follower = reader(client, section_size=10)
    position = max(notification.id for notification in follower.read(start=1))
    (partnership,) = {n.originator_id for n in stored_log(recorded) if n.topic == get_topic(Partnership.Established)}

    record(
        recorded,
        AddField.validated(partnership=str(partnership), field="finance"),
        recorded.provenance("clerk@wuxi.gov.cn"),
    )
    record(
        recorded,
        AddField.validated(partnership=str(partnership), field="logistics"),
        recorded.provenance("clerk@wuxi.gov.cn"),
    )

    new = list(follower.read(start=position + 1))
    assert [event.field for event in map(recorded.mapper.to_domain_event, new)] == ["finance", "logistics"]  # type: ignore[attr-defined]
    assert new == stored_log(recorded)[-2:]


def test_selecting_by_topic_yields_only_the_signings_in_log_order(recorded: CityCoop, client: httpx.Client) -> None:
    topic = get_topic(Agreement.Signed)

    batches = list(reader(client, section_size=1).select(start=1, topics=[topic]))

    signed = [notification for notification in stored_log(recorded) if notification.topic == topic]
    assert batches == [[notification] for notification in signed]
    categories = [recorded.mapper.to_domain_event(n).category for n in signed]  # type: ignore[attr-defined]
    assert categories == ["strategic", "industrial"]


def test_a_section_past_the_head_is_empty_and_ends_the_feed(client: httpx.Client, recorded: CityCoop) -> None:
    head = recorded.recorder.max_notification_id() or 0

    section = client.get(f"/feed/sections/{head + 1},{head + 10}").json()

    assert section == {"id": None, "next_id": None, "items": []}


def test_a_full_section_names_the_next_one_and_a_partial_one_does_not(client: httpx.Client, recorded: CityCoop) -> None:
    head = recorded.recorder.max_notification_id() or 0

    full = client.get("/feed/sections/1,2").json()
    partial = client.get(f"/feed/sections/{head - 1},{head + 5}").json()

    assert (full["id"], full["next_id"]) == ("1,2", "3,4")
    assert (partial["id"], partial["next_id"]) == (f"{head - 1},{head}", None)


def test_a_follower_is_told_when_a_section_has_not_changed(client: httpx.Client) -> None:
    first = client.get("/feed/sections/1,5")

    again = client.get("/feed/sections/1,5", headers={"If-None-Match": first.headers["ETag"]})

    assert first.status_code == 200
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == first.headers["ETag"]
