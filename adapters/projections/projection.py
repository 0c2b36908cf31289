"""What every citycoop projection shares: a name and a version, the tables it
owns in one generation, and a batch that applies events to those tables."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from eventsourcing.persistence import Tracking
from pydantic import BaseModel

from .database import ReadModelDatabase, Session
from .document_cache import DocumentCache
from .documents import Documents
from .events import LoggedEvent, from_domain_event
from .tables import Table

Handler = Callable[[Any, LoggedEvent], None]


def handles(record: str, *names: str) -> Callable[[Handler], Handler]:
    """Mark a batch method as the handler of events ``record.name``."""

    def mark(method: Handler) -> Handler:
        earlier = getattr(method, "handles", [])
        method.handles = [*earlier, *((record, name) for name in names)]  # type: ignore[attr-defined]
        return method

    return mark


class Batch:
    """The events of one batch applied to one projection's tables, which are
    read as the events need them and written once at the end."""

    handlers: ClassVar[dict[tuple[str, str], Handler]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Handlers marked in base classes too, each as this class defines it.
        cls.handlers = {
            event: getattr(cls, name)
            for klass in reversed(cls.__mro__)
            for name, method in vars(klass).items()
            for event in getattr(method, "handles", ())
        }

    def __init__(
        self,
        session: Session,
        tables: Sequence[Table],
        generation: int,
        caches: dict[str, DocumentCache],
        *,
        versions: bool = True,
    ) -> None:
        self.session = session
        self.tables = {
            table.name: Documents(session, table, generation, caches.get(table.name), versions=versions)
            for table in tables
        }

    def prefetch(self, events: Sequence[LoggedEvent]) -> None:
        """Load the rows that ``events`` will need with a few queries."""

    def finish(self, event: LoggedEvent) -> None:
        """Derive what depends on the whole of ``event``'s changes, before they become versions."""

    def run(self, events: Sequence[LoggedEvent]) -> None:
        handlers = self.handlers
        handled = [(handlers[kind], event) for event in events if (kind := (event.record, event.name)) in handlers]
        self.prefetch([event for _, event in handled])
        tables = self.tables.values()
        for handler, event in handled:
            handler(self, event)
            self.finish(event)
            # Versions are cut after each event, so that they are exact at every position.
            for documents in tables:
                documents.cut(event.position)
        for documents in tables:
            documents.flush()


class NamingBatch(Batch):
    """A batch whose projection shows each partnership by name
    (``Wuxi–Singapore``), kept in its private records table."""

    records_table: ClassVar[Table]

    @property
    def records(self) -> Any:
        return self.tables[self.records_table.name]

    @handles("Partnership", "Established")
    def established(self, event: LoggedEvent) -> None:
        first, second = event.data["cities"]
        self.records.put(event.record_id, {"name": f"{first['name']}–{second['name']}"})


class ReadModelProjection:
    """A projection of the log into tables of one generation.

    ``version`` names the shape of the tables and the rules that fill them:
    change either and bump it, and the next catch-up rebuilds this projection
    (and only this one) into a new generation.

    It is made with its ``view`` and given an event by ``process_event``, as
    the library's ``Projection`` interface has it, but does not derive from
    it (so it has no ``topics``, which the library's runner reads):
    ``eventsourcing.projection`` imports the library's DCB modules with it,
    some 5 ms of every recording command's start, for a base that holds only
    the view.
    """

    name: ClassVar[str]
    """Names the projection's tracking records and its row in the registry."""
    version: ClassVar[int] = 1
    question: ClassVar[str]
    """What the projection answers, in a line."""
    tables: ClassVar[tuple[Table, ...]]
    batch_class: ClassVar[type[Batch]]
    per_partnership: ClassVar[bool] = True
    """Each row belongs to one partnership and follows from the events of that
    partnership's records alone, so one partnership's rows as they stood in
    the past can be built from those events (``past.partnership_read_models``)."""

    def __init__(self, view: ReadModelDatabase, generation: int = 1, *, versions: bool = True) -> None:
        self.view = view
        """Where the projection's tables are, and their positions tracked."""
        self.generation = generation
        self.versions = versions
        """Keep every version of the rows; a replay read at the position it stops at needs none."""
        self._caches = {table.name: DocumentCache() for table in self.tables if table.cached}

    @property
    def tracking_name(self) -> str:
        return f"{self.name}@{self.generation}"

    def apply(self, session: Session, events: Sequence[LoggedEvent]) -> None:
        """Apply ``events`` in ``session``, the transaction that also records their position."""
        self.batch_class(session, self.tables, self.generation, self._caches, versions=self.versions).run(events)
        for cache in self._caches.values():
            cache.trim()

    def rolled_back(self) -> None:
        """The last batch did not commit: what the caches hold may never have happened."""
        for cache in self._caches.values():
            cache.clear()

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        """Apply one event in its own transaction, as the library's
        ``ProjectionRunner`` does; catching up goes batch by batch instead."""
        assert isinstance(domain_event, BaseModel)
        position = self.view.max_tracking_id(self.tracking_name) or 0
        try:
            with self.view.transaction() as session:
                session.track(self.tracking_name, position, tracking.notification_id)
                self.apply(session, [from_domain_event(domain_event, tracking.notification_id)])
        except BaseException:
            self.rolled_back()
            raise

    def create_tables(self, session: Session) -> None:
        for table in self.tables:
            for statement in table.create_statements(self.generation, self.view.table):
                session.execute(statement)

    def create_indexes(self, session: Session) -> None:
        for table in self.tables:
            for statement in table.index_statements(self.generation, self.view.table):
                session.execute(statement)

    def drop_tables(self, session: Session) -> None:
        for table in self.tables:
            for physical in (table.physical(self.generation), *table.physicals(self.generation).values()):
                session.execute(f"DROP TABLE IF EXISTS {self.view.table(physical)}")

    def publish(self, session: Session) -> None:
        """Point the views that readers query at this generation's tables."""
        for table in self.tables:
            for name, physical in table.physicals(self.generation).items():
                view = self.view.table(name)
                session.execute(f"DROP VIEW IF EXISTS {view}")
                session.execute(f"CREATE VIEW {view} AS SELECT * FROM {self.view.table(physical)}")
