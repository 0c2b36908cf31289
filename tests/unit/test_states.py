"""A record's state is built from its events without checks (``model_construct``),
and each empty collection it starts with is its own; building one does not
read its default factories' signatures, which cost more than the rest of an
event when importing."""

from __future__ import annotations

import inspect
from uuid import uuid4

import pytest
from pydantic import BaseModel

from citycoop.domain.agreement import AgreementState
from citycoop.domain.conference import ConferenceState
from citycoop.domain.partnership import PartnershipState


@pytest.mark.parametrize("state_class", [PartnershipState, ConferenceState, AgreementState])
def test_a_state_built_from_some_facts_is_the_one_pydantic_builds(state_class: type[BaseModel]) -> None:
    facts = {"partnership_id": uuid4()} if state_class is not PartnershipState else {"stage": "sister-city"}

    built = state_class.model_construct(**facts)
    by_pydantic = BaseModel.model_construct.__func__(state_class, **facts)  # type: ignore[attr-defined]

    assert vars(built) == vars(by_pydantic)
    assert built.model_fields_set == by_pydantic.model_fields_set == set(facts)


def test_each_state_has_empty_collections_of_its_own() -> None:
    first, second = ConferenceState.model_construct(), ConferenceState.model_construct()

    first.speakers.append("Zhao Jianjun")
    first.idempotency_keys.add("wuxi-singapore/conference-2023")

    assert second.speakers == []
    assert second.idempotency_keys == set()


def test_building_a_state_reads_no_signature(monkeypatch: pytest.MonkeyPatch) -> None:
    read: list[object] = []
    from_callable = inspect.Signature.from_callable

    def reading(f: object, **given: object) -> inspect.Signature:
        read.append(f)
        return from_callable(f, **given)  # type: ignore[arg-type]

    monkeypatch.setattr(inspect.Signature, "from_callable", reading)

    ConferenceState.model_construct(partnership_id=uuid4())

    assert read == []
