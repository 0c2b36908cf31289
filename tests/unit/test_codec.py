"""The pydantic mapper: events to canonical JSON and back, upcasting on the way in."""

from __future__ import annotations

import json
from decimal import Decimal
from uuid import uuid4

from eventsourcing.persistence import StoredEvent
from hypothesis import given
from hypothesis import strategies as st

from citycoop.adapters.storage.chain import Chain
from citycoop.adapters.storage.codec import PydanticMapper, canonical_json, decode_state
from citycoop.domain.aggregate import Aggregate
from citycoop.domain.agreement import Agreement
from citycoop.domain.conference import Conference
from citycoop.domain.partnership import Partnership


def round_trip(event: object) -> object:
    mapper = PydanticMapper()
    return mapper.to_domain_event(mapper.to_stored_event(event))  # type: ignore[arg-type]


def test_every_event_of_the_founding_story_comes_back_equal_and_validated(
    partnership: Partnership, conference: Conference, industrial: Agreement, meta
) -> None:
    partnership.report_investment(
        {"enterprises": 700, "amount": {"amount": "16400000000.50", "currency": "USD"}, "as_of": "2023-05-05"},
        meta=meta(),
    )
    partnership.correct(corrects_version=2, field="investment.enterprises", value=701, reason="More than", meta=meta())
    conference.introduce_project({"name": "Innovation City", "description": None}, meta=meta())
    industrial.name_project(
        {"name": "Changi logistics hub", "parties": ("Changi Airport Group",), "description": None}, meta=meta()
    )
    events = [*partnership.pending_events, *conference.pending_events, *industrial.pending_events]
    for event in events:
        assert round_trip(event) == event
    reported = round_trip(events[1])
    assert isinstance(reported, Partnership.InvestmentReported)
    assert reported.figures.amount.amount == Decimal("16400000000.50")


def test_a_stored_event_holds_no_identity_twice_and_carries_the_provenance(partnership: Partnership) -> None:
    (established,) = partnership.pending_events
    stored = PydanticMapper().to_stored_event(established)
    state = json.loads(stored.state)
    assert "originator_id" not in state
    assert "originator_version" not in state
    assert state["meta"]["actor"] == "clerk-li"
    assert state["meta"]["business_date"] == "1993"
    assert stored.topic == "citycoop.domain.partnership:Partnership.Established"


def test_the_held_event_is_stored_with_its_class_version_and_others_without(
    partnership: Partnership, conference: Conference
) -> None:
    mapper = PydanticMapper()
    assert json.loads(mapper.to_stored_event(conference.pending_events[0]).state)["class_version"] == 3
    assert "class_version" not in json.loads(mapper.to_stored_event(partnership.pending_events[0]).state)


def test_a_version_1_held_event_is_upcast_on_the_way_in(conference: Conference) -> None:
    mapper = PydanticMapper()
    stored = mapper.to_stored_event(conference.pending_events[0])
    state = json.loads(stored.state)
    del state["class_version"], state["attendance_qualifier"]
    held = mapper.to_domain_event(
        StoredEvent(stored.originator_id, stored.originator_version, stored.topic, canonical_json(state))
    )
    assert isinstance(held, Conference.Held)
    assert held.attendance_qualifier == "exact"
    assert held.attendance == 200


def test_a_snapshot_round_trips_through_the_mapper_into_the_same_record(partnership: Partnership, meta) -> None:
    partnership.report_investment(
        {"enterprises": 700, "amount": {"amount": "16400000000", "currency": "USD"}, "as_of": "2023-05-05"},
        meta=meta(key="investment"),
    )
    snapshot = Aggregate.Snapshot.take(partnership)
    restored = round_trip(snapshot)
    assert isinstance(restored, Aggregate.Snapshot)
    copy = restored.mutate(None)
    assert isinstance(copy, Partnership)
    assert copy.state == partnership.state
    assert (copy.id, copy.version, copy.created_on, copy.modified_on) == (
        partnership.id,
        partnership.version,
        partnership.created_on,
        partnership.modified_on,
    )
    assert copy.pending_events == []


def test_canonical_json_has_one_spelling_for_one_value() -> None:
    assert canonical_json({"b": 1, "a": ["Wuxi–Singapore", None]}) == '{"a":["Wuxi–Singapore",null],"b":1}'.encode()


def test_decoding_a_sealed_state_drops_the_chain_hash(partnership: Partnership) -> None:
    stored = PydanticMapper().to_stored_event(partnership.pending_events[0])
    (sealed,) = Chain().seal([stored], {})
    assert decode_state(sealed.state) == json.loads(stored.state)
    assert decode_state(stored.state) == json.loads(stored.state)


_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()  # beyond 64 bits too, which orjson reads as floats
    | st.floats()  # NaN and the infinities too, which the standard library writes and orjson refuses
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(st.dictionaries(st.text(), _JSON_VALUES, max_size=5))
def test_a_state_is_read_back_as_the_standard_library_reads_what_it_wrote(fields: dict[str, object]) -> None:
    state = canonical_json(fields)
    (sealed,) = Chain().seal([StoredEvent(uuid4(), 1, "topic", state)], {})

    decoded = decode_state(sealed.state)

    # NaN is not equal to itself: compare spellings, and the types of every value
    assert canonical_json(decoded) == canonical_json(json.loads(state))
    assert repr(decoded) == repr(json.loads(state))
