"""A partnership between two cities: its invariants and every event it records."""

from __future__ import annotations

from decimal import Decimal

import pytest

from citycoop.domain.aggregate import Aggregate
from citycoop.domain.errors import (
    FieldAlreadyAddedError,
    InvalidValueError,
    PartnershipEndedError,
    PartnershipStatusError,
    SameCityError,
    StageUnchangedError,
)
from citycoop.domain.partnership import Partnership
from citycoop.domain.values import City
from citycoop.domain.vocabulary import FieldOfCooperation, InitiativeKind, PartnershipStatus, Stage


def event_names(record: Aggregate) -> list[str]:
    return [type(event).__name__ for event in record.pending_events]


def last_event(record: Aggregate) -> Aggregate.Event:
    event = record.pending_events[-1]
    assert isinstance(event, Aggregate.Event)
    return event


# -- Establishing -------------------------------------------------------------


def test_establishing_wuxi_and_singapore_records_one_established_event(partnership: Partnership) -> None:
    assert event_names(partnership) == ["Established"]
    assert partnership.version == 1
    assert [city.name for city in partnership.state.cities] == ["Wuxi", "Singapore"]
    assert partnership.state.since == "1993"
    assert partnership.state.stage is Stage.SISTER_CITY
    assert partnership.state.status is PartnershipStatus.ACTIVE
    assert partnership.name == "Wuxi–Singapore"


def test_a_partnership_of_a_city_with_itself_is_refused(wuxi: City, meta) -> None:
    with pytest.raises(SameCityError, match="two different cities"):
        Partnership.establish(city_a=wuxi, city_b=wuxi, since="1993", stage="sister-city", fields=(), meta=meta())


def test_the_same_wikidata_id_under_two_spellings_is_still_one_city(meta) -> None:
    with pytest.raises(SameCityError):
        Partnership.establish(
            city_a=City(name="Wuxi", country="China", wikidata_id="Q167628"),
            city_b=City(name="Wu-hsi", country="PRC", wikidata_id="Q167628"),
            since="1993",
            stage="sister-city",
            fields=(),
            meta=meta(),
        )


def test_the_partnership_id_does_not_depend_on_which_city_is_named_first(wuxi: City, singapore: City) -> None:
    assert Partnership.id_for(wuxi, singapore) == Partnership.id_for(singapore, wuxi)
    assert Partnership.id_for(wuxi, singapore) != Partnership.id_for(wuxi, City(name="Suzhou", country="China"))


def test_fields_of_cooperation_in_other_spellings_are_normalised_and_kept_once(
    wuxi: City, singapore: City, meta
) -> None:
    partnership = Partnership.establish(
        city_a=wuxi,
        city_b=singapore,
        since="1993-05",
        stage="Friendship City",
        fields=("Science and Technology", "science_and_technology", "Culture and Arts"),
        meta=meta(),
    )
    assert partnership.state.fields == [FieldOfCooperation.SCIENCE_AND_TECHNOLOGY, FieldOfCooperation.CULTURE_AND_ARTS]
    assert partnership.state.stage is Stage.FRIENDSHIP_CITY


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"fields": ("space-tourism",)}, "fields.0"),
        ({"stage": "twin-town"}, "stage"),
        ({"since": "2023-02-30"}, "since"),
        ({"since": "May 1993"}, "since"),
    ],
)
def test_establishing_with_a_value_outside_the_rules_is_refused_naming_the_field(
    wuxi: City, singapore: City, meta, changes: dict[str, object], field: str
) -> None:
    arguments: dict[str, object] = {"since": "1993", "stage": "sister-city", "fields": ()} | changes
    with pytest.raises(InvalidValueError) as refusal:
        Partnership.establish(city_a=wuxi, city_b=singapore, meta=meta(), **arguments)  # type: ignore[arg-type]
    assert refusal.value.field == field


def test_the_established_event_is_dated_by_the_year_the_partnership_began(partnership: Partnership) -> None:
    (established,) = partnership.pending_events
    assert isinstance(established, Partnership.Established)
    assert established.meta.business_date == "1993"


# -- Stages and fields --------------------------------------------------------


