"""Names are compared, and ids derived, in Unicode's composed form: São Paulo
typed with a combining tilde is the São Paulo on record, on both stores. A
store holding a partnership recorded by an earlier release under the
decomposed spelling keeps it, finds it again under either spelling, and its
city directory lists the city once."""

from __future__ import annotations

import unicodedata
from uuid import UUID

import pytest

from citycoop.adapters.application.commands import EstablishPartnership
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.projections import ReadModels, catch_up
from citycoop.domain.errors import PartnershipExistsError, SameCityError
from citycoop.domain.partnership import Partnership
from citycoop.domain.values import City
from tests.recording import established_as_an_earlier_release, record

COMPOSED = "São Paulo"
DECOMPOSED = unicodedata.normalize("NFD", COMPOSED)
OSAKA = {"name": "Osaka", "country": "Japan"}


def establish(app: CityCoop, sao_paulo: str, partner: dict[str, str] = OSAKA) -> UUID:
    command = EstablishPartnership.validated(
        city_a=partner, city_b={"name": sao_paulo, "country": "Brazil"}, since="1969", stage="sister-city"
    )
    return record(app, command, app.provenance("clerk-li", source="Osaka City"))


def recorded_by_an_earlier_release(app: CityCoop, sao_paulo: str, partner: dict[str, str]) -> UUID:
    """A partnership as releases before 0.2 recorded it: its id derived from
    the names folded as typed, without composing them first."""
    cities = (City(**partner), City(name=sao_paulo, country="Brazil"))
    return established_as_an_earlier_release(app, cities, "decomposed_key")


def test_the_two_spellings_of_sao_paulo_are_one_name_as_written_and_as_compared() -> None:
    assert DECOMPOSED != COMPOSED
    assert City(name=DECOMPOSED, country="Brazil").key == City(name=COMPOSED, country="Brazil").key


def test_sao_paulo_typed_decomposed_is_the_partnership_on_record(app: CityCoop, events_table) -> None:
    partnership = establish(app, COMPOSED)
    logged = events_table()

    with pytest.raises(PartnershipExistsError, match="already have a partnership on record"):
        establish(app, DECOMPOSED)

    assert events_table() == logged
    catch_up(app)
    [entry] = [city for city in ReadModels(app).cities() if city.country == "Brazil"]
    assert entry.name == COMPOSED
    assert ReadModels(app).city(DECOMPOSED).key == entry.key
    assert ReadModels(app).partnership(partnership).cities[1].name == COMPOSED


def test_names_are_kept_as_typed(app: CityCoop) -> None:
    partnership = establish(app, DECOMPOSED)

    assert app.get_record(partnership).state.cities[1].name == DECOMPOSED


def test_a_city_and_itself_under_its_other_spelling_are_not_two_cities(app: CityCoop) -> None:
    with pytest.raises(SameCityError):
        establish(app, COMPOSED, partner={"name": DECOMPOSED, "country": "Brazil"})


def test_a_partnership_recorded_decomposed_by_an_earlier_release_is_found_under_either_spelling(
    app: CityCoop, events_table
) -> None:
    old_id = recorded_by_an_earlier_release(app, DECOMPOSED, OSAKA)
    logged = events_table()

    for spelling in (COMPOSED, DECOMPOSED):
        with pytest.raises(PartnershipExistsError):
            establish(app, spelling)

    assert events_table() == logged
    assert old_id not in Partnership.ids_for(City(**OSAKA), City(name=COMPOSED, country="Brazil"))[:1]


def test_a_store_holding_both_spellings_lists_the_city_once_in_its_directory(app: CityCoop) -> None:
    recorded_by_an_earlier_release(app, DECOMPOSED, OSAKA)
    establish(app, COMPOSED, partner={"name": "Lisbon", "country": "Portugal"})

    catch_up(app)

    [sao_paulo] = [city for city in ReadModels(app).cities() if city.country == "Brazil"]
    assert sorted(partner.name for partner in sao_paulo.partners) == ["Lisbon", "Osaka"]
