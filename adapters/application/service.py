"""The application service: records a batch of steps in one transaction,
with idempotency keys and optimistic concurrency, and reconstructs records
from their events. Writers reach it through the write door (``adapters.writes``)."""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.persistence import (
    EventStore,
    IntegrityError,
    Mapper,
    StoredEvent,
)
from eventsourcing.utils import get_topic

from ...domain.aggregate import Aggregate
from ...domain.dates import guard_not_after_today, latest_day
from ...domain.errors import CityCoopError, ConflictError, KeyReusedError, NotFoundError
from ...domain.partnership import Partnership
from ..storage.chain import Chain, unsealed
from ..storage.codec import PydanticMapper
from ..storage.errors import translated_store_errors
from ..storage.event_store import KNOWN_HEADS, ChainedEventStore, Head, Heads
from ..storage.key_check import CHECKED_TEXT, check_audit_key
from ..storage.location import StoreLocation
from ..storage.sql import HasSQL, StoreSQL, sql_of
from .fingerprint import fingerprints
from .handlers import handle
from .steps import Progress, Recorded, Step, provenance
from .unit_of_work import UnitOfWork

AUDIT_KEY_VARIABLE = "CITYCOOP_AUDIT_KEY"


class CityCoop(Application[UUID]):
    """Records commands as events and reconstructs records from them."""

    name = "citycoop"
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {Partnership: 100}

    def __init__(self, store: str | None = None, env: dict[str, str] | None = None) -> None:
        self.location = StoreLocation.from_environment(store)
        key = os.environ.get(AUDIT_KEY_VARIABLE)
        self.chain = Chain(key.encode() if key else None)
        self._audit_key_settled = False
        with translated_store_errors(self.location):
            environment = {**self.location.environment(), **(env or {})}
            if "SQLITE_DBNAME" in environment:
                # An SQLite store is created with its folders on first use.
                Path(environment["SQLITE_DBNAME"]).parent.mkdir(parents=True, exist_ok=True)
            super().__init__(env=environment)
        recorder = self.recorder
        if isinstance(recorder, HasSQL):
            recorder.key_check = self.chain.digest(CHECKED_TEXT)

    def construct_mapper(self) -> Mapper[UUID]:
        return PydanticMapper()

    def construct_event_store(self) -> EventStore[UUID]:
        return ChainedEventStore(mapper=self.mapper, recorder=self.recorder, chain=self.chain, sql=self.sql)

    @property
    def sql(self) -> StoreSQL:
        """The SQL of the store this application opened."""
        return sql_of(self.recorder)

    def check_audit_key(self, *, writing: bool) -> bool:
        """Refuse to write or prove anything with an audit key that is not the
        store's (``storage.key_check``); checked until the store's key is settled.
        True where the store's check row was altered (its first events were
        hashed with this key), for a verification to report."""
        if self._audit_key_settled:
            return False
        found = check_audit_key(self.sql, self.chain, writing=writing)
        self._audit_key_settled = found.settled and not found.altered
        return found.altered

    def holds_events(self) -> bool:
        """Whether the log has at least one event."""
        with translated_store_errors(self.location), self.sql.reading() as c:
            c.execute(f"SELECT 1 FROM {self.sql.events} LIMIT 1")
            return c.fetchone() is not None

    # Recording -----------------------------------------------------------

    provenance = staticmethod(provenance)

    def execute(self, steps: Sequence[Step], *, progress: Progress | None = None) -> list[UUID]:
        """Carry out commands in order and record all their events in one
        transaction: all of them, or, if any is refused, none."""
        return self.execute_batch(steps, progress=progress).ids

    def execute_batch(self, steps: Sequence[Step], *, progress: Progress | None = None) -> Recorded:
        """Like ``execute``, and say what each step wrote to and how many
        events were recorded; ``progress`` is told 1 as each step is carried out."""
        with translated_store_errors(self.location):
            self.check_audit_key(writing=True)
            uow, ids = self._carry_out(steps, progress)
            recorded = Recorded(ids, [uow.kind_of(record_id) for record_id in ids], len(uow.pending))
            if not uow.pending:
                return recorded
            try:
                self._save_in_order(uow)
            except IntegrityError:
                if self._is_recorded(uow.pending[0]):
                    return recorded
                raise ConflictError(
                    "record: another writer changed the same record at the same time; nothing was recorded, retry"
                ) from None
            # The store now holds events appended with this key, and its check.
            self._audit_key_settled = True
        return recorded

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
        on_file, heads = self._read_records(maybe_on_file)
        return UnitOfWork(
            self.repository,
            guess_new=guess_new,
            known_new={*known_new, *(maybe_on_file - on_file.keys())},
            records=on_file,
            heads=heads,
            conferences_on_file=self._conferences_on_file,
        )

    def _conferences_on_file(self, partnership_id: UUID) -> set[UUID]:
        """The ids of the conferences held for a partnership (a scan of the log,
        asked only when a partnership's ``since`` is corrected), and perhaps a
        few others that the caller sets aside."""
        from ...domain.conference import Conference  # see unit_of_work: only when asked

        return self.sql.records_created_with(
            get_topic(Conference.Held), f'"partnership_id":"{partnership_id}"'.encode()
        )

    def _read_records(self, record_ids: Collection[UUID]) -> tuple[dict[UUID, Aggregate], Heads]:
        """Those of the records that are on file, as ``get_record`` gives them
        (each from its latest snapshot and the events after it), read with a
        few queries for all rather than two per record; and the chain's head
        of each record whose last event was read (not one read whole from a
        snapshot), so that the events a batch appends to it are sealed
        without reading it again."""
        if not record_ids:
            return {}, {}
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
        last: dict[UUID, StoredEvent] = {}
        for record_id, snapshot in snapshots.items():
            records[record_id] = self._decoded(snapshot).mutate(None)
        for stored in self.sql.events_after(after):
            record_id = stored.originator_id if isinstance(stored.originator_id, UUID) else UUID(stored.originator_id)
            records[record_id] = self._decoded(stored).mutate(records.get(record_id))
            last[record_id] = stored
        return records, {record_id: Head(stored.originator_version, stored.state) for record_id, stored in last.items()}

    def _decoded(self, stored: StoredEvent) -> Any:
        """A stored event or snapshot as its domain object, which can mutate a record."""
        return self.mapper.to_domain_event(stored)

    @staticmethod
    def _handle(steps: Sequence[Step], uow: UnitOfWork, progress: Progress | None) -> list[UUID]:
        ids = []
        today = latest_day(datetime.now(tz=UTC))
        for step in steps:
            meta = step.provenance
            as_typed: list[str] = []
            if meta.idempotency_key is not None:
                meant, *as_typed = fingerprints(step.command, uow.resolve)
                meta = meta.but(command=meant)
            try:
                try:
                    record_id = handle(step.command, uow, meta)
                except KeyReusedError:
                    if not as_typed:
                        raise
                    # The key was recorded by release 0.2, whose fingerprint was of the command as typed.
                    record_id = handle(step.command, uow, meta.but(command=as_typed[0]))
                # After the command is carried out, so that a correction's value is known to be a date.
                for field, date in {**step.command.dates(), "business_date": meta.business_date}.items():
                    guard_not_after_today(field, date, today)
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
        processing_event.saved_kwargs[KNOWN_HEADS] = uow.heads  # to the event store's put(), not to the recorder
        self._record(processing_event)
        self._take_snapshots(processing_event)

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


def _referenced_ids(steps: Sequence[Step]) -> set[UUID]:
    """The records that the steps name by id (rather than by a local name)."""
    references = {getattr(step.command, field) for step in steps for field in step.command.references}
    found = set()
    for reference in references:  # each once: an import names the same records thousands of times
        try:
            found.add(UUID(reference))
        except ValueError:
            continue
    return found