def test_moving_from_friendship_city_to_sister_city_records_the_date(wuxi: City, singapore: City, meta) -> None:
    partnership = Partnership.establish(
        city_a=wuxi, city_b=singapore, since="1993", stage="friendship-city", fields=(), meta=meta()
    )
    partnership.change_stage(stage="sister-city", on="1996-11", meta=meta())
    assert partnership.state.stage is Stage.SISTER_CITY
    changed = last_event(partnership)
    assert isinstance(changed, Partnership.StageChanged)
    assert changed.on == "1996-11"
    assert changed.meta.business_date == "1996-11"


@pytest.mark.parametrize("spelling", ["sister-city", "Sister City", "sister_city"])
def test_moving_to_the_stage_the_partnership_is_already_at_is_refused(
    partnership: Partnership, meta, spelling: str
) -> None:
    with pytest.raises(StageUnchangedError, match="already at stage"):
        partnership.change_stage(stage=spelling, on="2000", meta=meta())
    assert partnership.version == 1


def test_an_unknown_stage_is_refused_naming_the_stage(partnership: Partnership, meta) -> None:
    with pytest.raises(InvalidValueError, match=r"^stage: "):
        partnership.change_stage(stage="alliance", on="2000", meta=meta())


def test_adding_a_field_of_cooperation_extends_the_list(partnership: Partnership, meta) -> None:
    partnership.add_field(field="Urban Construction", meta=meta())
    assert partnership.state.fields[-1] is FieldOfCooperation.URBAN_CONSTRUCTION
    assert event_names(partnership)[-1] == "FieldAdded"


@pytest.mark.parametrize("spelling", ["economy-and-trade", "Economy and Trade", "ECONOMY_AND_TRADE"])
def test_adding_a_field_the_partnership_already_has_is_refused(partnership: Partnership, meta, spelling: str) -> None:
    with pytest.raises(FieldAlreadyAddedError, match="already a field"):
        partnership.add_field(field=spelling, meta=meta())
    assert partnership.version == 1


def test_a_field_outside_the_vocabulary_is_refused(partnership: Partnership, meta) -> None:
    with pytest.raises(InvalidValueError, match=r"^field: 'space-tourism' is not one of: trade, "):
        partnership.add_field(field="space tourism", meta=meta())


# -- Investment and initiatives -------------------------------------------------


def test_reporting_700_enterprises_and_16_4_billion_dollars_keeps_the_amount_exact(
    partnership: Partnership, meta
) -> None:
    partnership.report_investment(
        {"enterprises": 700, "amount": {"amount": "16400000000", "currency": "USD"}, "as_of": "2023-05-05"}, meta=meta()
    )
    figures = partnership.state.investment
    assert figures is not None
    assert figures.enterprises == 700
    assert figures.amount.amount == Decimal("16400000000")
    assert str(figures.amount) == "USD 16,400,000,000"
    reported = last_event(partnership)
    assert isinstance(reported, Partnership.InvestmentReported)
    assert reported.meta.business_date == "2023-05-05"


def figures(*, enterprises: object, amount: object, currency: object, as_of: object) -> dict[str, object]:
    """Investment figures as the event states them."""
    return {"enterprises": enterprises, "amount": {"amount": amount, "currency": currency}, "as_of": as_of}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"enterprises": -1}, "figures.enterprises"),
        ({"amount": "-16.4"}, "figures.amount.amount"),
        ({"amount": "a lot"}, "figures.amount.amount"),
        ({"currency": "dollars"}, "figures.amount.currency"),
        ({"as_of": "2023-13"}, "figures.as_of"),
    ],
)
def test_investment_figures_that_are_negative_or_malformed_are_refused(
    partnership: Partnership, meta, changes: dict[str, object], field: str
) -> None:
    arguments: dict[str, object] = {
        "enterprises": 700,
        "amount": "16400000000",
        "currency": "USD",
        "as_of": "2023-05-05",
    } | changes
    with pytest.raises(InvalidValueError) as refusal:
        partnership.report_investment(figures(**arguments), meta=meta())
    assert refusal.value.field == field
    assert partnership.version == 1
    assert partnership.state.investment is None


def test_launching_the_innovation_city_adds_an_initiative_with_its_start(partnership: Partnership, meta) -> None:
    partnership.launch_initiative(
        {
            "name": "Wuxi Singapore Science and Technology Innovation City",
            "kind": "Innovation City",
            "started": "2023-05",
            "description": None,
        },
        meta=meta(),
    )
    (initiative,) = partnership.state.initiatives
    assert initiative.kind is InitiativeKind.INNOVATION_CITY
    assert initiative.started == "2023-05"
    assert last_event(partnership).meta.business_date == "2023-05"


