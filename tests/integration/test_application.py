"""The application service on both stores: the founding story, the rule that
projects are signed only at a conference of the same partnership, refusals that
write nothing, batches that are all or nothing, and retries that record nothing new."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import NamedTuple
from uuid import UUID, uuid4

import pytest

from citycoop.adapters.application.commands import (
    AddField,
    ChangeAgreementStatus,
    ChangeStage,
    ChangeStatus,
    CorrectFact,
    EstablishPartnership,
    HoldConference,
    IntroduceProject,
    NameProject,
    ReportInvestment,
    SignProjects,
)
from citycoop.adapters.application.importing import record_demo
from citycoop.adapters.application.service import CityCoop, Step
from citycoop.domain.aggregate import DomainEvent
from citycoop.domain.errors import (
    AgreementExistsError,
    CityCoopError,
    ConferenceNotHeldError,
    ConferenceOfAnotherPartnershipError,
    CorrectionError,
    FieldAlreadyAddedError,
    InvalidValueError,
    NotFoundError,
    PartnershipEndedError,
    PartnershipExistsError,
    ProjectCountExceededError,
    SameCityError,
    StageUnchangedError,
)
from citycoop.domain.vocabulary import ProjectCategory
from tests.recording import record

WUXI = {"name": "Wuxi", "country": "China"}
SINGAPORE = {"name": "Singapore", "country": "Singapore"}
SUZHOU = {"name": "Suzhou", "country": "China"}


class Story(NamedTuple):
    """The ids of the founding story's records, as ``citycoop demo`` records them."""

    partnership: UUID
    conference: UUID
    strategic: UUID
    industrial: UUID


def record_story(app: CityCoop) -> Story:
    ids = record_demo(app, actor="clerk-li")
    return Story(partnership=ids[0], conference=ids[2], strategic=ids[4], industrial=ids[5])


def logged_events(app: CityCoop) -> list[DomainEvent]:
    events = []
    for notification in app.recorder.select_notifications(start=1, limit=10_000):
        event = app.mapper.to_domain_event(notification)
        assert isinstance(event, DomainEvent)
        events.append(event)
    return events


# -- The founding story ------------------------------------------------------------


def test_the_founding_story_reopened_in_a_new_citycoop_reproduces_the_same_state(store: str) -> None:
    first = CityCoop(store)
    story = record_story(first)
    recorded = {record_id: first.get_record(record_id) for record_id in story}
    first.close()

    reopened = CityCoop(store)
    try:
        for record_id, record in recorded.items():
            again = reopened.get_record(record_id)
            assert type(again) is type(record)
            assert again.state == record.state
            assert (again.version, again.created_on, again.modified_on) == (
                record.version,
                record.created_on,
                record.modified_on,
            )
        partnership = reopened.get_record(story.partnership)
        assert partnership.name == "Wuxi–Singapore"
        assert partnership.state.since == "1993"
        assert partnership.state.investment is not None
        assert partnership.state.investment.enterprises == 700
        assert partnership.state.investment.enterprises_qualifier == "more-than"
        assert partnership.state.investment.amount.amount == Decimal("16.4e9")
        assert [initiative.kind for initiative in partnership.state.initiatives] == [
            "industrial-park",
            "innovation-city",
        ]
        conference = reopened.get_record(story.conference)
        assert (conference.state.attendance, conference.state.attendance_qualifier) == (200, "nearly")
        assert len(conference.state.introduced_projects) == 1
        assert reopened.get_record(story.strategic).state.count == 3
        assert reopened.get_record(story.industrial).state.count == 10
    finally:
        reopened.close()


def test_recording_the_founding_story_again_records_nothing_new(app: CityCoop, events_table) -> None:
    story = record_story(app)
    before = events_table()
    assert record_story(app) == story
    assert events_table() == before
    assert len(before) == 8


def test_every_event_of_one_import_shares_its_correlation_id_and_names_its_actor_and_source(app: CityCoop) -> None:
    record_story(app)
    events = logged_events(app)
    assert {event.meta.correlation_id for event in events} == {events[0].meta.correlation_id}
    assert {event.meta.actor for event in events} == {"clerk-li"}
    assert all(event.meta.source and event.meta.source.startswith("PRNewswire") for event in events)
    assert all(event.meta.idempotency_key for event in events)


