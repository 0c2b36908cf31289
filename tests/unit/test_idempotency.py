"""A command repeated with the same idempotency key records nothing new."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from citycoop.domain.agreement import Agreement
from citycoop.domain.conference import Conference
from citycoop.domain.errors import KeyReusedError
from citycoop.domain.partnership import Partnership

KEY = "wuxi-singapore/retry"

PARTNERSHIP_COMMANDS: dict[str, Callable[..., None]] = {
    "stage": lambda p, meta: p.change_stage(stage="friendship-city", on="1993", meta=meta),
    "field": lambda p, meta: p.add_field(field="tourism", meta=meta),
    "investment": lambda p, meta: p.report_investment(
        {"enterprises": 700, "amount": {"amount": "16400000000", "currency": "USD"}, "as_of": "2023-05-05"}, meta=meta
    ),
    "initiative": lambda p, meta: p.launch_initiative(
        {"name": "Wuxi-Singapore Industrial Park", "kind": "industrial-park", "started": None, "description": None},
        meta=meta,
    ),
    "suspend": lambda p, meta: p.suspend(on="2020", reason=None, meta=meta),
    "end": lambda p, meta: p.end(on="2024", reason=None, meta=meta),
    "correction": lambda p, meta: p.correct(corrects_version=1, field="since", value="1993-05", reason="r", meta=meta),
}


@pytest.mark.parametrize("command", PARTNERSHIP_COMMANDS.values(), ids=PARTNERSHIP_COMMANDS.keys())
def test_a_partnership_command_retried_with_its_key_records_nothing_new(
    partnership: Partnership, meta, command: Callable[..., None]
) -> None:
    command(partnership, meta(key=KEY))
    recorded = list(partnership.pending_events)
    command(partnership, meta(key=KEY))
    assert partnership.pending_events == recorded
    assert partnership.version == 2


def test_the_same_command_without_a_key_is_a_new_fact(partnership: Partnership, meta) -> None:
    for _ in range(2):
        partnership.launch_initiative(
            {"name": "Wuxi-Singapore Industrial Park", "kind": "industrial-park", "started": None, "description": None},
            meta=meta(),
        )
    assert len(partnership.state.initiatives) == 2


def test_a_retried_introduction_and_naming_and_status_change_record_nothing_new(
    conference: Conference, industrial: Agreement, meta
) -> None:
    for _ in range(2):
        conference.introduce_project({"name": "Innovation City", "description": None}, meta=meta(key=KEY))
        industrial.name_project(
            {"name": "Changi logistics hub", "parties": (), "description": None}, meta=meta(key=KEY)
        )
        industrial.change_status(status="in-progress", on="2024", meta=meta(key=f"{KEY}/status"))
    assert len(conference.state.introduced_projects) == 1
    assert len(industrial.state.projects) == 1
    assert industrial.version == 3


def test_a_retry_is_recognised_before_any_rule_is_asked(partnership: Partnership, meta) -> None:
    """The first attempt ended the partnership; its retry must not be refused as an event on an ended one."""
    partnership.end(on="2024", reason=None, meta=meta(key=KEY))
    partnership.end(on="2024", reason=None, meta=meta(key=KEY))
    assert partnership.version == 2


def test_keys_are_remembered_in_the_state_that_snapshots_keep(partnership: Partnership, meta) -> None:
    partnership.add_field(field="tourism", meta=meta(key=KEY))
    assert KEY in partnership.state.idempotency_keys


def test_a_key_given_to_another_command_is_refused_and_records_nothing(partnership: Partnership, meta) -> None:
    partnership.add_field(field="finance", meta=meta(key=KEY).model_copy(update={"command": "add-field:finance"}))
    other = meta(key=KEY).model_copy(update={"command": "add-field:tourism"})

    with pytest.raises(KeyReusedError, match=r"^key: 'wuxi-singapore/retry' was given first to another command \("):
        partnership.add_field(field="tourism", meta=other)
    assert partnership.version == 2


def test_a_key_recorded_before_commands_were_fingerprinted_is_still_a_retry(partnership: Partnership, meta) -> None:
    partnership.add_field(field="finance", meta=meta(key=KEY))  # as earlier releases recorded it: no command

    partnership.add_field(field="finance", meta=meta(key=KEY).model_copy(update={"command": "add-field:finance"}))

    assert partnership.version == 2