def test_an_initiative_of_an_unknown_kind_is_refused(partnership: Partnership, meta) -> None:
    with pytest.raises(InvalidValueError, match=r"^initiative\.kind: "):
        partnership.launch_initiative(
            {"name": "Park", "kind": "theme-park", "started": None, "description": None}, meta=meta()
        )


# -- Suspending, resuming, ending ---------------------------------------------------


def test_a_partnership_can_be_suspended_and_resumed_with_dates(partnership: Partnership, meta) -> None:
    partnership.suspend(on="2020-02", reason="travel restrictions", meta=meta())
    assert partnership.state.status is PartnershipStatus.SUSPENDED
    assert partnership.state.status_since == "2020-02"
    partnership.resume(on="2023-01-08", reason=None, meta=meta())
    assert partnership.state.status is PartnershipStatus.ACTIVE
    assert partnership.state.status_since == "2023-01-08"
    assert event_names(partnership) == ["Established", "StatusChanged", "StatusChanged"]


def test_suspending_a_suspended_partnership_is_refused(partnership: Partnership, meta) -> None:
    partnership.suspend(on="2020", reason=None, meta=meta())
    with pytest.raises(PartnershipStatusError, match="is suspended, so it cannot become suspended"):
        partnership.suspend(on="2021", reason=None, meta=meta())


def test_resuming_an_active_partnership_is_refused(partnership: Partnership, meta) -> None:
    with pytest.raises(PartnershipStatusError, match="is active, so it cannot become active"):
        partnership.resume(on="2021", reason=None, meta=meta())


def test_a_suspended_partnership_can_be_ended(partnership: Partnership, meta) -> None:
    partnership.suspend(on="2020", reason=None, meta=meta())
    partnership.end(on="2024-12-31", reason="the cities agreed to part", meta=meta())
    assert partnership.state.status is PartnershipStatus.ENDED
    assert partnership.state.status_since == "2024-12-31"


@pytest.mark.parametrize(
    "command",
    [
        lambda p, meta: p.change_stage(stage="friendship-city", on="2025", meta=meta()),
        lambda p, meta: p.add_field(field="tourism", meta=meta()),
        lambda p, meta: p.report_investment(
            {"enterprises": 701, "amount": {"amount": "16500000000", "currency": "USD"}, "as_of": "2025"}, meta=meta()
        ),
        lambda p, meta: p.launch_initiative(
            {"name": "Wuxi-Singapore Industrial Park", "kind": "industrial-park", "started": None, "description": None},
            meta=meta(),
        ),
        lambda p, meta: p.suspend(on="2025", reason=None, meta=meta()),
        lambda p, meta: p.resume(on="2025", reason=None, meta=meta()),
        lambda p, meta: p.end(on="2025", reason=None, meta=meta()),
        lambda p, meta: p.correct(corrects_version=1, field="since", value="1992", reason="typo", meta=meta()),
    ],
    ids=["stage", "field", "investment", "initiative", "suspend", "resume", "end again", "correction"],
)
def test_nothing_more_is_recorded_on_an_ended_partnership(partnership: Partnership, meta, command) -> None:
    partnership.end(on="2024-12-31", reason=None, meta=meta())
    with pytest.raises(PartnershipEndedError, match="Wuxi–Singapore ended on 2024-12-31"):
        command(partnership, meta)
    assert partnership.version == 2


def test_every_event_carries_the_provenance_of_its_command(partnership: Partnership, meta) -> None:
    envelope = meta(key="wuxi-singapore/investment-2023-05")
    partnership.report_investment(
        {"enterprises": 700, "amount": {"amount": "16400000000", "currency": "USD"}, "as_of": "2023"}, meta=envelope
    )
    reported = last_event(partnership)
    assert reported.meta.actor == "clerk-li"
    assert reported.meta.source == "PRNewswire, 6 May 2023"
    assert reported.meta.correlation_id == envelope.correlation_id
    assert reported.meta.idempotency_key == "wuxi-singapore/investment-2023-05"


def test_a_business_date_given_with_the_command_wins_over_the_date_of_the_fact(partnership: Partnership, meta) -> None:
    partnership.report_investment(
        {"enterprises": 700, "amount": {"amount": "16400000000", "currency": "USD"}, "as_of": "2023"},
        meta=meta(business_date="2023-05-06"),
    )
    assert last_event(partnership).meta.business_date == "2023-05-06"