def test_events_are_dated_by_the_facts_they_record(app: CityCoop) -> None:
    record_story(app)
    dates = {type(event).__qualname__: event.meta.business_date for event in logged_events(app)}
    assert dates["Partnership.Established"] == "1993"
    assert dates["Conference.Held"] == "2023-05-05"
    assert dates["Agreement.Signed"] == "2023-05-05"
    assert dates["Partnership.InvestmentReported"] == "2023-05-05"


def test_a_record_can_be_read_as_it_was_at_an_earlier_version(app: CityCoop) -> None:
    story = record_story(app)
    assert app.get_record(story.partnership, version=1).state.initiatives == []
    assert app.get_record(story.partnership, version=1).state.investment is None
    assert app.get_record(story.partnership).state.investment is not None


def test_reading_a_record_never_recorded_is_refused(app: CityCoop) -> None:
    record_story(app)
    missing = uuid4()
    with pytest.raises(NotFoundError, match=rf"^id: no record {missing} is on file$"):
        app.get_record(missing)


@pytest.mark.parametrize(
    ("city_b", "field"),
    [
        ({"name": "Singapore", "country": "Singapore", "wikidata_id": "334"}, "city_b.wikidata_id"),
        ({"name": "Singapore"}, "city_b.country"),
        ({"name": "Singapore\nCity", "country": "Singapore"}, "city_b.name"),
    ],
)
def test_a_malformed_city_is_refused_naming_which_city_and_which_field(
    app: CityCoop, events_table, city_b: dict[str, str], field: str
) -> None:
    record(app, EstablishPartnership.validated(city_a=SUZHOU, city_b=SINGAPORE, since="1994"), app.provenance("li"))
    before = events_table()
    with pytest.raises(InvalidValueError) as refusal:
        record(app, EstablishPartnership.validated(city_a=WUXI, city_b=city_b, since="1993"), app.provenance("li"))
    assert refusal.value.field == field
    assert events_table() == before


# -- Agreements only at a conference held for the same partnership -------------------


def test_signing_projects_at_the_conference_of_the_partnership_defaults_to_its_date(app: CityCoop) -> None:
    story = record_story(app)
    meta = app.provenance("clerk-li")
    agreement_id = record(
        app,
        SignProjects.validated(
            partnership=str(story.partnership), conference=str(story.conference), category="Technology", count=2
        ),
        meta,
    )
    agreement = app.get_record(agreement_id)
    assert agreement.state.category is ProjectCategory.TECHNOLOGY
    assert agreement.state.signed_on == "2023-05-05"
    assert agreement.state.conference_id == story.conference


def test_signing_at_a_conference_never_held_is_refused(app: CityCoop, events_table) -> None:
    story = record_story(app)
    before = events_table()
    never_held = uuid4()
    with pytest.raises(ConferenceNotHeldError, match=rf"^conference: no conference '{never_held}' was ever held$"):
        record(
            app,
            SignProjects.validated(
                partnership=str(story.partnership), conference=str(never_held), category="strategic", count=3
            ),
            app.provenance("li"),
        )
    assert events_table() == before


def test_signing_for_wuxi_singapore_at_a_conference_of_suzhou_singapore_is_refused(app: CityCoop, events_table) -> None:
    story = record_story(app)
    suzhou_singapore = record(
        app, EstablishPartnership.validated(city_a=SUZHOU, city_b=SINGAPORE, since="1994"), app.provenance("li")
    )
    suzhou_conference = record(
        app,
        HoldConference.validated(
            partnership=str(suzhou_singapore),
            title="Suzhou Industrial Park 30th anniversary",
            held_on="2024-05",
            host_city="Suzhou",
        ),
        app.provenance("li"),
    )
    before = events_table()
    with pytest.raises(ConferenceOfAnotherPartnershipError, match="held for another partnership, not Wuxi–Singapore"):
        record(
            app,
            SignProjects.validated(
                partnership=str(story.partnership), conference=str(suzhou_conference), category="industrial", count=1
            ),
            app.provenance("li"),
        )
    assert events_table() == before


def test_signing_a_category_twice_at_one_conference_is_refused_so_nothing_counts_twice(app: CityCoop) -> None:
    story = record_story(app)
    with pytest.raises(AgreementExistsError, match=r"the strategic projects signed at .* are on record already"):
        record(
            app,
            SignProjects.validated(
                partnership=str(story.partnership), conference=str(story.conference), category="strategic", count=3
            ),
            app.provenance("li"),
        )
    assert app.get_record(story.strategic).state.count == 3


# -- Refused commands write nothing ----------------------------------------------------


Refusal = Callable[[CityCoop, Story], object]

