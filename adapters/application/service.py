"""The application service: the one door through which the CLI, the feature
steps and the HTTP API record and read citycoop's history."""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Sequence
from decimal import Decimal
from typing import Any, ClassVar, NamedTuple, TypeVar
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.persistence import (
    EventStore,
    IntegrityError,
    Mapper,
    StoredEvent,
)

from ...domain.aggregate import Aggregate
from ...domain.agreement import Agreement
from ...domain.conference import Conference
from ...domain.errors import CityCoopError, ConflictError, NotFoundError
from ...domain.partnership import Partnership
from ...domain.values import Provenance, validated
from ..storage.chain import Chain, unsealed
from ..storage.codec import PydanticMapper
from ..storage.errors import translated_store_errors
from ..storage.event_store import ChainedEventStore
from ..storage.location import StoreLocation
from ..storage.sql import StoreSQL, sql_of
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
from .handlers import handle
from .unit_of_work import UnitOfWork

AUDIT_KEY_VARIABLE = "CITYCOOP_AUDIT_KEY"
C = TypeVar("C", bound=Command)
A = TypeVar("A", bound=Aggregate)


class Step(NamedTuple):
    """One command of a batch, with its provenance; ``name`` lets later steps
    refer to the record it creates, ``label`` prefixes its errors."""

    command: Command
    meta: Provenance
    name: str | None = None
    label: str | None = None


class Batch(NamedTuple):
    """What a batch of steps recorded: the id each step wrote to, and how many
    events were new (none when every step had been recorded before)."""

    ids: list[UUID]
    events: int


Progress = Callable[[int], None]


