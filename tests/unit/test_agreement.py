"""Projects signed at a conference: counts that names fill in, never double-counted."""

from __future__ import annotations

import unicodedata

import pytest

from citycoop.domain.agreement import Agreement
from citycoop.domain.conference import Conference
from citycoop.domain.errors import InvalidValueError, ProjectAlreadyNamedError, ProjectCountExceededError
from citycoop.domain.vocabulary import AgreementStatus, ProjectCategory


def sign(conference: Conference, meta, category: object, count: object) -> Agreement:
    return Agreement.sign(
        partnership_id=conference.partnership_id,
        conference_id=conference.id,
        category=category,  # type: ignore[arg-type]
        count=count,  # type: ignore[arg-type]
        signed_on=conference.state.held_on,
        meta=meta(),
    )


def test_signing_3_strategic_projects_records_the_count_without_names(conference: Conference, meta) -> None:
    strategic = sign(conference, meta, "strategic", 3)
    assert strategic.state.category is ProjectCategory.STRATEGIC
    assert strategic.state.count == 3
    assert strategic.state.projects == []
    assert strategic.state.status is AgreementStatus.SIGNED
    assert strategic.state.conference_id == conference.id
    assert strategic.partnership_id == conference.partnership_id


def test_one_agreement_per_conference_and_category(conference: Conference, meta) -> None:
    strategic = sign(conference, meta, "strategic", 3)
    industrial = sign(conference, meta, "industrial", 10)
    assert strategic.id != industrial.id
    assert strategic.id == Agreement.id_for(conference.id, ProjectCategory.STRATEGIC)


def test_a_category_in_another_spelling_is_normalised(conference: Conference, meta) -> None:
    assert sign(conference, meta, "Strategic", 3).state.category is ProjectCategory.STRATEGIC


@pytest.mark.parametrize(
    ("category", "count", "field"),
    [
        ("friendship", 3, "category"),
        ("strategic", -3, "count"),
        ("strategic", 0, "count"),
        ("strategic", "three", "count"),
    ],
)
def test_a_signing_outside_the_rules_is_refused_naming_the_field(
    conference: Conference, meta, category: str, count: object, field: str
) -> None:
    with pytest.raises(InvalidValueError) as refusal:
        sign(conference, meta, category, count)
    assert refusal.value.field == field


def test_naming_projects_fills_in_the_count(industrial: Agreement, meta) -> None:
    industrial.name_project(
        {"name": "Changi Airport Group logistics hub", "parties": ("Changi Airport Group",), "description": None},
        meta=meta(),
    )
    (project,) = industrial.state.projects
    assert project.parties == ("Changi Airport Group",)
    assert industrial.state.count == 10


def test_naming_more_projects_than_were_signed_is_refused(conference: Conference, meta) -> None:
    strategic = sign(conference, meta, "strategic", 3)
    for name in ("Innovation City expansion", "SGX listing support", "DHL regional headquarters"):
        strategic.name_project({"name": name, "parties": (), "description": None}, meta=meta())
    with pytest.raises(ProjectCountExceededError, match="all 3 strategic projects of this signing are named"):
        strategic.name_project({"name": "A fourth project", "parties": (), "description": None}, meta=meta())
    assert len(strategic.state.projects) == 3
    assert strategic.version == 4


def test_an_agreement_moves_through_its_statuses_with_dates(industrial: Agreement, meta) -> None:
    industrial.change_status(status="In Progress", on="2024-01", meta=meta())
    assert industrial.state.status is AgreementStatus.IN_PROGRESS
    changed = industrial.pending_events[-1]
    assert isinstance(changed, Agreement.StatusChanged)
    assert changed.meta.business_date == "2024-01"


def test_an_unknown_agreement_status_is_refused(industrial: Agreement, meta) -> None:
    with pytest.raises(InvalidValueError, match=r"^status: "):
        industrial.change_status(status="forgotten", on="2024", meta=meta())


@pytest.mark.parametrize("spelling", ["Changi logistics hub", "  CHANGI LOGISTICS HUB "])
def test_naming_the_same_project_twice_is_refused_so_it_is_not_counted_twice(
    industrial: Agreement, meta, spelling: str
) -> None:
    industrial.name_project({"name": "Changi logistics hub", "parties": (), "description": None}, meta=meta())
    with pytest.raises(
        ProjectAlreadyNamedError, match=rf"^name: '{spelling.strip()}' is named already in this signing$"
    ):
        industrial.name_project(
            {"name": spelling, "parties": ("Changi Airport Group",), "description": None}, meta=meta()
        )
    assert len(industrial.state.projects) == 1


def test_a_project_named_again_with_its_accents_typed_decomposed_is_named_already(industrial: Agreement, meta) -> None:
    industrial.name_project({"name": "Parque Tecnológico de São Paulo"}, meta=meta())

    with pytest.raises(ProjectAlreadyNamedError):
        industrial.name_project({"name": unicodedata.normalize("NFD", "Parque Tecnológico de São Paulo")}, meta=meta())
