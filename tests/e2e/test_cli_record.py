"""``citycoop record …`` as a clerk runs it: every recording command, on both
stores, through the installed command; the store is read back afterwards, and
every refusal is one line, with its exit status, that wrote nothing."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple
from uuid import UUID, uuid4, uuid5

import pytest
from cli_harness import CLERK, Story, citycoop, record_story

from citycoop.adapters.application.commands import ChangeStatus, NameProject
from citycoop.adapters.application.service import CityCoop
from citycoop.domain.aggregate import Aggregate, DomainEvent
from tests.recording import record

SOURCE = "PRNewswire, Beijing, 6 May 2023"


@contextmanager
def founding_story_and(store: str) -> Iterator[tuple[CityCoop, Story]]:
    """The founding story on record, and the application service to add to it."""
    story = record_story(store)
    app = CityCoop(store)
    try:
        yield app, story
    finally:
        app.close()


def suspended(store: str) -> Story:
    with founding_story_and(store) as (app, story):
        assert story.partnership is not None
        record(
            app,
            ChangeStatus.validated(
                kind="suspend-partnership", partnership=str(story.partnership), on="2024-01", reason=None
            ),
            app.provenance(CLERK),
        )
    return story


def ended(store: str) -> Story:
    with founding_story_and(store) as (app, story):
        assert story.partnership is not None
        record(
            app,
            ChangeStatus.validated(kind="end-partnership", partnership=str(story.partnership), on="2025", reason=None),
            app.provenance(CLERK),
        )
    return story


def three_strategic_projects_named(store: str) -> Story:
    with founding_story_and(store) as (app, story):
        assert story.strategic is not None
        for name in ("Changi Airport Group cooperation", "SGX listings", "DHL regional hub"):
            record(app, NameProject.validated(agreement=str(story.strategic), name=name), app.provenance(CLERK))
    return story


def story_of(entries: int) -> Callable[[str], Story]:
    def given(store: str) -> Story:
        return record_story(store, entries)

    return given


class Recording(NamedTuple):
    command: str
    given: Callable[[str], Story]
    options: Callable[[Story], list[str]]
    kind: str
    expect: Callable[[CityCoop, Story, UUID], None]


def _partnership(app: CityCoop, story: Story) -> Aggregate:
    assert story.partnership is not None
    return app.get_record(story.partnership)


def _expect_established(app: CityCoop, story: Story, printed: UUID) -> None:
    state = app.get_record(printed).state
    assert [city.name for city in state.cities] == ["Wuxi", "Singapore"]
    assert (state.since, state.stage) == ("1993", "sister-city")
    assert state.fields == ["science-and-technology", "economy-and-trade"]


def _expect_conference(app: CityCoop, story: Story, printed: UUID) -> None:
    state = app.get_record(printed).state
    assert state.partnership_id == story.partnership
    assert (state.held_on, state.host_city, state.attendance, state.attendance_qualifier) == (
        "2023-05-05",
        "Wuxi",
        200,
        "about",  # --approximate, as it always meant
    )
    assert state.organizations == ["Singapore Changi Airport Group", "Singapore Exchange (SGX)"]
    assert [(speaker.name, speaker.role) for speaker in state.speakers] == [("Zhao Jianjun", "Mayor of Wuxi")]


def _expect_signed(app: CityCoop, story: Story, printed: UUID) -> None:
    state = app.get_record(printed).state
    assert (state.conference_id, state.category, state.count, state.signed_on) == (
        story.conference,
        "strategic",
        3,
        "2023-05-05",
    )


RECORDINGS = [
    Recording(
        "establish-partnership",
        story_of(0),
        lambda _story: [
            *("--city", "Wuxi:China", "--city", "Singapore:Singapore", "--since", "1993"),
            *("--field", "Science and Technology", "--field", "economy-and-trade"),
        ],
        "partnership",
        _expect_established,
    ),
    Recording(
        "change-stage",
        story_of(8),
        lambda story: ["--partnership", str(story.partnership), "--stage", "friendship-city", "--on", "2024"],
        "partnership",
        lambda app, story, _printed: _expect(_partnership(app, story).state.stage == "friendship-city"),
    ),
    Recording(
        "add-field",
        story_of(8),
        lambda story: ["--partnership", str(story.partnership), "--field", "finance"],
        "partnership",
        lambda app, story, _printed: _expect("finance" in _partnership(app, story).state.fields),
    ),
    Recording(
        "report-investment",
        story_of(1),
        lambda story: [
            *("--partnership", str(story.partnership), "--enterprises", "700", "--enterprises-qualifier", "more than"),
            *("--amount", "16400000000", "--currency", "USD", "--as-of", "2023-05-06"),
        ],
        "partnership",
        lambda app, story, _printed: _expect(
            _partnership(app, story).state.investment.model_dump()
            == {
                "enterprises": 700,
                "enterprises_qualifier": "more-than",
                "amount_qualifier": "exact",
                "amount": {"amount": Decimal(16_400_000_000), "currency": "USD"},
                "as_of": "2023-05-06",
            }
        ),
    ),
    Recording(
        "launch-initiative",
        story_of(1),
        lambda story: [
            *("--partnership", str(story.partnership), "--name", "Wuxi-Singapore Industrial Park"),
            *("--kind", "industrial-park", "--description", "The existing foundation of cooperation in industry."),
        ],
        "partnership",
        lambda app, story, _printed: _expect(
            [(i.name, i.kind) for i in _partnership(app, story).state.initiatives]
            == [("Wuxi-Singapore Industrial Park", "industrial-park")]
        ),
    ),
    Recording(
        "suspend-partnership",
        story_of(8),
        lambda story: ["--partnership", str(story.partnership), "--on", "2024-01", "--reason", "Under review"],
        "partnership",
        lambda app, story, _printed: _expect(
            (_partnership(app, story).state.status, _partnership(app, story).state.status_since)
            == ("suspended", "2024-01")
        ),
    ),
    Recording(
        "resume-partnership",
        suspended,
        lambda story: ["--partnership", str(story.partnership), "--on", "2024-06"],
        "partnership",
        lambda app, story, _printed: _expect(_partnership(app, story).state.status == "active"),
    ),
    Recording(
        "end-partnership",
        story_of(8),
        lambda story: ["--partnership", str(story.partnership), "--on", "2025", "--reason", "Dissolved"],
        "partnership",
        lambda app, story, _printed: _expect(_partnership(app, story).state.status == "ended"),
    ),
    Recording(
        "hold-conference",
        story_of(2),
        lambda story: [
            *("--partnership", str(story.partnership), "--key", "wuxi-singapore/conference-2023"),
            "--title",
            "Wuxi Singapore Cooperation and Development Conference on Urban Internationalization",
            *("--held-on", "2023-05-05", "--host-city", "Wuxi", "--attendance", "200", "--approximate"),
            *("--organization", "Singapore Changi Airport Group", "--organization", "Singapore Exchange (SGX)"),
            *("--speaker", "Zhao Jianjun:Mayor of Wuxi"),
        ],
        "conference",
        _expect_conference,
    ),
    Recording(
        "introduce-project",
        story_of(3),
        lambda story: [
            *("--conference", str(story.conference)),
            *("--name", "Wuxi Singapore Science and Technology Innovation City"),
        ],
        "conference",
        lambda app, _story, printed: _expect(
            [project.name for project in app.get_record(printed).state.introduced_projects]
            == ["Wuxi Singapore Science and Technology Innovation City"]
        ),
    ),
    Recording(
        "sign-projects",
        story_of(4),
        lambda story: [
            *("--partnership", str(story.partnership), "--conference", str(story.conference)),
            *("--category", "strategic", "--count", "3"),
        ],
        "agreement",
        _expect_signed,
    ),
    Recording(
        "name-project",
        story_of(8),
        lambda story: [
            *("--agreement", str(story.strategic), "--name", "Changi Airport Group regional cooperation"),
            *("--party", "Singapore Changi Airport Group", "--party", "Wuxi Municipal People's Government"),
        ],
        "agreement",
        lambda app, _story, printed: _expect(
            [(p.name, p.parties) for p in app.get_record(printed).state.projects]
            == [
                (
                    "Changi Airport Group regional cooperation",
                    ("Singapore Changi Airport Group", "Wuxi Municipal People's Government"),
                )
            ]
        ),
    ),
    Recording(
        "change-agreement-status",
        story_of(8),
        lambda story: ["--agreement", str(story.industrial), "--status", "in-progress", "--on", "2024"],
        "agreement",
        lambda app, _story, printed: _expect(app.get_record(printed).state.status == "in-progress"),
    ),
    Recording(
        "correct",
        story_of(8),
        lambda story: [
            *("--record", str(story.partnership), "--corrects-version", "3", "--field", "investment.enterprises"),
            *("--value", "701", "--reason", "The press release says more than 700"),
        ],
        "partnership",
        lambda app, story, _printed: _expect(_partnership(app, story).state.investment.enterprises == 701),
    ),
    Recording(
        "correct",
        story_of(8),
        lambda story: [
            *("--record", str(story.conference), "--corrects-version", "1", "--field", "organizations"),
            *("--value-json", '["Singapore Changi Airport Group", "Singapore Exchange (SGX)"]'),
            *("--reason", "DHL Asia Pacific Headquarters was listed by mistake"),
        ],
        "conference",
        lambda app, _story, printed: _expect(
            app.get_record(printed).state.organizations
            == ["Singapore Changi Airport Group", "Singapore Exchange (SGX)"]
        ),
    ),
]


def _expect(condition: bool) -> None:
    assert condition


@pytest.mark.parametrize("recording", RECORDINGS, ids=lambda recording: recording.command)
def test_every_recording_command_records_its_fact_stamped_with_who_and_from_what_source(
    store: str, recording: Recording
) -> None:
    story = recording.given(store)

    outcome = citycoop(store, "--source", SOURCE, "--json", "record", recording.command, *recording.options(story))

    assert outcome.code == 0, outcome.stderr
    printed = json.loads(outcome.stdout)
    assert printed["kind"] == recording.kind
    app = CityCoop(store)
    try:
        recording.expect(app, story, UUID(printed["id"]))
        last = list(app.events.get(UUID(printed["id"])))[-1]
        assert isinstance(last, DomainEvent)
        assert (last.meta.actor, last.meta.source) == (CLERK, SOURCE)
    finally:
        app.close()


def test_a_recording_command_prints_the_bare_id_for_people_and_scripts(store: str) -> None:
    story = record_story(store, 1)

    outcome = citycoop(store, "record", "add-field", "--partnership", str(story.partnership), "--field", "finance")

    assert outcome.code == 0, outcome.stderr
    assert outcome.stdout == f"{story.partnership}\n"


def test_the_conference_of_a_keyed_hold_gets_the_id_the_demo_gives_it(store: str) -> None:
    story = record_story(store, 2)
    options = ["--partnership", str(story.partnership), "--title", "Wuxi Singapore Cooperation Conference"]
    options += ["--held-on", "2023-05-05", "--host-city", "Wuxi", "--key", "wuxi-singapore/conference-2023"]

    outcome = citycoop(store, "record", "hold-conference", *options)

    assert story.partnership is not None
    assert outcome.stdout.strip() == str(uuid5(story.partnership, "wuxi-singapore/conference-2023"))


def test_a_command_retried_with_the_same_key_records_nothing_new(store: str, events_table: Callable[[], list]) -> None:
    story = record_story(store, 1)
    options = ["--partnership", str(story.partnership), "--field", "finance", "--key", "wuxi-singapore/finance"]
    first = citycoop(store, "record", "add-field", *options)
    logged = events_table()

    retried = citycoop(store, "record", "add-field", *options)

    assert (first.code, retried.code) == (0, 0)
    assert retried.stdout == first.stdout
    assert events_table() == logged


class Refusal(NamedTuple):
    name: str
    given: Callable[[str], Story]
    args: Callable[[Story], list[str]]
    exit_code: int
    message: str


REFUSALS = [
    Refusal(
        "a-date-that-does-not-exist",
        story_of(0),
        lambda _s: [
            "establish-partnership",
            "--city",
            "Wuxi:China",
            "--city",
            "Singapore:Singapore",
            "--since",
            "1993-13",
        ],
        2,
        "Error: --since: is not a valid date",
    ),
    Refusal(
        "one-city",
        story_of(0),
        lambda _s: ["establish-partnership", "--city", "Wuxi:China", "--since", "1993"],
        2,
        "Error: --city: give exactly two cities",
    ),
    Refusal(
        "a-city-without-its-country",
        story_of(0),
        lambda _s: ["establish-partnership", "--city", "Wuxi", "--city", "Singapore:Singapore", "--since", "1993"],
        2,
        "Error: Invalid value for '--city': 'Wuxi' should be NAME:COUNTRY",
    ),
    Refusal(
        "a-negative-amount",
        story_of(1),
        lambda s: [
            *("report-investment", "--partnership", str(s.partnership), "--enterprises", "700"),
            *("--amount", "-16400000000", "--as-of", "2023-05-05"),
        ],
        2,
        "Error: --amount: cannot be negative",
    ),
    Refusal(
        "a-currency-in-lower-case",
        story_of(1),
        lambda s: [
            *("report-investment", "--partnership", str(s.partnership), "--enterprises", "700"),
            *("--amount", "16400000000", "--currency", "usd", "--as-of", "2023-05-05"),
        ],
        2,
        "Error: --currency: must be a currency's ISO 4217 code",
    ),
    Refusal(
        "an-unknown-stage",
        story_of(1),
        lambda s: ["change-stage", "--partnership", str(s.partnership), "--stage", "twin-town", "--on", "2024"],
        2,
        "Error: Invalid value for '--stage': 'twin-town' is not one of: letter-of-intent, friendship-city",
    ),
    Refusal(
        "a-date-in-words",
        story_of(1),
        lambda s: [
            *("hold-conference", "--partnership", str(s.partnership), "--title", "Wuxi Singapore Conference"),
            *("--held-on", "5 May 2023", "--host-city", "Wuxi"),
        ],
        2,
        "Error: --held-on: must be a year (1993), a month (1993-05) or a date (1993-05-06)",
    ),
    Refusal(
        "no-projects-signed",
        story_of(4),
        lambda s: [
            *("sign-projects", "--partnership", str(s.partnership), "--conference", str(s.conference)),
            *("--category", "strategic", "--count", "0"),
        ],
        2,
        "Error: --count: must be 1 or more",
    ),
    Refusal(
        "a-partnership-that-is-not-an-id",
        story_of(1),
        lambda _s: ["add-field", "--partnership", "Wuxi-Singapore", "--field", "finance"],
        2,
        "Error: Invalid value for '--partnership': 'Wuxi-Singapore' is not a valid UUID",
    ),
    Refusal(
        "a-missing-date",
        story_of(1),
        lambda s: ["suspend-partnership", "--partnership", str(s.partnership)],
        2,
        "Error: Missing option '--on'. Try 'citycoop record suspend-partnership --help'.",
    ),
    Refusal(
        "a-value-given-twice",
        story_of(8),
        lambda s: [
            *(
                "correct",
                "--record",
                str(s.partnership),
                "--corrects-version",
                "3",
                "--field",
                "investment.enterprises",
            ),
            *("--value", "701", "--value-json", "701", "--reason", "More than 700"),
        ],
        2,
        "Error: --value: give either --value or --value-json",
    ),
    Refusal(
        "signing-at-a-conference-never-held",
        story_of(4),
        lambda s: [
            *("sign-projects", "--partnership", str(s.partnership), "--conference", str(uuid4())),
            *("--category", "strategic", "--count", "3"),
        ],
        1,
        "was ever held",
    ),
    Refusal(
        "a-field-the-partnership-has",
        story_of(1),
        lambda s: ["add-field", "--partnership", str(s.partnership), "--field", "science-and-technology"],
        1,
        "Error: field: 'science-and-technology' is already a field of this partnership",
    ),
    Refusal(
        "the-stage-the-partnership-is-at",
        story_of(1),
        lambda s: ["change-stage", "--partnership", str(s.partnership), "--stage", "sister-city", "--on", "2024"],
        1,
        "Error: stage: the partnership is already at stage 'sister-city'",
    ),
    Refusal(
        "a-second-partnership-of-the-same-cities",
        story_of(1),
        lambda _s: [
            "establish-partnership",
            "--city",
            "Singapore:Singapore",
            "--city",
            "Wuxi:China",
            "--since",
            "1993",
        ],
        1,
        "Error: cities: Singapore and Wuxi, China already have a partnership on record",
    ),
    Refusal(
        "resuming-an-active-partnership",
        story_of(1),
        lambda s: ["resume-partnership", "--partnership", str(s.partnership), "--on", "2024"],
        1,
        "Error: status: the partnership is active, so it cannot become active",
    ),
    Refusal(
        "anything-on-an-ended-partnership",
        ended,
        lambda s: ["add-field", "--partnership", str(s.partnership), "--field", "finance"],
        1,
        "nothing more can be recorded on it",
    ),
    Refusal(
        "a-fourth-name-for-three-projects",
        three_strategic_projects_named,
        lambda s: ["name-project", "--agreement", str(s.strategic), "--name", "A fourth strategic project"],
        1,
        "Error: name: all 3 strategic projects of this signing are named already",
    ),
    Refusal(
        "a-correction-of-a-fact-that-event-did-not-state",
        story_of(8),
        lambda s: [
            *(
                "correct",
                "--record",
                str(s.partnership),
                "--corrects-version",
                "2",
                "--field",
                "investment.enterprises",
            ),
            *("--value", "701", "--reason", "More than 700"),
        ],
        1,
        "Error: corrects_version: event 2 of this record did not state 'investment.enterprises'",
    ),
    Refusal(
        "a-project-introduced-at-a-partnership",
        story_of(1),
        lambda s: ["introduce-project", "--conference", str(s.partnership), "--name", "Innovation City"],
        1,
        "Error: conference: no conference",
    ),
]


@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda refusal: refusal.name)
def test_bad_input_and_refusals_are_one_line_with_their_exit_status_and_write_nothing(
    store: str, events_table: Callable[[], list], refusal: Refusal
) -> None:
    story = refusal.given(store)
    logged = events_table()

    outcome = citycoop(store, "record", *refusal.args(story))

    assert outcome.code == refusal.exit_code, outcome.stderr
    assert refusal.message in outcome.error
    assert outcome.stdout == ""
    assert events_table() == logged


def test_an_unreachable_postgresql_is_one_line_that_never_shows_the_password() -> None:
    store = "postgresql://clerk:s3cret-pw@127.0.0.1:1/citycoop"

    outcome = citycoop(store, "record", "add-field", "--partnership", str(uuid4()), "--field", "finance")

    assert outcome.code == 1
    assert outcome.error.startswith("Error: store: cannot use postgresql://clerk:***@127.0.0.1:1/citycoop: ")
    assert "s3cret-pw" not in outcome.stderr


def test_a_file_that_is_not_a_store_is_one_line_and_stays_as_it_was(tmp_path: Path) -> None:
    store = tmp_path / "minutes.db"
    store.write_text("Minutes of the Wuxi-Singapore conference, 5 May 2023\n" * 100)
    before = store.read_bytes()

    outcome = citycoop(str(store), "record", "add-field", "--partnership", str(uuid4()), "--field", "finance")

    assert outcome.code == 1
    assert outcome.error.startswith(f"Error: store: cannot use {store}: ")
    assert store.read_bytes() == before


def test_a_folder_named_as_the_store_is_a_usage_error(tmp_path: Path) -> None:
    outcome = citycoop(str(tmp_path), "record", "add-field", "--partnership", str(uuid4()), "--field", "finance")

    assert outcome.code == 2
    assert outcome.error == f"Error: store: {tmp_path} is a directory, not an SQLite file"


def test_a_store_in_a_folder_that_cannot_be_created_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the store's folder should be")
    store = blocker / "citycoop.db"

    outcome = citycoop(str(store), "record", "add-field", "--partnership", str(uuid4()), "--field", "finance")

    assert outcome.code == 1
    assert outcome.error.startswith(f"Error: store: cannot use {store}: ")
