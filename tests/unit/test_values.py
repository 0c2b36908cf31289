"""Values: cities, money, partial dates, text, the provenance envelope and the vocabularies."""

from __future__ import annotations

from decimal import Decimal
from uuid import uuid4

import pytest
from pydantic import BaseModel, ValidationError

from citycoop.domain.errors import InvalidValueError
from citycoop.domain.values import City, Money, PartialDate, Provenance, Text, validated
from citycoop.domain.vocabulary import FieldOfCooperation, ProjectCategory, normalise_term


class Dated(BaseModel):
    on: PartialDate


class Named(BaseModel):
    name: Text


@pytest.mark.parametrize("on", ["1993", "1993-05", "1993-05-06", "2024-02-29", " 2023-05-05 "])
def test_a_date_may_be_known_to_the_year_the_month_or_the_day(on: str) -> None:
    assert Dated(on=on).on == on.strip()


@pytest.mark.parametrize(
    ("on", "problem"),
    [
        ("2023-02-30", "is not a valid date"),
        ("2023-02-29", "is not a valid date"),
        ("1993-13", "is not a valid date"),
        ("1993-00", "is not a valid date"),
        ("93", "must be a year (1993), a month (1993-05) or a date (1993-05-06)"),
        ("1993-5-6", "must be a year"),
        ("6 May 1993", "must be a year"),
        ("1993-05-06T10:00", "must be a year"),
    ],
)
def test_an_impossible_or_malformed_date_is_refused(on: str, problem: str) -> None:
    with pytest.raises(InvalidValueError, match=r"^on: ") as refusal:
        validated(Dated, on=on)
    assert problem in refusal.value.problem


def test_partial_dates_sort_in_time_order_as_text() -> None:
    assert sorted(["2023-05-05", "1993", "2023", "1993-05"]) == ["1993", "1993-05", "2023", "2023-05-05"]


@pytest.mark.parametrize("name", ["", "   ", "Wuxi\x07", "Wuxi\nSingapore", "Wu\rxi", "x" * 501])
def test_text_must_be_one_printable_line_of_sensible_length(name: str) -> None:
    with pytest.raises(ValidationError):
        Named(name=name)


def test_text_is_stripped_and_may_hold_a_tab() -> None:
    assert Named(name="  Wuxi\tSingapore  ").name == "Wuxi\tSingapore"


def test_a_city_state_prints_once_and_other_cities_with_their_country() -> None:
    assert str(City(name="Singapore", country="Singapore")) == "Singapore"
    assert str(City(name="Wuxi", country="China")) == "Wuxi, China"


def test_a_city_is_identified_by_wikidata_when_known_and_by_name_and_country_otherwise() -> None:
    assert City(name="Wuxi", country="China", wikidata_id="Q167628").key == "Q167628"
    assert City(name="Wuxi", country="China").key == City(name="WUXI", country="china").key


@pytest.mark.parametrize("wikidata_id", ["167628", "Q0", "q167628", "Q-1"])
def test_a_malformed_wikidata_id_is_refused(wikidata_id: str) -> None:
    with pytest.raises(InvalidValueError, match=r"^wikidata_id: "):
        validated(City, name="Wuxi", country="China", wikidata_id=wikidata_id)


def test_money_keeps_an_exact_decimal_amount_with_its_currency() -> None:
    invested = Money(amount=Decimal("16400000000.00"), currency="USD")
    assert invested.amount == Decimal("16.4e9")
    assert str(invested) == "USD 16,400,000,000.00"


@pytest.mark.parametrize(
    ("amount", "currency", "field"),
    [("-1", "USD", "amount"), ("0.00001", "USD", "amount"), ("1", "usd", "currency"), ("1", "US$", "currency")],
)
def test_money_refuses_negative_amounts_excess_precision_and_unknown_currency_codes(
    amount: str, currency: str, field: str
) -> None:
    with pytest.raises(InvalidValueError) as refusal:
        validated(Money, amount=amount, currency=currency)
    assert refusal.value.field == field


def test_provenance_names_the_actor_and_the_command_it_belongs_to() -> None:
    correlation_id = uuid4()
    envelope = Provenance(actor="clerk-li", source="PRNewswire", correlation_id=correlation_id)
    assert envelope.about("2023-05-05").business_date == "2023-05-05"
    assert envelope.about("2023-05-05").correlation_id == correlation_id
    dated = envelope.model_copy(update={"business_date": "2023-05-06"})
    assert dated.about("2023-05-05").business_date == "2023-05-06"
    assert envelope.about(None).business_date is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"actor": ""}, "actor"),
        ({"business_date": "2023-02-30"}, "business_date"),
        ({"idempotency_key": " "}, "idempotency_key"),
    ],
)
def test_a_provenance_without_an_actor_or_with_a_bad_date_is_refused(changes: dict[str, str], field: str) -> None:
    with pytest.raises(InvalidValueError) as refusal:
        validated(Provenance, **({"actor": "clerk-li", "correlation_id": uuid4()} | changes))
    assert refusal.value.field == field


@pytest.mark.parametrize(
    "spelling",
    ["Science and Technology", "science_and_technology", "  SCIENCE AND TECHNOLOGY ", "science-and-technology"],
)
def test_science_and_technology_in_any_spelling_is_one_field_of_cooperation(spelling: str) -> None:
    assert FieldOfCooperation(normalise_term(spelling)) is FieldOfCooperation.SCIENCE_AND_TECHNOLOGY


def test_normalising_leaves_anything_but_text_alone() -> None:
    assert normalise_term(3) == 3


def test_project_categories_are_a_closed_set() -> None:
    assert {"strategic", "industrial"} <= {category.value for category in ProjectCategory}
    with pytest.raises(ValueError, match="friendship"):
        ProjectCategory("friendship")


def test_an_amount_given_as_16_4e9_is_kept_written_in_full() -> None:
    invested = validated(Money, amount="16.4e9", currency="USD")
    assert str(invested) == "USD 16,400,000,000"
    assert invested.model_dump(mode="json")["amount"] == "16400000000"


def test_a_value_but_some_fields_is_the_value_model_copy_makes() -> None:
    base = validated(Provenance, actor="clerk-li", source="a source", correlation_id=uuid4())
    changed = base.but(idempotency_key="k", source="another")
    copied = base.model_copy(update={"idempotency_key": "k", "source": "another"})

    assert changed == copied
    assert hash(changed) == hash(copied)
    assert changed.model_fields_set == copied.model_fields_set
    assert changed.model_dump() == copied.model_dump()
    assert base.idempotency_key is None  # the value it was made from is as it was