REFUSALS: dict[str, tuple[type[CityCoopError], Refusal]] = {
    "same city": (
        SameCityError,
        lambda app, _: record(
            app, EstablishPartnership.validated(city_a=WUXI, city_b=WUXI, since="1993"), app.provenance("li")
        ),
    ),
    "partnership on record": (
        PartnershipExistsError,
        lambda app, _: record(
            app, EstablishPartnership.validated(city_a=SINGAPORE, city_b=WUXI, since="1993"), app.provenance("li")
        ),
    ),
    "impossible date": (
        InvalidValueError,
        lambda app, _: record(
            app,
            EstablishPartnership.validated(city_a=SUZHOU, city_b=SINGAPORE, since="2023-02-30"),
            app.provenance("li"),
        ),
    ),
    "stage unchanged": (
        StageUnchangedError,
        lambda app, s: record(
            app,
            ChangeStage.validated(partnership=str(s.partnership), stage="Sister City", on="2023"),
            app.provenance("li"),
        ),
    ),
    "field twice": (
        FieldAlreadyAddedError,
        lambda app, s: record(
            app, AddField.validated(partnership=str(s.partnership), field="Culture and Arts"), app.provenance("li")
        ),
    ),
    "negative enterprises": (
        InvalidValueError,
        lambda app, s: record(
            app,
            ReportInvestment.validated(
                partnership=str(s.partnership), enterprises=-700, amount="16400000000", currency="USD", as_of="2023"
            ),
            app.provenance("li"),
        ),
    ),
    "negative amount": (
        InvalidValueError,
        lambda app, s: record(
            app,
            ReportInvestment.validated(
                partnership=str(s.partnership), enterprises=700, amount="-16.4e9", currency="USD", as_of="2023"
            ),
            app.provenance("li"),
        ),
    ),
    "unknown category": (
        InvalidValueError,
        lambda app, s: record(
            app,
            SignProjects.validated(
                partnership=str(s.partnership), conference=str(s.conference), category="friendship", count=1
            ),
            app.provenance("li"),
        ),
    ),
    "negative attendance": (
        InvalidValueError,
        lambda app, s: record(
            app,
            HoldConference.validated(
                partnership=str(s.partnership), title="Forum", held_on="2024", host_city="Singapore", attendance=-1
            ),
            app.provenance("li"),
        ),
    ),
    "an eleventh industrial project": (
        ProjectCountExceededError,
        lambda app, s: app.execute(
            [
                Step(NameProject(agreement=str(s.industrial), name=f"Industrial project {n}"), app.provenance("li"))
                for n in range(1, 12)
            ]
        ),
    ),
    "correcting a fact never stated": (
        CorrectionError,
        lambda app, s: record(
            app,
            CorrectFact.validated(
                record=str(s.partnership), corrects_version=1, field="stage", value="friendship-city", reason="r"
            ),
            app.provenance("li"),
        ),
    ),
    "unknown partnership": (
        NotFoundError,
        lambda app, _: record(app, AddField.validated(partnership=str(uuid4()), field="tourism"), app.provenance("li")),
    ),
    "agreement given as partnership": (
        NotFoundError,
        lambda app, s: record(
            app, AddField.validated(partnership=str(s.industrial), field="tourism"), app.provenance("li")
        ),
    ),
}


@pytest.mark.parametrize(("refusal", "command"), REFUSALS.values(), ids=REFUSALS.keys())
def test_a_refused_command_leaves_the_log_byte_for_byte_as_it_was(
    app: CityCoop, events_table, refusal: type[CityCoopError], command: Refusal
) -> None:
    story = record_story(app)
    before = events_table()
    with pytest.raises(refusal) as refused:
        command(app, story)
    assert "\n" not in str(refused.value)
    assert events_table() == before


