"""What each command does: load the records it touches, call the domain, and
leave the new events with the unit of work. Nothing here writes; the
application service saves a unit of work in one transaction.

A conference's and an agreement's classes are imported by the handlers that
make or check them (see ``unit_of_work``): a command on a partnership loads
neither."""

from __future__ import annotations

from collections.abc import Callable
from functools import singledispatch
from typing import Any
from uuid import UUID, uuid4, uuid5

from pydantic import ValidationError

from ...domain.aggregate import Aggregate
from ...domain.dates import business_dates, date_in_correction, guard_not_before, is_before
from ...domain.errors import (
    AgreementExistsError,
    ConferenceNotHeldError,
    ConferenceOfAnotherPartnershipError,
    DateOrderError,
    PartnershipExistsError,
)
from ...domain.partnership import Partnership
from ...domain.values import Provenance
from ...domain.vocabulary import ProjectCategory
from .commands import (
    AddField,
    ChangeAgreementStatus,
    ChangeStage,
    ChangeStatus,
    Command,
    CorrectFact,
    EstablishPartnership,
    HoldConference,
    IntroduceProject,
    LaunchInitiative,
    MarkDuplicate,
    NameProject,
    ReportInvestment,
    SignProjects,
)
from .unit_of_work import UnitOfWork, record_class


@singledispatch
def handle(command: Command, uow: UnitOfWork, meta: Provenance) -> UUID:
    """Carry out ``command``; return the id of the record it created or changed."""
    raise NotImplementedError(type(command).__name__)


@handle.register
def _(command: EstablishPartnership, uow: UnitOfWork, meta: Provenance) -> UUID:
    city_a, city_b = command.city_a, command.city_b
    existing = next(filter(None, map(uow.existing, Partnership.ids_for(city_a, city_b))), None)
    if existing is not None:
        if existing.has_applied(meta):
            return existing.id
        raise PartnershipExistsError(f"cities: {city_a} and {city_b} already have a partnership on record")
    partnership = Partnership.establish(
        city_a=city_a,
        city_b=city_b,
        since=command.since,
        stage=command.stage,
        fields=command.fields,
        meta=meta,
    )
    return uow.track(partnership).id


@handle.register
def _(command: HoldConference, uow: UnitOfWork, meta: Provenance) -> UUID:
    from ...domain.conference import Conference

    partnership = uow.get(command.partnership, Partnership, "partnership")
    conference_id = uuid5(partnership.id, meta.idempotency_key) if meta.idempotency_key else uuid4()
    existing = uow.existing(conference_id)
    if existing is not None:
        existing.has_applied(meta)  # refuses the key given before to another command
        return existing.id
    partnership.guard_may_record()
    partnership.guard_dated_after_it_began("held_on", command.held_on)
    conference = Conference.hold(id=conference_id, partnership_id=partnership.id, meta=meta, **command.stated())
    return uow.track(conference).id


@handle.register
def _(command: SignProjects, uow: UnitOfWork, meta: Provenance) -> UUID:
    from ...domain.agreement import Agreement
    from ...domain.conference import Conference

    partnership = uow.get(command.partnership, Partnership, "partnership")
    conference_id = uow.resolve(command.conference, "conference")
    conference = uow.find(conference_id)
    if not isinstance(conference, Conference):
        raise ConferenceNotHeldError(f"conference: no conference {command.conference!r} was ever held")
    if conference.state.partnership_id != partnership.id:
        raise ConferenceOfAnotherPartnershipError(
            f"conference: {conference.state.title!r} was held for another partnership, not {partnership.name}"
        )
    existing = uow.existing(Agreement.id_for(conference.id, command.category))
    if existing is not None:
        if existing.has_applied(meta):
            return existing.id
        raise AgreementExistsError(
            f"category: the {command.category} projects signed at {conference.state.title!r} are on record"
            " already; correct their count instead"
        )
    partnership.guard_may_record()
    signed_on = command.signed_on or conference.state.held_on
    guard_not_before("signed_on", signed_on, conference.state.held_on, "the conference was held")
    partnership.guard_dated_after_it_began("signed_on", signed_on)
    agreement = Agreement.sign(
        partnership_id=partnership.id,
        conference_id=conference.id,
        category=command.category,
        count=command.count,
        count_qualifier=command.count_qualifier,
        signed_on=signed_on,
        meta=meta,
    )
    return uow.track(agreement).id


@handle.register
def _(command: MarkDuplicate, uow: UnitOfWork, meta: Provenance) -> UUID:
    duplicate = uow.get(command.partnership, Partnership, "partnership")
    original = uow.get(command.of, Partnership, "of")
    duplicate.mark_duplicate_of(original, meta=meta)
    return uow.track(duplicate).id


_STATUS_CHANGES = {
    "suspend-partnership": Partnership.suspend,
    "resume-partnership": Partnership.resume,
    "end-partnership": Partnership.end,
}

