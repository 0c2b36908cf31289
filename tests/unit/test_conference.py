"""A conference held within a partnership, and the projects introduced at it."""

from __future__ import annotations

from uuid import uuid4

import pytest

from citycoop.domain.conference import Conference
from citycoop.domain.errors import InvalidValueError
from citycoop.domain.partnership import Partnership


def hold(partnership: Partnership, meta, **changes: object) -> Conference:
    arguments: dict[str, object] = {
        "id": uuid4(),
        "partnership_id": partnership.id,
        "title": "Wuxi Singapore Cooperation and Development Conference on Urban Internationalization",
        "held_on": "2023-05-05",
        "host_city": "Wuxi",
        "attendance": 200,
        "attendance_qualifier": "about",
        "organizations": ("Singapore Changi Airport Group",),
        "speakers": ({"name": "Zhao Jianjun", "role": "Mayor of Wuxi", "statement": None},),
        "meta": meta(),
    } | changes
    return Conference.hold(**arguments)  # type: ignore[arg-type]


def test_holding_the_2023_conference_records_who_came_and_who_spoke(conference: Conference) -> None:
    state = conference.state
    assert state.held_on == "2023-05-05"
    assert state.host_city == "Wuxi"
    assert (state.attendance, state.attendance_qualifier) == (200, "about")
    assert state.organizations == [
        "Singapore Changi Airport Group",
        "Singapore Exchange (SGX)",
        "DHL Asia Pacific Headquarters",
    ]
    (mayor,) = state.speakers
    assert (mayor.name, mayor.role) == ("Zhao Jianjun", "Mayor of Wuxi")
    assert [type(event).__name__ for event in conference.pending_events] == ["Held"]


def test_the_held_event_belongs_to_the_partnership_and_is_dated_by_the_conference(
    conference: Conference, partnership: Partnership
) -> None:
    (held,) = conference.pending_events
    assert isinstance(held, Conference.Held)
    assert held.partnership_id == partnership.id == conference.partnership_id
    assert held.meta.business_date == "2023-05-05"
    assert held.meta.actor == "clerk-li"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"attendance": -200}, "attendance"),
        ({"held_on": "2023-02-30"}, "held_on"),
        ({"title": "   "}, "title"),
        ({"host_city": "Wuxi\x00"}, "host_city"),
        ({"speakers": ({"role": "Mayor of Wuxi"},)}, "speakers.0.name"),
        ({"organizations": ("",)}, "organizations.0"),
    ],
)
def test_a_conference_with_an_invalid_value_is_refused_naming_the_field(
    partnership: Partnership, meta, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidValueError) as refusal:
        hold(partnership, meta, **changes)
    assert refusal.value.field == field


def test_a_conference_known_only_by_its_month_is_accepted(partnership: Partnership, meta) -> None:
    assert hold(partnership, meta, held_on="2023-05", attendance=None).state.held_on == "2023-05"


def test_introducing_the_innovation_city_adds_a_project_to_the_conference(conference: Conference, meta) -> None:
    conference.introduce_project(
        {
            "name": "Wuxi Singapore Science and Technology Innovation City",
            "description": "Its expansion and construction are to be accelerated.",
        },
        meta=meta(),
    )
    (project,) = conference.state.introduced_projects
    assert project.name == "Wuxi Singapore Science and Technology Innovation City"
    assert type(conference.pending_events[-1]) is Conference.ProjectIntroduced
    assert conference.version == 2


def test_a_project_without_a_name_is_refused(conference: Conference, meta) -> None:
    with pytest.raises(InvalidValueError, match=r"^project\.name: "):
        conference.introduce_project({"name": "", "description": None}, meta=meta())
    assert conference.version == 1


def test_the_held_event_is_at_class_version_3_and_upcasts_versions_1_and_2(conference: Conference) -> None:
    assert Conference.Held.class_version == 3
    version_1 = {"title": "Wuxi Singapore Conference", "attendance": 200}
    Conference.Held.upcast_v1_v2(version_1)
    assert version_1 == {"title": "Wuxi Singapore Conference", "attendance": 200, "attendance_is_approximate": False}
    Conference.Held.upcast_v2_v3(version_1)
    assert version_1 == {"title": "Wuxi Singapore Conference", "attendance": 200, "attendance_qualifier": "exact"}
    approximate = {"attendance": 200, "attendance_is_approximate": True}
    Conference.Held.upcast_v2_v3(approximate)
    assert approximate == {"attendance": 200, "attendance_qualifier": "about"}