def test_nothing_is_recorded_on_an_ended_partnership_nor_on_its_conferences_and_agreements(
    app: CityCoop, events_table
) -> None:
    story = record_story(app)
    record(
        app,
        ChangeStatus.validated(
            kind="end-partnership",
            partnership=str(story.partnership),
            on="2024-12-31",
            reason="The cities agreed to part.",
        ),
        app.provenance("li"),
    )
    before = events_table()
    attempts: list[Callable[[], object]] = [
        lambda: record(
            app, AddField.validated(partnership=str(story.partnership), field="tourism"), app.provenance("li")
        ),
        lambda: record(
            app,
            HoldConference.validated(
                partnership=str(story.partnership), title="Farewell", held_on="2025", host_city="Wuxi"
            ),
            app.provenance("li"),
        ),
        lambda: record(
            app, IntroduceProject.validated(conference=str(story.conference), name="Late project"), app.provenance("li")
        ),
        lambda: record(
            app,
            SignProjects.validated(
                partnership=str(story.partnership), conference=str(story.conference), category="cultural", count=1
            ),
            app.provenance("li"),
        ),
        lambda: record(
            app,
            NameProject.validated(agreement=str(story.industrial), name="Changi logistics hub"),
            app.provenance("li"),
        ),
        lambda: record(
            app,
            ChangeAgreementStatus.validated(agreement=str(story.industrial), status="completed", on="2025"),
            app.provenance("li"),
        ),
        lambda: record(
            app,
            CorrectFact.validated(
                record=str(story.conference), corrects_version=1, field="attendance", value=198, reason="r"
            ),
            app.provenance("li"),
        ),
    ]
    for attempt in attempts:
        with pytest.raises(PartnershipEndedError, match="Wuxi–Singapore ended on 2024-12-31"):
            attempt()
    assert events_table() == before


# -- Batches -----------------------------------------------------------------------------


def test_a_batch_is_recorded_in_one_go_and_later_steps_refer_to_earlier_ones_by_name(app: CityCoop) -> None:
    meta = app.provenance("clerk-li", source="Suzhou municipal archive")
    ids = app.execute(
        [
            Step(EstablishPartnership(city_a=SUZHOU, city_b=SINGAPORE, since="1994"), meta, name="suzhou"),
            Step(
                HoldConference(partnership="suzhou", title="SIP forum", held_on="2024-05", host_city="Suzhou"),
                meta,
                "forum",
            ),
            Step(SignProjects(partnership="suzhou", conference="forum", category="industrial", count=5), meta),
        ]
    )
    agreement = app.get_record(ids[2])
    assert (agreement.partnership_id, agreement.state.conference_id) == (ids[0], ids[1])
    assert agreement.state.signed_on == "2024-05"


def test_a_batch_with_one_refused_step_records_nothing_and_names_the_step(app: CityCoop, events_table) -> None:
    record_story(app)
    before = events_table()
    meta = app.provenance("clerk-li")
    steps = [
        Step(EstablishPartnership(city_a=SUZHOU, city_b=SINGAPORE, since="1994"), meta, name="suzhou"),
        Step(
            HoldConference(partnership="suzhou", title="SIP forum", held_on="2024-05", host_city="Suzhou"),
            meta,
            "forum",
        ),
        Step(SignProjects(partnership="suzhou", conference="forum", category="industrial", count=5), meta),
        Step(
            SignProjects(partnership="suzhou", conference="forum", category="industrial", count=5),
            meta,
            label="entry 4",
        ),
    ]
    with pytest.raises(AgreementExistsError, match=r"^entry 4: category: the industrial projects"):
        app.execute(steps)
    assert events_table() == before


# -- Retries --------------------------------------------------------------------------------


def test_establishing_with_the_same_key_twice_returns_the_same_partnership_and_records_once(
    app: CityCoop, events_table
) -> None:
    first = record(
        app,
        EstablishPartnership.validated(city_a=WUXI, city_b=SINGAPORE, since="1993"),
        app.provenance("li", key="wuxi-singapore"),
    )
    rows = events_table()
    again = record(
        app,
        EstablishPartnership.validated(city_a=WUXI, city_b=SINGAPORE, since="1993"),
        app.provenance("li", key="wuxi-singapore"),
    )
    assert again == first
    assert events_table() == rows


def test_holding_a_conference_with_the_same_key_twice_records_one_conference(app: CityCoop, events_table) -> None:
    story = record_story(app)

    def hold() -> UUID:
        return record(
            app,
            HoldConference.validated(
                partnership=str(story.partnership),
                title="Wuxi–Singapore business forum",
                held_on="2024-05-06",
                host_city="Singapore",
            ),
            app.provenance("li", key="forum-2024"),
        )

    first = hold()
    rows = events_table()
    assert hold() == first
    assert events_table() == rows


def test_retrying_the_founding_story_after_the_partnership_ended_records_nothing_and_is_not_refused(
    app: CityCoop, events_table
) -> None:
    """A retry must give the answer the first attempt gave, whatever happened since."""
    story = record_story(app)
    record(
        app,
        ChangeStatus.validated(
            kind="end-partnership", partnership=str(story.partnership), on="2024-12-31", reason=None
        ),
        app.provenance("li"),
    )
    rows = events_table()
    assert record_story(app) == story
    assert events_table() == rows