_CHANGES: dict[type[Command], Callable[[Any, Any, Provenance], None]] = {
    ChangeStage: lambda command, partnership, meta: partnership.change_stage(
        stage=command.stage, on=command.on, meta=meta
    ),
    AddField: lambda command, partnership, meta: partnership.add_field(field=command.field, meta=meta),
    ReportInvestment: lambda command, partnership, meta: partnership.report_investment(command.figures(), meta=meta),
    LaunchInitiative: lambda command, partnership, meta: partnership.launch_initiative(command.initiative(), meta=meta),
    ChangeStatus: lambda command, partnership, meta: _STATUS_CHANGES[command.kind](
        partnership, on=command.on, reason=command.reason, meta=meta
    ),
    IntroduceProject: lambda command, conference, meta: conference.introduce_project(command.project(), meta=meta),
    NameProject: lambda command, agreement, meta: agreement.name_project(command.project(), meta=meta),
    ChangeAgreementStatus: lambda command, agreement, meta: agreement.change_status(
        status=command.status, on=command.on, meta=meta
    ),
    CorrectFact: lambda command, record, meta: record.correct(
        corrects_version=command.corrects_version,
        field=command.field,
        value=command.value,
        reason=command.reason,
        meta=meta,
    ),
}
"""What each command that changes a record does to it. The record is the one
its first reference names (``partnership``, ``conference``, ``agreement`` or,
for a correction, any ``record``)."""


def _change(command: Command, uow: UnitOfWork, meta: Provenance) -> UUID:
    """Load the record the command names, refuse if its partnership has ended,
    change it, and leave its new events with the unit of work. A missing record
    is reported under the field that named it, as the command names it."""
    field = command.references[0]
    record = uow.get(getattr(command, field), record_class(field), field)
    _guard_partnership_of(record, uow, meta)
    if isinstance(command, CorrectFact) and not record.has_applied(meta):
        _guard_corrected_date(command, record, uow)
    _CHANGES[type(command)](command, record, meta)
    return uow.track(record).id


for _command_class in _CHANGES:
    handle.register(_command_class)(_change)


def _guard_corrected_date(command: CorrectFact, record: Aggregate, uow: UnitOfWork) -> None:
    """Refuse a conference's or an agreement's date corrected to before the
    record it belongs to began, a conference's to after its signings, or a
    partnership's ``since`` to after anything dated in it. (What a record's
    own dates must not precede, it checks itself.)"""
    from ...domain.agreement import Agreement
    from ...domain.conference import Conference

    date = date_in_correction(command.field, command.value)
    if date is None:
        return
    if isinstance(record, Partnership):
        if command.field == "since" and _is_a_date(record, date):
            _guard_began_before_its_records(date, record, uow)
        return
    uow.get(str(record.partnership_id), Partnership, "partnership").guard_dated_after_it_began("value", date)
    if isinstance(record, Conference):
        for category in ProjectCategory:
            agreement = uow.find(Agreement.id_for(record.id, category))
            if isinstance(agreement, Agreement) and is_before(agreement.state.signed_on, date):
                raise DateOrderError(
                    f"value: the conference cannot have been held on {date}, after its {category} projects"
                    f" were signed ({agreement.state.signed_on})"
                )
    if isinstance(record, Agreement):
        conference = uow.find(record.state.conference_id)
        if isinstance(conference, Conference):
            guard_not_before("value", date, conference.state.held_on, "the conference was held")


def _is_a_date(partnership: Partnership, value: str) -> bool:
    """Whether ``value`` is a ``since`` at all; if not, the correction says so."""
    try:
        partnership.fact_adapter("since").validate_python(value)
    except ValidationError:
        return False
    return True


def _guard_began_before_its_records(since: str, partnership: Partnership, uow: UnitOfWork) -> None:
    """Refuse a partnership's ``since`` corrected to after anything dated in
    it: its own events (a change of stage or status, figures, an initiative),
    its conferences and what was signed at them, as they are dated now
    (corrections applied). A partnership does not know its conferences, so
    they are looked up in the log."""
    from ...domain.agreement import Agreement

    records: list[Aggregate] = [partnership]
    for conference in uow.conferences_of(partnership):
        signings = (uow.find(Agreement.id_for(conference.id, category)) for category in ProjectCategory)
        records += [conference, *(signing for signing in signings if isinstance(signing, Agreement))]
    for record in records:
        events = uow.events_of(record)
        dated = business_dates(events)
        for event in events:
            date = dated[event.originator_version]
            if (record is partnership and event.originator_version == 1) or isinstance(event, Aggregate.Corrected):
                continue  # the fact corrected; a correction is dated as what it corrects
            if date is not None and is_before(date, since):
                raise DateOrderError(
                    f"value: the partnership cannot have begun on {since}, after {_what(event, record)} ({date})"
                )


_WHAT: dict[str, Callable[[Any, Any], str]] = {
    "Conference.Held": lambda _event, conference: f"the conference {conference.state.title!r}",
    "Agreement.Signed": lambda _event, agreement: f"the signing of its {agreement.state.category} projects",
    "Agreement.StatusChanged": lambda event, agreement: (
        f"its {agreement.state.category} projects became {event.status}"
    ),
    "Partnership.StageChanged": lambda event, _partnership: f"its change of stage to {event.stage}",
    "Partnership.StatusChanged": lambda event, _partnership: f"it became {event.status}",
    "Partnership.InvestmentReported": lambda _event, _partnership: "its investment figures",
    "Partnership.InitiativeLaunched": lambda event, _partnership: event.initiative.name,
}
"""What each dated event of a partnership's records says happened, as a
refusal names it, by the event's class (``Record.Event``, named rather than
given, so that the records' classes are not imported for it)."""


def _what(event: Aggregate.Event, record: Aggregate) -> str:
    describe = _WHAT.get(type(event).__qualname__)
    return describe(event, record) if describe else type(event).__name__


def _guard_partnership_of(record: Aggregate, uow: UnitOfWork, meta: Provenance) -> None:
    """Refuse a change to a record of an ended partnership, unless it is the
    retry of a change recorded before: a retry answers as the first attempt did."""
    if not record.has_applied(meta):
        uow.get(str(record.partnership_id), Partnership, "partnership").guard_may_record()
