"""``run_all --keep-stores``: a store filled once is measured again by later
runs without importing the history again (a million events take minutes),
and one that does not hold the history of its size is not measured."""

from __future__ import annotations

import random
from pathlib import Path

import psycopg

from benchmarks import run_all
from benchmarks.measures import postgres_url_and_schema
from benchmarks.run_all import TASKS
from citycoop.adapters.application.commands import EstablishPartnership
from citycoop.adapters.application.service import CityCoop
from tests.recording import record

TROMSO = {"name": "Tromsø", "country": "Norway"}
HOBART = {"name": "Hobart", "country": "Australia"}
SUVA = {"name": "Suva", "country": "Fiji"}
"""Pairs no generated history holds: one more event on any kept store each."""


def test_a_kept_store_is_filled_once_then_measured_as_it_is_while_it_holds_its_size(store: str, tmp_path: Path) -> None:
    kind = "postgres" if store.startswith("postgresql://") else "sqlite"
    base_url = postgres_url_and_schema(store)[0] if kind == "postgres" else None
    # The kept schemas are named by size: one no other run of this test is likely to take.
    size = random.Random().randrange(200, 999)
    schema = f"bench_{size}_kept"
    try:

        def imported() -> run_all.Outcome:
            (outcome,) = run_all.run(
                sizes=[size],
                kinds=[kind],
                workdir=tmp_path,
                postgres_url=base_url,
                tasks=[TASKS[0]],
                oneoffs=1,
                progress=False,
                keep=True,
            )
            return outcome

        first, second = imported(), imported()

        assert first.not_measured is None
        assert first.measurements[0].details["events"] == size
        assert not second.measurements
        assert second.not_measured == f"a store kept with {size:,} events"
        if kind == "sqlite":
            assert (tmp_path / f"sqlite-{size}" / "citycoop.db").exists()
        kept = str(tmp_path / f"sqlite-{size}" / "citycoop.db") if kind == "sqlite" else f"{base_url}?schema={schema}"
        with CityCoop(kept) as app:
            one_more = EstablishPartnership.validated(city_a=TROMSO, city_b=HOBART, since="2001")
            record(app, one_more, app.provenance("clerk-li"))
        assert imported().not_measured == (
            f"the store kept holds {size + 1:,} events, not {size:,} (an import cut short?): remove it"
        )
        with CityCoop(kept) as app:
            another = EstablishPartnership.validated(city_a=TROMSO, city_b=SUVA, since="2002")
            record(app, another, app.provenance("clerk-li"))
        assert imported().not_measured == f"a store kept with {size + 2:,} events", (
            "a warm-up and one one-off command recorded by an earlier run"
        )
    finally:
        if base_url is not None:
            with psycopg.connect(base_url, autocommit=True) as connection:
                for suffix in ("", "_recorder", "_plain"):
                    connection.execute(f"DROP SCHEMA IF EXISTS {schema}{suffix} CASCADE")
