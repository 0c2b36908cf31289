"""A key's fingerprint is of what the command means: ``--approximate`` and the
attendance qualifier about are one command, and so are São Paulo typed
composed and decomposed. For every other command it is byte for byte what
release 0.2 recorded, so that retries of commands recorded then still match."""

from __future__ import annotations

import unicodedata
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citycoop.adapters.application.commands import AddField, Command, EstablishPartnership, HoldConference
from citycoop.adapters.application.fingerprint import _composed, _digest, fingerprints

PARTNERSHIP = "6a1f1c8e-8a1e-5f7e-9d55-3c1f0e5b7a10"
SINGAPORE = {"name": "Singapore", "country": "Singapore"}
CONFERENCE = {"partnership": PARTNERSHIP, "host_city": "Wuxi", "title": "Cooperation Conference"}


def by_id(reference: str, field: str) -> UUID:
    return UUID(reference)


def meant(command: Command) -> str:
    return fingerprints(command, by_id)[0]


def sao_paulo(form: str) -> EstablishPartnership:
    city = {"name": unicodedata.normalize(form, "São Paulo"), "country": "Brazil"}
    return EstablishPartnership(city_a=city, city_b=SINGAPORE, since="1993")


def test_approximate_is_the_same_command_as_the_qualifier_about() -> None:
    facts = {**CONFERENCE, "held_on": "2023-05-05", "attendance": 1000}
    approximate = HoldConference(**facts, attendance_is_approximate=True)
    about = HoldConference(**facts, attendance_qualifier="about")

    assert meant(approximate) == meant(about)


def test_a_name_typed_decomposed_is_the_same_command_as_typed_composed() -> None:
    assert sao_paulo("NFD") != sao_paulo("NFC")
    assert meant(sao_paulo("NFD")) == meant(sao_paulo("NFC"))


@pytest.mark.parametrize(
    ("command", "recorded_by_0_2"),
    [
        (AddField(partnership=PARTNERSHIP, field="finance"), "add-field:c7cc6dc4714e8adf5d392a54daccb5e0"),
        (
            EstablishPartnership(city_a={"name": "Wuxi", "country": "China"}, city_b=SINGAPORE, since="1993"),
            "establish-partnership:6cd4e1d01918c3dd7d25c83317f0b89c",
        ),
        (
            HoldConference(**CONFERENCE, held_on="2023-05-05", attendance=1000, attendance_qualifier="about"),
            "hold-conference:0598d49e3ec78d751d1faa37bab59b30",
        ),
        (sao_paulo("NFC"), "establish-partnership:73bf459f8a1470d42164efbec104e058"),
    ],
    ids=["add-field", "establish-partnership", "hold-conference-about", "composed-name"],
)
def test_a_command_without_aliases_or_decomposed_text_has_the_fingerprint_0_2_recorded(
    command: Command, recorded_by_0_2: str
) -> None:
    """The digests were computed by release 0.2's ``fingerprint``: byte for byte the same, and no other."""
    assert fingerprints(command, by_id) == (recorded_by_0_2,)


def test_a_command_typed_with_an_alias_also_has_the_fingerprint_0_2_recorded_for_it() -> None:
    approximate = HoldConference(**CONFERENCE, held_on="2023-05-05", attendance=1000, attendance_is_approximate=True)

    assert fingerprints(approximate, by_id) == (
        "hold-conference:0598d49e3ec78d751d1faa37bab59b30",  # as the qualifier about
        "hold-conference:0a646265e5b77c3571109b2a50b42b26",  # as 0.2 recorded it
    )


def fingerprints_in_full(command: Command) -> tuple[str, ...]:
    """What ``fingerprints`` computed before it digested a command once when
    it says what it means: both digests, of what it means and as typed."""
    typed = command.model_dump(mode="json")
    defaults = {name: type(command).model_fields[name].default for name in command.aliases}
    meant = _composed({**typed, **defaults})
    return tuple(dict.fromkeys((_digest(meant), _digest(typed))))


NAME = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cc", "Cs", "Zl", "Zp"])
    | st.sampled_from(["\u0303", "\u0301", "a"]),
    min_size=1,
    max_size=12,
).filter(lambda text: text.strip() != "")
"""Names with combining marks next to letters that do and do not compose with them."""


@settings(max_examples=300, deadline=None)
@given(
    name=NAME,
    form=st.sampled_from(["NFC", "NFD", None]),
    title=NAME,
    approximate=st.booleans(),
)
def test_a_command_has_the_fingerprints_it_has_in_full(
    name: str, form: str | None, title: str, approximate: bool
) -> None:
    text = unicodedata.normalize(form, name) if form else name
    establish = EstablishPartnership(city_a={"name": text, "country": "Brazil"}, city_b=SINGAPORE, since="1993")
    hold = HoldConference(
        partnership=PARTNERSHIP,
        host_city=text,
        title=title,
        held_on="2023-05-05",
        attendance=10,
        attendance_is_approximate=approximate,
    )
    for command in (establish, hold):
        assert fingerprints(command, by_id) == fingerprints_in_full(command)
