"""Properties that hold for any input hypothesis can think of: the import
validator answers every document with entries or one line naming where it is
wrong; the domain's rules hold after any sequence of commands; what is
recorded replays to the same state through the stored form; and any changed
byte breaks the hash chain."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import replace
from importlib.resources import files
from typing import Any, get_args
from uuid import UUID, uuid4

import yaml
from eventsourcing.persistence import Notification
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citycoop.adapters.application.commands import AnyCommand
from citycoop.adapters.application.importing import DEMO_SCENARIO, ImportFileError, parse
from citycoop.adapters.storage.chain import Chain
from citycoop.adapters.storage.codec import PydanticMapper
from citycoop.domain.aggregate import Aggregate
from citycoop.domain.agreement import Agreement
from citycoop.domain.errors import (
    CityCoopError,
    PartnershipEndedError,
)
from citycoop.domain.partnership import Partnership
from citycoop.domain.values import City, Provenance, validated
from citycoop.domain.vocabulary import PartnershipStatus, ProjectCategory, Stage
from reliability.records import broken_links

EXAMPLES_VARIABLE = "CITYCOOP_PROPERTY_EXAMPLES"
FAST = settings(
    max_examples=int(os.environ.get(EXAMPLES_VARIABLE, "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
"""Sixty examples each in the suite; the long run (LONG_RUNS.md) asks for thousands."""

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=12,
)
COMMANDS = get_args(get_args(AnyCommand)[0])
KINDS = [kind for command in COMMANDS for kind in get_args(command.model_fields["kind"].annotation)]
FIELDS = sorted({name for command in COMMANDS for name in command.model_fields} - {"kind"} | {"as", "key", "source"})
ENTRY = st.fixed_dictionaries({"kind": st.sampled_from(KINDS)}, optional=dict.fromkeys(FIELDS, JSON))
DOCUMENT = JSON | st.fixed_dictionaries({"entries": st.lists(ENTRY, max_size=4)}, optional={"source": JSON})
DEMO = yaml.safe_load(
    files("citycoop.adapters.application").joinpath("scenarios", DEMO_SCENARIO).read_text(encoding="utf-8")
)


def parsed_or_refused(text: str, filename: str) -> str | None:
    """Parse; return the refusal's message, or None if the file was accepted."""
    try:
        parse(text, filename=filename)
    except ImportFileError as refusal:
        message = str(refusal)
        assert "\n" not in message
        assert message.startswith((f"{filename}: ", "entry ")), message
        return message
    return None


@FAST
@given(DOCUMENT)
def test_any_json_document_is_read_as_entries_or_refused_in_one_line(document: Any) -> None:
    parsed_or_refused(json.dumps(document), "entries.json")


@FAST
@given(DOCUMENT)
def test_any_yaml_document_is_read_as_entries_or_refused_in_one_line(document: Any) -> None:
    parsed_or_refused(yaml.safe_dump(document, allow_unicode=True), "entries.yaml")


@FAST
@given(st.text(max_size=200))
def test_any_text_given_as_a_yaml_file_is_read_as_entries_or_refused_in_one_line(text: str) -> None:
    parsed_or_refused(text, "entries.yaml")


@st.composite
def demo_with_one_field_changed(draw: st.DrawFn) -> tuple[int, str, dict[str, Any]]:
    entries = [dict(entry) for entry in DEMO["entries"]]
    index = draw(st.integers(0, len(entries) - 1))
    field = draw(st.sampled_from(sorted(entries[index])))
    entries[index][field] = draw(JSON)
    return index + 1, field, {"source": DEMO["source"], "entries": entries}


@FAST
@given(demo_with_one_field_changed())
def test_the_founding_story_with_any_one_field_changed_is_accepted_or_refused_naming_that_entry_and_field(
    change: tuple[int, str, dict[str, Any]],
) -> None:
    number, field, document = change

    message = parsed_or_refused(json.dumps(document), "founding-story.json")

    if message is not None:
        assert message.startswith(f"entry {number}"), message
        if field != "kind":  # another kind has other fields, and the first of those is named
            assert f": {field}" in message, message


def meta(key: str | None = None) -> Provenance:
    return Provenance(actor="clerk", correlation_id=uuid4(), idempotency_key=key)


def replayed(aggregate: Aggregate, events: list[Aggregate.Event]) -> Aggregate:
    """The aggregate rebuilt from its events as the store keeps them (canonical JSON)."""
    mapper = PydanticMapper()
    rebuilt: Any = None
    for event in events:
        rebuilt = mapper.to_domain_event(mapper.to_stored_event(event)).mutate(rebuilt)
    assert isinstance(rebuilt, type(aggregate))
    return rebuilt


TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=30).filter(str.strip)
PARTNERSHIP_STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("stage"), st.sampled_from(list(Stage))),
        st.tuples(st.just("field"), st.sampled_from(["tourism", "finance", "logistics", "Science and Technology"])),
        st.tuples(st.just("investment"), st.integers(0, 10**12)),
        st.tuples(st.just("initiative"), TEXT),
        st.tuples(st.sampled_from(["suspend", "resume", "end"]), st.none()),
        st.tuples(st.just("again"), st.none()),
    ),
    max_size=12,
)


