"""Every event of every record carries the provenance envelope, defined once."""

from __future__ import annotations

import dataclasses

import pytest

from citycoop.domain.aggregate import Aggregate, DomainEvent
from citycoop.domain.agreement import Agreement
from citycoop.domain.conference import Conference
from citycoop.domain.partnership import Partnership
from citycoop.domain.values import Provenance

EVENT_CLASSES = sorted(
    {
        event_class
        for record_class in (Partnership, Conference, Agreement)
        for event_class in vars(record_class).values()
        if isinstance(event_class, type) and issubclass(event_class, DomainEvent)
    },
    key=lambda event_class: event_class.__qualname__,
)


def test_the_three_records_have_the_events_the_founding_story_needs() -> None:
    assert {event_class.__qualname__ for event_class in EVENT_CLASSES} >= {
        "Partnership.Established",
        "Partnership.StageChanged",
        "Partnership.FieldAdded",
        "Partnership.InvestmentReported",
        "Partnership.InitiativeLaunched",
        "Partnership.StatusChanged",
        "Conference.Held",
        "Conference.ProjectIntroduced",
        "Agreement.Signed",
        "Agreement.ProjectNamed",
        "Agreement.StatusChanged",
        *(f"{record_class.__name__}.Corrected" for record_class in (Partnership, Conference, Agreement)),
    }
    assert all(
        issubclass(record_class.Corrected, Aggregate.Corrected) for record_class in (Partnership, Conference, Agreement)
    )


@pytest.mark.parametrize("event_class", EVENT_CLASSES, ids=lambda event_class: event_class.__qualname__)
def test_an_event_cannot_be_made_without_its_provenance(event_class: type[DomainEvent]) -> None:
    field = event_class.model_fields["meta"]
    assert field.annotation is Provenance
    assert field.is_required()


@pytest.mark.parametrize("event_class", EVENT_CLASSES, ids=lambda event_class: event_class.__qualname__)
def test_an_event_is_immutable_and_refuses_unknown_fields(event_class: type[DomainEvent]) -> None:
    assert event_class.model_config.get("frozen") is True
    assert event_class.model_config.get("extra") == "forbid"


@pytest.mark.parametrize("event_class", EVENT_CLASSES, ids=lambda event_class: event_class.__qualname__)
def test_each_event_is_the_class_its_record_declares_not_a_copy_the_library_made(
    event_class: type[DomainEvent],
) -> None:
    # The library makes a second class of an event not derived from its
    # record's own Event, under the same name: a second pydantic model to
    # create at every start.
    record_class = {"Partnership": Partnership, "Conference": Conference, "Agreement": Agreement}[
        event_class.__qualname__.split(".")[0]
    ]
    assert issubclass(event_class, record_class.Event)
    assert [base for base in event_class.__mro__[1:] if base.__qualname__ == event_class.__qualname__] == []


@pytest.mark.parametrize("record_class", [Partnership, Conference, Agreement], ids=lambda record: record.__name__)
def test_a_record_class_is_not_made_a_dataclass_by_the_library(record_class: type[Aggregate]) -> None:
    # The library makes a record class with annotations of its own a
    # dataclass: an __init__ to make at every start, which set the base's
    # state_class on every record.
    assert not dataclasses.is_dataclass(record_class)
    assert record_class.state_class.__name__ == f"{record_class.__name__}State"
