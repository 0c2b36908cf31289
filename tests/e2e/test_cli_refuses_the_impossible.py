"""``citycoop record`` refuses what cannot be true, on both stores: a currency
that ISO 4217 does not list, business dates after the day of recording,
events dated before the record they belong to began, and corrections that
would date them so. Each refusal is one line naming the option (or, for a rule of the business, the
field), and writes
nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import pytest
from cli_harness import Story, citycoop, record_story


class Impossible(NamedTuple):
    name: str
    entries: int
    """How much of the founding story is on record first."""
    args: Callable[[Story], list[str]]
    exit_code: int
    message: str


def investment(currency: str = "USD", as_of: str = "2023-05-05") -> Callable[[Story], list[str]]:
    return lambda s: [
        *("report-investment", "--partnership", str(s.partnership), "--enterprises", "700"),
        *("--amount", "16400000000", "--currency", currency, "--as-of", as_of),
    ]


def on_the_partnership(command: str, *options: str) -> Callable[[Story], list[str]]:
    return lambda s: [command, "--partnership", str(s.partnership), *options]


def correction(field: str, value: str, record: str = "partnership") -> Callable[[Story], list[str]]:
    return lambda s: [
        *("correct", "--record", str(getattr(s, record)), "--corrects-version", "1"),
        *("--field", field, "--value", value, "--reason", "Misread"),
    ]


AFTER_TODAY = "is after the day it is recorded on (at the latest "
IMPOSSIBLE = [
    Impossible(
        "a-currency-iso-4217-does-not-list",
        1,
        investment(currency="ZZZ"),
        2,
        "Error: --currency: 'ZZZ' is not the ISO 4217 code of a currency in use",
    ),
    Impossible(
        "a-partnership-since-2999",
        0,
        lambda _s: [
            *("establish-partnership", "--city", "Wuxi:China", "--city", "Singapore:Singapore"),
            *("--since", "2999"),
        ],
        2,
        f"Error: --since: 2999 {AFTER_TODAY}",
    ),
    Impossible("figures-as-of-2999", 1, investment(as_of="2999"), 2, f"Error: --as-of: 2999 {AFTER_TODAY}"),
    Impossible(
        "a-stage-changed-in-1900-on-a-partnership-of-1993",
        1,
        on_the_partnership("change-stage", "--stage", "friendship-city", "--on", "1900"),
        1,
        "Error: on: 1900 is before the partnership began (1993)",
    ),
    Impossible(
        "a-suspension-in-1900",
        1,
        on_the_partnership("suspend-partnership", "--on", "1900"),
        1,
        "Error: on: 1900 is before the partnership began (1993)",
    ),
    Impossible(
        "a-conference-in-1900",
        1,
        on_the_partnership("hold-conference", "--title", "Forum", "--host-city", "Wuxi", "--held-on", "1900"),
        1,
        "Error: held_on: 1900 is before the partnership began (1993)",
    ),
    Impossible(
        "projects-signed-in-1990-at-a-conference-of-2023",
        3,
        lambda s: [
            *("sign-projects", "--partnership", str(s.partnership), "--conference", str(s.conference)),
            *("--category", "cultural", "--count", "2", "--signed-on", "1990"),
        ],
        1,
        "Error: signed_on: 1990 is before the conference was held (2023-05-05)",
    ),
    Impossible(
        "a-status-changed-before-the-projects-were-signed",
        5,
        lambda s: [
            *("change-agreement-status", "--agreement", str(s.strategic)),
            *("--status", "in-progress", "--on", "2022"),
        ],
        1,
        "Error: on: 2022 is before the projects were signed (2023-05-05)",
    ),
    Impossible("a-since-corrected-to-2999", 1, correction("since", "2999"), 2, f"Error: --value: 2999 {AFTER_TODAY}"),
    Impossible(
        "a-since-corrected-to-after-its-conference",
        3,
        correction("since", "2023-06"),
        1,
        "Error: value: the partnership cannot have begun on 2023-06, after the conference 'Wuxi Singapore Cooperation",
    ),
    Impossible(
        "a-conference-corrected-to-before-the-partnership",
        3,
        correction("held_on", "1990", record="conference"),
        1,
        "Error: value: 1990 is before the partnership began (1993)",
    ),
    Impossible(
        "a-conference-corrected-to-after-what-was-signed-at-it",
        5,
        correction("held_on", "2024", record="conference"),
        1,
        "Error: value: the conference cannot have been held on 2024, after its strategic projects were signed",
    ),
    Impossible(
        "a-signing-corrected-to-before-its-conference",
        5,
        correction("signed_on", "2023-05-04", record="strategic"),
        1,
        "Error: value: 2023-05-04 is before the conference was held (2023-05-05)",
    ),
]


@pytest.mark.parametrize("impossible", IMPOSSIBLE, ids=lambda impossible: impossible.name)
def test_what_cannot_be_true_is_refused_in_one_line_naming_the_option_and_writes_nothing(
    store: str, events_table: Callable[[], list], impossible: Impossible
) -> None:
    story = record_story(store, impossible.entries)
    logged = events_table()

    outcome = citycoop(store, "record", *impossible.args(story))

    assert outcome.code == impossible.exit_code, outcome.stderr
    assert outcome.error.startswith(impossible.message), outcome.error
    assert outcome.stdout == ""
    assert events_table() == logged


def test_an_import_entry_dated_after_today_is_refused_naming_the_entry_and_the_field(
    store: str, events_table: Callable[[], list]
) -> None:
    record_story(store, 0)
    logged = events_table()
    entries = """
entries:
  - kind: establish-partnership
    city_a: {name: Osaka, country: Japan}
    city_b: {name: São Paulo, country: Brazil}
    since: "1969"
  - kind: establish-partnership
    city_a: {name: Los Angeles, country: United States}
    city_b: {name: Guangzhou, country: China}
    since: "2999-12"
"""

    outcome = citycoop(store, "import", "-", stdin=entries)

    assert outcome.code == 2, outcome.stderr
    assert outcome.error.startswith(f"Error: entry 2: since: 2999-12 {AFTER_TODAY}"), outcome.error
    assert events_table() == logged