def _partnership_step(partnership: Partnership, step: tuple[str, Any], key: str) -> Callable[[], None]:
    action, value = step
    actions: dict[str, Callable[[], None]] = {
        "stage": lambda: partnership.change_stage(stage=value, on="2023", meta=meta(key)),
        "field": lambda: partnership.add_field(field=value, meta=meta(key)),
        "investment": lambda: partnership.report_investment(
            {"enterprises": 700, "amount": {"amount": value, "currency": "USD"}, "as_of": "2023-05-05"}, meta=meta(key)
        ),
        "initiative": lambda: partnership.launch_initiative(
            {"name": value, "kind": "innovation-city", "started": None, "description": None}, meta=meta(key)
        ),
        "suspend": lambda: partnership.suspend(on="2023", reason=None, meta=meta(key)),
        "resume": lambda: partnership.resume(on="2023", reason=None, meta=meta(key)),
        "end": lambda: partnership.end(on="2023", reason=None, meta=meta(key)),
    }
    return actions[action]


@FAST
@given(TEXT, TEXT, PARTNERSHIP_STEPS)
def test_a_partnership_keeps_its_rules_after_any_commands_and_replays_to_the_same_state(
    city_name: str, partner_name: str, steps: list[tuple[str, Any]]
) -> None:
    try:
        partnership = Partnership.establish(
            city_a=validated(City, name=city_name, country="中国"),
            city_b=validated(City, name=partner_name, country="Singapore"),
            since="1993",
            stage="sister-city",
            fields=(),
            meta=meta(),
        )
    except CityCoopError:
        return  # the same city twice, or a name the rules refuse
    events = list(partnership.collect_events())
    previous: tuple[tuple[str, Any], str] | None = None
    for number, step in enumerate(steps):
        repeat = step[0] == "again"
        if repeat and previous is None:
            continue
        command, key = previous if repeat and previous is not None else (step, f"step-{number}")
        ended = partnership.state.status == PartnershipStatus.ENDED
        version = partnership.version
        try:
            _partnership_step(partnership, command, key)()
        except PartnershipEndedError:
            assert ended
        except CityCoopError:
            pass
        new = list(partnership.collect_events())
        assert partnership.version == version + len(new)
        assert not (ended and new), "nothing is recorded on an ended partnership"
        assert not (repeat and new), "a command given again with its key records nothing new"
        assert len(partnership.state.fields) == len(set(partnership.state.fields))
        events += new
        previous = (command, key)

    assert replayed(partnership, events).state == partnership.state


@FAST
@given(st.integers(1, 20), st.lists(st.one_of(st.tuples(st.just("name"), TEXT), st.integers(-2, 25)), max_size=25))
def test_an_agreement_never_names_more_projects_than_its_count_after_any_namings_and_corrections(
    count: int, steps: list[tuple[str, str] | int]
) -> None:
    conference_id = uuid4()
    agreement = Agreement.sign(
        partnership_id=uuid4(),
        conference_id=conference_id,
        category=ProjectCategory.INDUSTRIAL,
        count=count,
        signed_on="2023-05-05",
        meta=meta(),
    )
    events = list(agreement.collect_events())
    for step in steps:
        try:
            if isinstance(step, int):
                agreement.correct(
                    corrects_version=1, field="count", value=step, reason="The press release was revised.", meta=meta()
                )
            else:
                agreement.name_project({"name": step[1], "parties": (), "description": None}, meta=meta())
        except CityCoopError:
            pass
        events += agreement.collect_events()
        assert 1 <= agreement.state.count <= 100_000
        assert len(agreement.state.projects) <= agreement.state.count

    assert agreement.version == len(events)
    assert replayed(agreement, events).state == agreement.state


STATES = st.lists(st.tuples(st.integers(0, 2), st.binary(min_size=2, max_size=40)), min_size=1, max_size=12)


def _sealed_log(states: list[tuple[int, bytes]], key: bytes | None) -> list[Notification]:
    """A log of events of three aggregates, sealed as the event store seals them."""
    ids = [UUID(int=number + 1) for number in range(3)]
    versions = dict.fromkeys(ids, 0)
    heads: dict[UUID, str] = {}
    log = []
    for position, (aggregate, body) in enumerate(states, start=1):
        originator_id = ids[aggregate]
        versions[originator_id] += 1
        event = Notification(
            id=position,
            originator_id=originator_id,
            originator_version=versions[originator_id],
            topic="citycoop.domain.partnership:Partnership.FieldAdded",
            state=b'{"body":"' + body.hex().encode() + b'"}',
        )
        (sealed,) = Chain(key).seal([event], heads)
        log.append(replace(event, state=sealed.state))
    return log


@FAST
@given(STATES, st.sampled_from([None, b"wuxi-singapore-audit-key"]), st.data())
def test_any_changed_byte_of_any_event_breaks_the_chain(
    states: list[tuple[int, bytes]], key: bytes | None, data: st.DataObject
) -> None:
    log = _sealed_log(states, key)
    assert broken_links(log, key) == []

    victim = data.draw(st.integers(0, len(log) - 1))
    offset = data.draw(st.integers(0, len(log[victim].state) - 1))
    state = bytearray(log[victim].state)
    state[offset] ^= data.draw(st.integers(1, 255))
    log[victim] = replace(log[victim], state=bytes(state))

    assert broken_links(log, key) != []
