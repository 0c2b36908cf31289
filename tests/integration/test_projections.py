"""Projections on both stores: the founding story as the read models tell it,
caught up exactly once, rebuilt blue/green, and as of a past position."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from citycoop.adapters.application import CityCoop
from citycoop.adapters.importing import record_demo
from citycoop.adapters.projections import ReadModels, catch_up, read_models_as_of, rebuild
from citycoop.domain.errors import NotFoundError


@pytest.fixture
def founding_story(app: CityCoop) -> list[UUID]:
    return record_demo(app, actor="clerk-li")


def test_the_summary_of_the_founding_story_reads_as_the_press_release(
    app: CityCoop, founding_story: list[UUID]
) -> None:
    assert catch_up(app) == 8
    summary = ReadModels(app).partnership(founding_story[0])
    assert summary.name == "Wuxi–Singapore"
    assert summary.since == "1993"
    assert summary.projects_by_category == {"strategic": 3, "industrial": 10}
    assert summary.projects_total == 13
    [signings] = summary.signings
    assert (signings.held_on, signings.projects_total) == ("2023-05-05", 13)
    assert summary.investment is not None
    assert summary.investment.enterprises == 700
    assert summary.investment.amount.amount == Decimal("16400000000")
    assert summary.investment.amount.currency == "USD"
    assert summary.investment.as_of == "2023-05-05"
    assert summary.conferences == 1
    assert summary.last_activity == "2023-05-05"


def test_catching_up_twice_applies_nothing_twice(app: CityCoop, founding_story: list[UUID]) -> None:
    catch_up(app)
    first = ReadModels(app).partnership(founding_story[0])
    assert catch_up(app) == 8
    assert ReadModels(app).partnership(founding_story[0]) == first


def test_an_unknown_partnership_is_not_found(app: CityCoop, founding_story: list[UUID]) -> None:
    catch_up(app)
    unknown = uuid4()
    with pytest.raises(NotFoundError, match=f"id: no partnership {unknown} is on record"):
        ReadModels(app).partnership(unknown)


def test_the_read_models_as_of_a_position_leave_out_what_came_later(app: CityCoop, founding_story: list[UUID]) -> None:
    catch_up(app)
    before_the_signings = read_models_as_of(app, 4).partnership(founding_story[0])
    assert before_the_signings.projects_total == 0
    assert before_the_signings.investment is None
    assert ReadModels(app).partnership(founding_story[0]).projects_total == 13


def test_a_rebuild_gives_readers_the_same_summary(app: CityCoop, founding_story: list[UUID]) -> None:
    catch_up(app)
    live = ReadModels(app).partnerships()
    assert rebuild(app) == 8
    assert ReadModels(app).partnerships() == live
