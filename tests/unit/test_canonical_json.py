"""Canonical JSON is the standard library's spelling, whoever writes it: the
hash chain is recomputed from these bytes, so orjson, which writes most
events, must write every one of them byte for byte as ``json.dumps`` would."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import uuid4

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, JsonValue, PlainSerializer, computed_field

from citycoop.adapters.storage.codec import PydanticMapper, canonical_json, decode_state, may_hold_a_float
from citycoop.domain.aggregate import Aggregate
from citycoop.domain.agreement import Agreement
from citycoop.domain.conference import Conference
from citycoop.domain.partnership import InvestmentFigures, Partnership
from citycoop.domain.projects import SignedProject
from citycoop.domain.values import City, Money, Provenance, validated

ANY_TEXT = st.text(st.characters(codec=None, categories=None), max_size=12)
"""Any code point: accents, CJK, emoji, controls, U+2028, lone surrogates."""
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**64), max_value=2**64)
    | st.integers(min_value=2**63, max_value=2**70)
    | st.floats()
    | st.floats(min_value=-1e-4, max_value=1e-4)
    | st.sampled_from([1e-7, 1e16, 1e22, 5e-324, float("nan"), float("inf"), -0.0])
    | ANY_TEXT
)
VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.tuples(children, children)
        | st.dictionaries(ANY_TEXT, children, max_size=4)
        | st.dictionaries(st.integers(), children, max_size=2)
    ),
    max_leaves=16,
)
FLOATLESS = st.recursive(
    st.none() | st.booleans() | st.integers() | ANY_TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(ANY_TEXT, children, max_size=4),
    max_leaves=16,
)
LINE = st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs", "Zl", "Zp"]), min_size=1, max_size=40)
"""One line of human text, as names are: any printable code point."""
NAME = LINE.filter(lambda text: text.strip() != "")


def stdlib(value: Any) -> bytes | type[Exception]:
    """The canonical spelling, as the standard library writes it (or the error it raises)."""
    try:
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    except (TypeError, ValueError) as error:
        return type(error)


def written(value: Any) -> bytes | type[Exception]:
    try:
        return canonical_json(value)
    except (TypeError, ValueError) as error:
        return type(error)


@settings(max_examples=400, deadline=None)
@given(VALUES)
def test_any_value_is_written_as_the_standard_library_writes_it(value: Any) -> None:
    assert written(value) == stdlib(value)


@settings(max_examples=400, deadline=None)
@given(FLOATLESS)
def test_a_value_without_floats_is_written_by_orjson_as_the_standard_library_writes_it(value: Any) -> None:
    # The property the mapper relies on when an event's class can hold no float.
    assert written(value) == stdlib(value)


def meta() -> Provenance:
    return validated(Provenance, actor="clerk", source="a source", idempotency_key=str(uuid4()), correlation_id=uuid4())


@settings(max_examples=150, deadline=None)
@given(
    names=st.tuples(NAME, NAME, NAME, NAME),
    enterprises=st.integers(min_value=0, max_value=10**12),
    amount=st.decimals(min_value=0, max_value=Decimal(10) ** 19, places=4, allow_nan=False),
    parties=st.lists(NAME, max_size=3),
)
def test_every_event_is_stored_as_the_standard_library_writes_it(
    names: tuple[str, str, str, str], enterprises: int, amount: Decimal, parties: list[str]
) -> None:
    city_a, country, project, description = names
    partnership = Partnership.establish(
        city_a=City(name=city_a, country=country),
        city_b=City(name="Singapore", country="Singapore"),
        since="1993",
        stage="sister-city",
        fields=(),
        meta=meta(),
    )
    figures = InvestmentFigures.model_validate(
        {"enterprises": enterprises, "amount": Money(amount=amount, currency="USD"), "as_of": "2023"}
    )
    partnership.report_investment(figures, meta=meta())
    partnership.correct(corrects_version=2, field="investment.enterprises", value=enterprises, reason="x", meta=meta())
    conference = Conference.hold(
        id=uuid4(), partnership_id=partnership.id, meta=meta(), host_city=city_a, title=project, held_on="2023"
    )
    agreement = Agreement.sign(
        partnership_id=partnership.id,
        conference_id=conference.id,
        category="industrial",
        count=3,
        signed_on="2023",
        meta=meta(),
    )
    agreement.name_project(SignedProject(name=project, parties=tuple(parties), description=description), meta=meta())
    mapper = PydanticMapper()
    for event in [*partnership.pending_events, *conference.pending_events, *agreement.pending_events]:
        state = mapper.to_stored_event(event).state
        assert state == stdlib(decode_state(state))
        assert state == stdlib(
            {
                **event.model_dump(mode="json", exclude={"originator_id", "originator_version"}),  # type: ignore[attr-defined]
                **({"class_version": event.class_version} if getattr(event, "class_version", 1) > 1 else {}),
            }
        )


def test_the_event_classes_that_can_hold_a_float_are_told_from_those_that_cannot() -> None:
    assert may_hold_a_float(Aggregate.Corrected)  # a corrected value is any JSON value
    assert may_hold_a_float(Aggregate.Snapshot)
    assert may_hold_a_float(float | None)
    assert may_hold_a_float(dict[str, Any])
    assert not may_hold_a_float(Partnership.Established)
    assert not may_hold_a_float(Partnership.InvestmentReported)  # its amount is a Decimal, written as text
    assert not may_hold_a_float(Agreement.ProjectNamed)
    assert not may_hold_a_float(Conference.Held)


class _Tree(BaseModel):
    name: str
    children: list[_Tree] = []


class _Measured(BaseModel):
    name: str

    @computed_field  # type: ignore[prop-decorator]
    @property
    def share(self) -> float:
        return 0.5


def test_an_annotation_not_known_to_hold_no_float_is_taken_to_hold_one() -> None:
    assert may_hold_a_float(JsonValue)
    assert may_hold_a_float(Literal[0.5, "half"])
    assert may_hold_a_float(Annotated[int, PlainSerializer(lambda value: value / 2)])
    assert may_hold_a_float(_Measured)
    assert may_hold_a_float(complex)
    assert may_hold_a_float(list)
    assert not may_hold_a_float(_Tree)  # it refers to itself, and holds only text
    assert not may_hold_a_float(Literal["half", 2])
    assert not may_hold_a_float(tuple[str, ...] | None)