class CityCoop(Application[UUID]):
    """Records commands as events and reconstructs records from them."""

    name = "citycoop"
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {Partnership: 100}

    def __init__(self, store: str | None = None, env: dict[str, str] | None = None) -> None:
        self.location = StoreLocation.from_environment(store)
        key = os.environ.get(AUDIT_KEY_VARIABLE)
        self.chain = Chain(key.encode() if key else None)
        with translated_store_errors(self.location):
            super().__init__(env={**self.location.environment(), **(env or {})})

    def construct_mapper(self) -> Mapper[UUID]:
        return PydanticMapper()

    def construct_event_store(self) -> EventStore[UUID]:
        return ChainedEventStore(mapper=self.mapper, recorder=self.recorder, chain=self.chain, sql=self.sql)

    @property
    def sql(self) -> StoreSQL:
        """The SQL of the store this application opened."""
        return sql_of(self.recorder)

    # Recording -----------------------------------------------------------

    @staticmethod
    def provenance(
        actor: str, source: str | None = None, key: str | None = None, business_date: str | None = None
    ) -> Provenance:
        """The envelope for one command: who, from what source, with what retry key."""
        return validated(
            Provenance,
            actor=actor,
            source=source,
            idempotency_key=key,
            business_date=business_date,
            correlation_id=uuid4(),
        )

    def execute(self, steps: Sequence[Step], *, progress: Progress | None = None) -> list[UUID]:
        """Carry out commands in order and record all their events in one
        transaction: all of them, or, if any is refused, none."""
        return self.execute_batch(steps, progress=progress).ids

    def execute_batch(self, steps: Sequence[Step], *, progress: Progress | None = None) -> Batch:
        """Like ``execute``, and say how many events were recorded; ``progress``
        is called with 1 as each step is carried out (an import shows a bar)."""
        with translated_store_errors(self.location):
            uow, ids = self._carry_out(steps, progress)
            if not uow.pending:
                return Batch(ids, 0)
            try:
                self._save_in_order(uow)
            except IntegrityError:
                if self._is_recorded(uow.pending[0]):
                    return Batch(ids, len(uow.pending))
                raise ConflictError(
                    "record: another writer changed the same record at the same time; nothing was recorded, retry"
                ) from None
        return Batch(ids, len(uow.pending))

    def _carry_out(self, steps: Sequence[Step], progress: Progress | None) -> tuple[UnitOfWork, list[UUID]]:
        """Handle the steps guessing that the records they create are new, check
        every guess with one query, and only if one was wrong (a retried
        command, a re-imported file) handle them again knowing which are new."""
        referenced = _referenced_ids(steps)
        guessing = self._unit_of_work(referenced, guess_new=True)
        ids: list[UUID] = []
        refusal: CityCoopError | None = None
        try:
            ids = self._handle(steps, guessing, progress)
        except CityCoopError as error:
            refusal = error
        on_file = self.sql.existing_ids(guessing.guessed_new) if guessing.guessed_new else set()
        if not on_file:
            if refusal is not None:
                raise refusal
            return guessing, ids
        knowing = self._unit_of_work(referenced | on_file, known_new=guessing.guessed_new - on_file)
        return knowing, self._handle(steps, knowing, None)

    def _unit_of_work(
        self, maybe_on_file: set[UUID], *, guess_new: bool = False, known_new: Collection[UUID] = ()
    ) -> UnitOfWork:
        """A unit of work holding those of ``maybe_on_file`` that are on file,
        read at once, and knowing that the others are not."""
        on_file = self.get_records(maybe_on_file)
        return UnitOfWork(
            self.repository,
            guess_new=guess_new,
            known_new={*known_new, *(maybe_on_file - on_file.keys())},
            records=on_file,
        )

    def get_records(self, record_ids: Collection[UUID]) -> dict[UUID, Aggregate]:
        """Those of the records that are on file, as ``get_record`` gives them
        (each from its latest snapshot and the events after it), read with a
        few queries for all rather than two per record."""
        if not record_ids:
            return {}
        snapshots = (
            self.sql.latest_of_each(record_ids, table=self.snapshots.recorder.events_table_name)  # type: ignore[attr-defined]
            if self.snapshots
            else {}
        )
        after = {
            record_id: snapshots[record_id].originator_version if record_id in snapshots else 0
            for record_id in record_ids
        }
        records: dict[UUID, Any] = {}
        for record_id, snapshot in snapshots.items():
            records[record_id] = self._decoded(snapshot).mutate(None)
        for stored in self.sql.events_after(after):
            record_id = UUID(str(stored.originator_id))
            records[record_id] = self._decoded(stored).mutate(records.get(record_id))
        return records

    def _decoded(self, stored: StoredEvent) -> Any:
        """A stored event or snapshot as its domain object, which can mutate a record."""
        return self.mapper.to_domain_event(stored)

    @staticmethod
    def _handle(steps: Sequence[Step], uow: UnitOfWork, progress: Progress | None) -> list[UUID]:
        ids = []
        for step in steps:
            try:
                record_id = handle(step.command, uow, step.meta)
            except CityCoopError as error:
                if step.label:
                    error.args = (f"{step.label}: {error}",)
                raise
            if step.name is not None:
                uow.names[step.name] = record_id
            ids.append(record_id)
            if progress is not None:
                progress(1)
        return ids

    def _is_recorded(self, event: Aggregate.Event) -> bool:
        """Whether ``event`` itself, byte for byte, is in the log.

        When a connection drops after the server committed but before it said
        so, the library retries the insert and meets its own rows. Those rows
        carry this event's timestamp and correlation id, which no other writer
        has, and a transaction is whole, so finding the first event means the
        whole batch was recorded, once.
        """
        version = event.originator_version
        stored = self.recorder.select_events(event.originator_id, gt=version - 1, lte=version)
        ours = self.mapper.to_stored_event(event).state
        return any(unsealed(row.state) == ours for row in stored)

    def _save_in_order(self, uow: UnitOfWork) -> None:
        """Like ``save()``, but the log keeps the order in which events happened
        across records, where ``save(a, b)`` would put all of a's events first."""
        processing_event: ProcessingEvent[UUID] = ProcessingEvent()
        processing_event.events.extend(uow.pending)  # collect_events() checks a runtime protocol per event: slow
        processing_event.aggregates.update(uow.changed())
        self._record(processing_event)
        self._take_snapshots(processing_event)

    def _one(self, command_class: type[C], meta: Provenance, **fields: Any) -> UUID:
        return self.execute([Step(validated(command_class, **fields), meta)])[0]

    def establish_partnership(
        self,
        *,
        city_a: dict[str, str | None],
        city_b: dict[str, str | None],
        since: str,
        stage: str = "sister-city",
        fields: Sequence[str] = (),
        meta: Provenance,
    ) -> UUID:
        return self._one(
            EstablishPartnership,
            meta,
            city_a=city_a,
            city_b=city_b,
            since=since,
            stage=stage,
            fields=tuple(fields),
        )

    def change_stage(self, partnership_id: UUID, *, stage: str, on: str, meta: Provenance) -> UUID:
        return self._one(ChangeStage, meta, partnership=str(partnership_id), stage=stage, on=on)

    def add_field(self, partnership_id: UUID, *, field: str, meta: Provenance) -> UUID:
        return self._one(AddField, meta, partnership=str(partnership_id), field=field)

    def report_investment(
        self,
        partnership_id: UUID,
        *,
        enterprises: int,
        amount: Decimal | str,
        currency: str,
        as_of: str,
        meta: Provenance,
    ) -> UUID:
        return self._one(
            ReportInvestment,
            meta,
            partnership=str(partnership_id),
            enterprises=enterprises,
            amount=amount,
            currency=currency,
            as_of=as_of,
        )

    def launch_initiative(
        self,
        partnership_id: UUID,
        *,
        name: str,
        kind: str,
        started: str | None = None,
        description: str | None = None,
        meta: Provenance,
    ) -> UUID:
        return self._one(
            LaunchInitiative,
            meta,
            partnership=str(partnership_id),
            name=name,
            initiative_kind=kind,
            started=started,
            description=description,
        )

    def suspend_partnership(self, partnership_id: UUID, *, on: str, reason: str | None, meta: Provenance) -> UUID:
        return self._one(
            ChangeStatus,
            meta,
            kind="suspend-partnership",
            partnership=str(partnership_id),
            on=on,
            reason=reason,
        )

    def resume_partnership(self, partnership_id: UUID, *, on: str, reason: str | None, meta: Provenance) -> UUID:
        return self._one(
            ChangeStatus,
            meta,
            kind="resume-partnership",
            partnership=str(partnership_id),
            on=on,
            reason=reason,
        )

    def end_partnership(self, partnership_id: UUID, *, on: str, reason: str | None, meta: Provenance) -> UUID:
        return self._one(
            ChangeStatus, meta, kind="end-partnership", partnership=str(partnership_id), on=on, reason=reason
        )

    def hold_conference(
        self,
        partnership_id: UUID,
        *,
        title: str,
        held_on: str,
        host_city: str,
        attendance: int | None = None,
        attendance_is_approximate: bool = False,
        organizations: Sequence[str] = (),
        speakers: Sequence[dict[str, str | None]] = (),
        meta: Provenance,
    ) -> UUID:
        return self._one(
            HoldConference,
            meta,
            partnership=str(partnership_id),
            title=title,
            held_on=held_on,
            host_city=host_city,
            attendance=attendance,
            attendance_is_approximate=attendance_is_approximate,
            organizations=tuple(organizations),
            speakers=tuple(speakers),
        )

    def introduce_project(
        self, conference_id: UUID, *, name: str, description: str | None = None, meta: Provenance
    ) -> UUID:
        return self._one(IntroduceProject, meta, conference=str(conference_id), name=name, description=description)

    def sign_projects(
        self,
        partnership_id: UUID,
        conference_id: UUID,
        *,
        category: str,
        count: int,
        signed_on: str | None = None,
        meta: Provenance,
    ) -> UUID:
        return self._one(
            SignProjects,
            meta,
            partnership=str(partnership_id),
            conference=str(conference_id),
            category=category,
            count=count,
            signed_on=signed_on,
        )

    def name_project(
        self,
        agreement_id: UUID,
        *,
        name: str,
        parties: Sequence[str] = (),
        description: str | None = None,
        meta: Provenance,
    ) -> UUID:
        return self._one(
            NameProject,
            meta,
            agreement=str(agreement_id),
            name=name,
            parties=tuple(parties),
            description=description,
        )

    def change_agreement_status(self, agreement_id: UUID, *, status: str, on: str, meta: Provenance) -> UUID:
        return self._one(ChangeAgreementStatus, meta, agreement=str(agreement_id), status=status, on=on)

    def correct(
        self,
        record_id: UUID,
        *,
        corrects_version: int,
        field: str,
        value: object,
        reason: str,
        meta: Provenance,
    ) -> UUID:
        return self._one(
            CorrectFact,
            meta,
            record=str(record_id),
            corrects_version=corrects_version,
            field=field,
            value=value,
            reason=reason,
        )

    # Reading records -------------------------------------------------------

    def get_record(self, record_id: UUID, *, version: int | None = None) -> Aggregate:
        """A partnership, conference or agreement as it is now, or as it was at ``version``."""
        with translated_store_errors(self.location):
            try:
                record: object = self.repository.get(record_id, version=version)
            except AggregateNotFoundError:
                raise NotFoundError(f"id: no record {record_id} is on file") from None
        assert isinstance(record, Aggregate)
        return record

    def get_partnership(self, partnership_id: UUID, *, version: int | None = None) -> Partnership:
        return _of_kind(self.get_record(partnership_id, version=version), Partnership, partnership_id)

    def get_conference(self, conference_id: UUID, *, version: int | None = None) -> Conference:
        return _of_kind(self.get_record(conference_id, version=version), Conference, conference_id)

    def get_agreement(self, agreement_id: UUID, *, version: int | None = None) -> Agreement:
        return _of_kind(self.get_record(agreement_id, version=version), Agreement, agreement_id)


_REFERENCE_FIELDS = ("partnership", "conference", "agreement", "record")
"""The fields by which a command names records it reads or changes."""


def _referenced_ids(steps: Sequence[Step]) -> set[UUID]:
    """The records that the steps name by id (rather than by a local name)."""
    found = set()
    for step in steps:
        for field in _REFERENCE_FIELDS:
            reference = getattr(step.command, field, None)
            if isinstance(reference, str):
                try:
                    found.add(UUID(reference))
                except ValueError:
                    continue
    return found


def _of_kind(record: Aggregate, kind: type[A], record_id: UUID) -> A:
    if not isinstance(record, kind):
        raise NotFoundError(f"id: {record_id} is a {type(record).__name__.lower()}, not a {kind.__name__.lower()}")
    return record
