"""A ``--key`` names one command: given again with that command it is a retry
and records nothing new; given with another command it is refused, in one
line naming the key and the command it was first given to, and writes
nothing. On both stores, through the installed command."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from cli_harness import citycoop, record_story

KEY = "wuxi-singapore/finance"


def test_a_key_given_again_to_the_same_command_records_nothing_new(
    store: str, events_table: Callable[[], list]
) -> None:
    story = record_story(store, 1)
    options = ["add-field", "--partnership", str(story.partnership), "--field", "finance", "--key", KEY]
    first = citycoop(store, "record", *options)
    logged = events_table()

    retried = citycoop(store, "record", *options)

    assert (first.code, retried.code) == (0, 0), retried.stderr
    assert retried.stdout == first.stdout
    assert events_table() == logged


@pytest.mark.parametrize(
    "other",
    [
        ["add-field", "--field", "tourism"],
        ["report-investment", "--enterprises", "700", "--amount", "16400000000", "--as-of", "2023-05-05"],
    ],
    ids=["another-field", "another-kind-of-command"],
)
def test_a_key_given_to_another_command_is_refused_naming_the_key_and_the_first_command(
    store: str, events_table: Callable[[], list], other: list[str]
) -> None:
    story = record_story(store, 1)
    partnership = ["--partnership", str(story.partnership)]
    assert citycoop(store, "record", "add-field", *partnership, "--field", "finance", "--key", KEY).code == 0
    logged = events_table()

    outcome = citycoop(store, "record", other[0], *partnership, *other[1:], "--key", KEY)

    assert outcome.code == 1, outcome.stderr
    assert outcome.error == (
        f"Error: key: {KEY!r} was given first to another command (add-field) of this record; nothing was recorded"
    )
    assert outcome.stdout == ""
    assert events_table() == logged


def test_a_conference_key_given_to_a_conference_with_other_facts_is_refused(
    store: str, events_table: Callable[[], list]
) -> None:
    story = record_story(store, 1)
    held = ["hold-conference", "--partnership", str(story.partnership), "--host-city", "Wuxi"]
    key = ["--key", "wuxi-singapore/conference-2023"]
    conference = ["--title", "Cooperation Conference", "--held-on", "2023-05-05", *key]
    first = citycoop(store, "record", *held, *conference)
    assert first.code == 0, first.stderr
    assert citycoop(store, "record", *held, *conference) == first
    logged = events_table()

    outcome = citycoop(store, "record", *held, "--title", "Another Conference", "--held-on", "2024-05-05", *key)

    assert outcome.code == 1, outcome.stderr
    assert "key: 'wuxi-singapore/conference-2023' was given first to another command (hold-conference)" in outcome.error
    assert events_table() == logged


def test_a_conference_key_given_again_with_approximate_for_about_is_a_retry(
    store: str, events_table: Callable[[], list]
) -> None:
    """README: ``--approximate`` means the attendance qualifier about, so it is the same command."""
    story = record_story(store, 1)
    held = ["hold-conference", "--partnership", str(story.partnership), "--host-city", "Wuxi", "--title", "Expo"]
    conference = [*held, "--held-on", "2023-05-05", "--attendance", "1000", "--key", "wuxi-singapore/expo"]
    first = citycoop(store, "record", *conference, "--attendance-qualifier", "about")
    assert first.code == 0, first.stderr
    logged = events_table()

    retried = citycoop(store, "record", *conference, "--approximate")

    assert retried.code == 0, retried.stderr
    assert retried.stdout == first.stdout
    assert events_table() == logged
