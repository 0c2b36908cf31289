"""What each command does: load the records it touches, call the domain, and
leave the new events with the unit of work. Nothing here writes; the
application service saves a unit of work in one transaction."""

from __future__ import annotations

from collections.abc import Callable
from functools import singledispatch
from typing import TypeVar
from uuid import UUID, uuid4, uuid5

from ...domain.aggregate import Aggregate
from ...domain.agreement import Agreement
from ...domain.conference import Conference
from ...domain.errors import (
    AgreementExistsError,
    ConferenceNotHeldError,
    ConferenceOfAnotherPartnershipError,
    PartnershipExistsError,
)
from ...domain.partnership import Partnership
from ...domain.values import City, Provenance, validated
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
    NameProject,
    ReportInvestment,
    SignProjects,
)
from .unit_of_work import RECORD_NAMES, UnitOfWork

A = TypeVar("A", bound=Aggregate)


@singledispatch
def handle(command: Command, uow: UnitOfWork, meta: Provenance) -> UUID:
    """Carry out ``command``; return the id of the record it created or changed."""
    raise NotImplementedError(type(command).__name__)


@handle.register
def _(command: EstablishPartnership, uow: UnitOfWork, meta: Provenance) -> UUID:
    city_a = validated(City, **command.city_a.model_dump())
    city_b = validated(City, **command.city_b.model_dump())
    existing = uow.existing(Partnership.id_for(city_a, city_b))
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
def _(command: ChangeStage, uow: UnitOfWork, meta: Provenance) -> UUID:
    return _change(
        uow,
        meta,
        Partnership,
        command.partnership,
        lambda p: p.change_stage(stage=command.stage, on=command.on, meta=meta),
    )


@handle.register
def _(command: AddField, uow: UnitOfWork, meta: Provenance) -> UUID:
    return _change(uow, meta, Partnership, command.partnership, lambda p: p.add_field(field=command.field, meta=meta))


@handle.register
def _(command: ReportInvestment, uow: UnitOfWork, meta: Provenance) -> UUID:
    return _change(
        uow,
        meta,
        Partnership,
        command.partnership,
        lambda p: p.report_investment(
            enterprises=command.enterprises,
            amount=command.amount,
            currency=command.currency,
            as_of=command.as_of,
            meta=meta,
        ),
    )


@handle.register
def _(command: LaunchInitiative, uow: UnitOfWork, meta: Provenance) -> UUID:
    return _change(
        uow,
        meta,
        Partnership,
        command.partnership,
        lambda p: p.launch_initiative(
            name=command.name,
            kind=command.initiative_kind,
            started=command.started,
            description=command.description,
            meta=meta,
        ),
    )


@handle.register
def _(command: ChangeStatus, uow: UnitOfWork, meta: Provenance) -> UUID:
    change = {
        "suspend-partnership": Partnership.suspend,
        "resume-partnership": Partnership.resume,
        "end-partnership": Partnership.end,
    }[command.kind]
    return _change(
        uow,
        meta,
        Partnership,
        command.partnership,
        lambda p: change(p, on=command.on, reason=command.reason, meta=meta),
    )


@handle.register
def _(command: HoldConference, uow: UnitOfWork, meta: Provenance) -> UUID:
    partnership = uow.get(command.partnership, Partnership, "partnership")
    conference_id = uuid5(partnership.id, meta.idempotency_key) if meta.idempotency_key else uuid4()
    existing = uow.existing(conference_id)
    if existing is not None:
        return existing.id
    partnership.guard_may_record()
    conference = Conference.hold(
        id=conference_id,
        partnership_id=partnership.id,
        title=command.title,
        held_on=command.held_on,
        host_city=command.host_city,
        attendance=command.attendance,
        attendance_is_approximate=command.attendance_is_approximate,
        organizations=command.organizations,
        speakers=tuple(speaker.model_dump() for speaker in command.speakers),
        meta=meta,
    )
    return uow.track(conference).id


@handle.register
def _(command: IntroduceProject, uow: UnitOfWork, meta: Provenance) -> UUID:
    return _change(
        uow,
        meta,
        Conference,
        command.conference,
        lambda c: c.introduce_project(name=command.name, description=command.description, meta=meta),
    )


@handle.register
def _(command: SignProjects, uow: UnitOfWork, meta: Provenance) -> UUID:
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
    agreement = Agreement.sign(
        partnership_id=partnership.id,
        conference_id=conference.id,
        category=command.category,
        count=command.count,
        signed_on=command.signed_on or conference.state.held_on,
        meta=meta,
    )
    return uow.track(agreement).id


@handle.register
def _(command: NameProject, uow: UnitOfWork, meta: Provenance) -> UUID:
    return _change(
        uow,
        meta,
        Agreement,
        command.agreement,
        lambda a: a.name_project(
            name=command.name, parties=command.parties, description=command.description, meta=meta
        ),
    )


@handle.register
def _(command: ChangeAgreementStatus, uow: UnitOfWork, meta: Provenance) -> UUID:
    return _change(
        uow,
        meta,
        Agreement,
        command.agreement,
        lambda a: a.change_status(status=command.status, on=command.on, meta=meta),
    )


@handle.register
def _(command: CorrectFact, uow: UnitOfWork, meta: Provenance) -> UUID:
    return _change(
        uow,
        meta,
        Aggregate,
        command.record,
        lambda record: record.correct(
            corrects_version=command.corrects_version,
            field=command.field,
            value=command.value,
            reason=command.reason,
            meta=meta,
        ),
    )


def _change(uow: UnitOfWork, meta: Provenance, kind: type[A], reference: str, act: Callable[[A], None]) -> UUID:
    """Load the record of ``kind`` that ``reference`` names, refuse if its
    partnership has ended, let ``act`` change it, and leave its new events with
    the unit of work. The field a missing record is reported under is named for
    its kind (``partnership``, ``agreement``, ...), as the commands name it."""
    record = uow.get(reference, kind, RECORD_NAMES[kind])
    _guard_partnership_of(record, uow, meta)
    act(record)
    return uow.track(record).id


def _guard_partnership_of(record: Aggregate, uow: UnitOfWork, meta: Provenance) -> None:
    """Refuse a change to a record of an ended partnership, unless it is the
    retry of a change recorded before: a retry answers as the first attempt did."""
    if not record.has_applied(meta):
        uow.get(str(record.partnership_id), Partnership, "partnership").guard_may_record()
