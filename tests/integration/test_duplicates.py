"""A store in which an earlier release recorded one pair of cities twice,
once per spelling of São Paulo's accents, gets an explicit, append-only
answer on both stores: the second is marked the duplicate of the first
(``mark-duplicate``), its summary says so, the city directory counts the
pair once, and nothing more is recorded on it. Marking is refused when the
cities differ once composed and folded, or when either is a duplicate
already, and a refusal writes nothing."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from uuid import UUID

import pytest

from citycoop.adapters.application.commands import AddField, EstablishPartnership, MarkDuplicate
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.application.steps import Step
from citycoop.adapters.projections import ReadModels, catch_up
from citycoop.domain.errors import DuplicateError
from citycoop.domain.partnership import Partnership
from citycoop.domain.values import City
from tests.recording import established_as_an_earlier_release, record

COMPOSED = "São Paulo"
DECOMPOSED = unicodedata.normalize("NFD", COMPOSED)
OSAKA = {"name": "Osaka", "country": "Japan"}


def recorded_twice(app: CityCoop) -> tuple[UUID, UUID]:
    """Osaka–São Paulo as an earlier release could hold it: once under the id
    the decomposed spelling gave, once under the composed one's."""
    ids = []
    for sao_paulo, key_of in ((DECOMPOSED, "decomposed_key"), (COMPOSED, "key")):
        cities = (City(**OSAKA), City(name=sao_paulo, country="Brazil"))
        ids.append(established_as_an_earlier_release(app, cities, key_of))
    original, duplicate = ids
    assert original != duplicate
    return original, duplicate


def marked(app: CityCoop, duplicate: UUID, original: UUID, key: str | None = None) -> UUID:
    command = MarkDuplicate.validated(partnership=str(duplicate), of=str(original))
    return record(app, command, app.provenance("auditor-tan", source="Register review", key=key))


@pytest.fixture
def events(app: CityCoop) -> Callable[[], int]:
    return lambda: app.recorder.max_notification_id() or 0


def test_a_pair_recorded_twice_is_counted_once_after_the_second_is_marked_a_duplicate(app: CityCoop) -> None:
    original, duplicate = recorded_twice(app)
    catch_up(app)
    [before] = [city for city in ReadModels(app).cities() if city.country == "Brazil"]
    assert len(before.partners) == 2

    assert marked(app, duplicate, original) == duplicate
    catch_up(app)

    read_models = ReadModels(app)
    [sao_paulo] = [city for city in read_models.cities() if city.country == "Brazil"]
    [osaka] = [city for city in read_models.cities() if city.country == "Japan"]
    assert [partner.partnership_id for partner in sao_paulo.partners] == [original]
    assert [partner.partnership_id for partner in osaka.partners] == [original]
    assert read_models.partnership(duplicate).duplicate_of == original
    assert read_models.partnership(original).duplicate_of is None
    assert app.get_record(duplicate).state.duplicate_of == original


def test_the_mark_keeps_who_marked_it_and_from_what_source(app: CityCoop) -> None:
    original, duplicate = recorded_twice(app)
    marked(app, duplicate, original)

    [event] = [e for e in app.repository.event_store.get(duplicate) if isinstance(e, Partnership.MarkedDuplicate)]

    assert (event.of, event.meta.actor, event.meta.source) == (original, "auditor-tan", "Register review")


def test_nothing_more_is_recorded_on_a_duplicate(app: CityCoop, events: Callable[[], int]) -> None:
    original, duplicate = recorded_twice(app)
    marked(app, duplicate, original)
    logged = events()

    with pytest.raises(DuplicateError, match=rf"^partnership: {duplicate} is the duplicate of {original}"):
        record(app, AddField.validated(partnership=str(duplicate), field="finance"), app.provenance("clerk-li"))
    assert events() == logged


def test_partnerships_of_other_cities_are_not_duplicates(app: CityCoop, events: Callable[[], int]) -> None:
    original, _ = recorded_twice(app)
    lisbon = record(
        app,
        EstablishPartnership.validated(city_a={"name": "Lisbon", "country": "Portugal"}, city_b=OSAKA, since="1980"),
        app.provenance("clerk-li"),
    )
    logged = events()

    with pytest.raises(
        DuplicateError, match=r"^of: Osaka–S.+ is not a partnership of the same cities as Lisbon–Osaka$"
    ):
        marked(app, lisbon, original)
    with pytest.raises(DuplicateError, match=r"^of: a partnership cannot be the duplicate of itself"):
        marked(app, original, original)
    assert events() == logged


def test_a_duplicate_is_not_marked_again_nor_made_an_original(app: CityCoop, events: Callable[[], int]) -> None:
    original, duplicate = recorded_twice(app)
    marked(app, duplicate, original)
    logged = events()

    with pytest.raises(DuplicateError, match=rf"^partnership: {duplicate} is already marked the duplicate"):
        marked(app, duplicate, original)
    with pytest.raises(DuplicateError, match=rf"^of: {duplicate} is already marked the duplicate"):
        marked(app, original, duplicate)
    assert events() == logged


def test_the_mark_given_again_with_its_key_records_nothing_new(app: CityCoop, events: Callable[[], int]) -> None:
    original, duplicate = recorded_twice(app)
    marked(app, duplicate, original, key="review/osaka-sao-paulo")
    logged = events()

    assert marked(app, duplicate, original, key="review/osaka-sao-paulo") == duplicate
    assert events() == logged


def test_an_import_can_mark_the_duplicate(app: CityCoop) -> None:
    original, duplicate = recorded_twice(app)
    command = MarkDuplicate.validated(partnership=str(duplicate), of=str(original))

    app.execute([Step(command, app.provenance("auditor-tan"))])

    assert app.get_record(duplicate).state.duplicate_of == original
