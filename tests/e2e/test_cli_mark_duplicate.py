"""``citycoop record mark-duplicate``, on both stores: a pair of cities that
an earlier release recorded twice (once per spelling of São Paulo) is marked
once, with the clerk's provenance; ``partnerships`` then shows the second as
the duplicate of the first and ``cities`` counts the pair once. Marking two
partnerships of different cities is refused in one line, writing nothing."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from uuid import UUID

from cli_harness import citycoop

from citycoop.adapters.application.service import CityCoop
from citycoop.domain.values import City
from tests.recording import established_as_an_earlier_release

OSAKA = City(name="Osaka", country="Japan")
SAO_PAULO = "São Paulo"


def recorded_twice(store: str) -> tuple[UUID, UUID]:
    """Osaka–São Paulo under both ids an earlier release could give it."""
    app = CityCoop(store)
    try:
        ids = []
        for form, key_of in (("NFD", "decomposed_key"), ("NFC", "key")):
            cities = (OSAKA, City(name=unicodedata.normalize(form, SAO_PAULO), country="Brazil"))
            ids.append(established_as_an_earlier_release(app, cities, key_of))
    finally:
        app.close()
    return ids[0], ids[1]


def test_the_second_record_of_a_pair_is_marked_and_counted_once(store: str) -> None:
    original, duplicate = recorded_twice(store)

    outcome = citycoop(
        store,
        *("--source", "Register review", "record", "mark-duplicate"),
        *("--partnership", str(duplicate), "--of", str(original)),
    )

    assert outcome.code == 0, outcome.stderr
    assert outcome.stdout.strip() == str(duplicate)
    listed = citycoop(store, "partnerships").stdout
    assert sum("(duplicate)" in line for line in listed.splitlines()) == 1
    summary = json.loads(citycoop(store, "--json", "partnerships", str(duplicate)).stdout)
    assert summary["duplicate_of"] == str(original)
    cities = json.loads(citycoop(store, "--json", "cities").stdout)
    [sao_paulo] = [city for city in cities if city["country"] == "Brazil"]
    assert [partner["partnership_id"] for partner in sao_paulo["partners"]] == [str(original)]
    history = json.loads(citycoop(store, "--json", "history", str(duplicate)).stdout)
    assert "Register review" in json.dumps(history)


def test_partnerships_of_other_cities_are_not_marked(store: str, events_table: Callable[[], list]) -> None:
    original, _ = recorded_twice(store)
    lisbon = citycoop(
        store,
        *("record", "establish-partnership", "--city", "Lisbon:Portugal", "--city", "Osaka:Japan", "--since", "1980"),
    ).stdout.strip()
    logged = events_table()

    outcome = citycoop(store, "record", "mark-duplicate", "--partnership", lisbon, "--of", str(original))

    assert outcome.code == 1
    assert outcome.error.startswith("Error: of: Osaka–S"), outcome.error
    assert "is not a partnership of the same cities as Lisbon–Osaka" in outcome.error
    assert events_table() == logged
