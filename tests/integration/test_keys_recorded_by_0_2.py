"""A key recorded by release 0.2 holds the fingerprint of its command as typed;
since, the fingerprint is of what the command means. A retry of a command
recorded then, typed the same way, is still a retry and records nothing."""

from __future__ import annotations

from uuid import UUID, uuid5

from citycoop.adapters.application.commands import EstablishPartnership, HoldConference
from citycoop.adapters.application.fingerprint import fingerprints
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.application.steps import provenance
from citycoop.domain.conference import Conference
from tests.recording import record

KEY = "wuxi-singapore/expo"


def test_a_retry_of_an_approximate_conference_recorded_by_0_2_is_still_a_retry(app: CityCoop) -> None:
    wuxi, singapore = {"name": "Wuxi", "country": "China"}, {"name": "Singapore", "country": "Singapore"}
    partnership = record(app, EstablishPartnership(city_a=wuxi, city_b=singapore, since="1993"), provenance("li"))
    command = HoldConference(
        partnership=str(partnership), host_city="Wuxi", title="Expo", held_on="2023-05-05", attendance=1000,
        attendance_is_approximate=True,
    )  # fmt: skip
    meant, as_typed = fingerprints(command, lambda reference, _: UUID(reference))
    recorded_by_0_2 = provenance("li", key=KEY).model_copy(update={"command": as_typed})
    conference_id = uuid5(partnership, KEY)
    conference = Conference.hold(id=conference_id, partnership_id=partnership, meta=recorded_by_0_2, **command.stated())
    app.save(conference)
    logged = app.recorder.max_notification_id()

    assert record(app, command, provenance("li", key=KEY)) == conference.id
    assert app.recorder.max_notification_id() == logged
    assert meant != as_typed
