"""``citycoop record`` refuses what cannot be true, on both stores: a currency
that ISO 4217 does not list, business dates after the day of recording, and
events dated before the record they belong to began. Each refusal is one
line naming the option, and writes nothing."""

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


IMPOSSIBLE = [
    Impossible(
        "a-currency-iso-4217-does-not-list",
        1,
        investment(currency="ZZZ"),
        2,
        "Error: --currency: 'ZZZ' is not the ISO 4217 code of a currency in use",
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
