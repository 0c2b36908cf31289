"""The records one command, or one whole import, reads and changes, and the
events they make, kept until the application service saves them in one
transaction.

A conference's and an agreement's classes are imported when a command names
such a record, or one is read: each is a dozen pydantic models, made at
every start that imports them, and a command on a partnership needs neither.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from importlib import import_module
from typing import TYPE_CHECKING, TypeVar, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Repository

from ...domain.aggregate import Aggregate
from ...domain.errors import InvalidValueError, NotFoundError
from ..storage.event_store import Heads

if TYPE_CHECKING:
    from ...domain.conference import Conference
    from ...domain.partnership import Partnership

A = TypeVar("A", bound=Aggregate)

RECORD_KINDS = ("partnership", "conference", "agreement", "record")
"""The kinds of record a command's references name, by the field's name;
``record`` is any of them."""


def record_class(kind: str) -> type[Aggregate]:
    """The class of a kind of record, ``domain.<kind>.<Kind>``, imported if it was not."""
    if kind == "record":
        return Aggregate
    assert kind in RECORD_KINDS, kind
    return cast(type[Aggregate], getattr(import_module(f"...domain.{kind}", __package__), kind.capitalize()))


def record_name(kind: type[Aggregate]) -> str:
    """What a command calls a record of this class: ``partnership`` …, ``record`` for any."""
    return "record" if kind is Aggregate else kind.__name__.lower()


class UnitOfWork:
    """The records one command, or one whole import, reads and changes.

    Records are loaded once and kept, so later commands of an import see what
    earlier ones did; events are kept in the order they happened, so the log
    reads in the order the clerk gave the commands.
    """

    def __init__(
        self,
        repository: Repository[UUID],
        *,
        guess_new: bool = False,
        known_new: Collection[UUID] = (),
        records: Mapping[UUID, Aggregate] | None = None,
        heads: Heads | None = None,
        conferences_on_file: Callable[[UUID], Collection[UUID]] | None = None,
    ) -> None:
        self._repository = repository
        self.heads: Heads = dict(heads or {})
        """The last stored event of the records read with their last event, for sealing what follows it."""
        self._conferences_on_file = conferences_on_file
        """The ids of a partnership's conferences on file (and maybe of others: they are checked)."""
        self._records: dict[UUID, Aggregate] = dict(records or {})
        self.names: dict[str, UUID] = {}
        self.pending: list[Aggregate.Event] = []
        self._guess_new = guess_new
        self._known_new = set(known_new)
        """Ids of records known not to be on file (``records`` holds some that are)."""
        self.guessed_new: set[UUID] = set()
        """Ids that ``existing`` guessed were not on file, to be checked at once."""
        self._ids: dict[str, UUID] = {}
        """Each reference read as an id, once: an import names the same records thousands of times."""

    def find(self, record_id: UUID) -> Aggregate | None:
        if record_id in self._known_new:
            return self._records.get(record_id)
        if record_id not in self._records:
            try:
                record: object = self._repository.get(record_id)
            except AggregateNotFoundError:
                return None
            assert isinstance(record, Aggregate)
            self._records[record_id] = record
        return self._records[record_id]

    def existing(self, record_id: UUID) -> Aggregate | None:
        """The record on file under the id that a new record would take.

        Asking the store once per new record is what makes a large import
        slow, so a unit of work that may ``guess_new`` answers "none" without
        asking and remembers the guess; the caller checks all the guesses with
        one query and, if any was wrong, does the work again knowing them.
        """
        if record_id in self._records or record_id in self._known_new:
            return self._records.get(record_id)
        if self._guess_new:
            self.guessed_new.add(record_id)
            return None
        return self.find(record_id)

    def get(self, reference: str, kind: type[A], field: str) -> A:
        record = self.find(self.resolve(reference, field))
        if not isinstance(record, kind):
            raise NotFoundError(f"{field}: no {record_name(kind)} {reference!r} is on record")
        return record

    def resolve(self, reference: str, field: str) -> UUID:
        """An id, or the local name an earlier entry of the same import was given."""
        if reference in self.names:
            return self.names[reference]
        record_id = self._ids.get(reference)
        if record_id is None:
            try:
                record_id = self._ids[reference] = UUID(reference)
            except ValueError:
                raise InvalidValueError(
                    field, f"{reference!r} is neither an id nor the name of an earlier entry"
                ) from None
        return record_id

    def conferences_of(self, partnership: Partnership) -> list[Conference]:
        """The partnership's conferences, on file or held in this unit of work."""
        from ...domain.conference import Conference

        ids = set(self._conferences_on_file(partnership.id)) if self._conferences_on_file else set()
        ids |= {record_id for record_id, record in self._records.items() if isinstance(record, Conference)}
        found = (self.find(record_id) for record_id in sorted(ids))
        return [
            conference
            for conference in found
            if isinstance(conference, Conference) and conference.state.partnership_id == partnership.id
        ]

    def events_of(self, record: Aggregate) -> list[Aggregate.Event]:
        """Every event of the record, those on file and those waiting in this
        unit of work, by version."""
        on_file = () if record.id in self._known_new else self._repository.event_store.get(record.id)
        events = [event for event in on_file if isinstance(event, Aggregate.Event)]
        return [*events, *(event for event in self.pending if event.originator_id == record.id)]

    def kind_of(self, record_id: UUID) -> str:
        """What the record of this id is, as a command names it: ``partnership`` …"""
        return type(self._records[record_id]).__name__.lower()

    def changed(self) -> dict[UUID, Aggregate]:
        changed_ids = {event.originator_id for event in self.pending}
        return {record_id: self._records[record_id] for record_id in changed_ids}

    def track(self, record: A) -> A:
        self._records[record.id] = record
        self.pending.extend(record.collect_events())  # type: ignore[arg-type]
        return record
