"""How far behind the log each projection is."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from eventsourcing.application import Application
from pydantic import BaseModel, ConfigDict

from .catalogue import PROJECTIONS
from .events import decode
from .registry import Registration, registrations
from .runner import ProjectionClasses, prepare, read_model_database


class Rebuilding(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)  # see domain.values.Value

    version: int
    generation: int
    position: int


class ProjectionStatus(BaseModel):
    model_config = ConfigDict(frozen=True, defer_build=True)  # see domain.values.Value

    name: str
    question: str
    version: int
    """The version readers see; behind the code's version until a rebuild switches."""
    generation: int
    position: int
    head: int
    lag_events: int
    oldest_unprocessed_at: datetime | None
    lag_seconds: float | None
    """How long ago the oldest event not yet applied was recorded."""
    rebuilding: Rebuilding | None = None
    needs_rebuild: bool


def status(app: Application[UUID], projections: ProjectionClasses = PROJECTIONS) -> list[ProjectionStatus]:
    database = read_model_database(app)
    prepare(database, projections)
    recorder = app.recorder
    with database.reading() as session:
        found = registrations(session)
    positions = database.positions()
    head = recorder.max_notification_id() or 0
    now = datetime.now(UTC)
    report = []
    for projection_class in projections:
        registration: Registration = found[projection_class.name]
        position = positions.get(projection_class(database, registration.generation).tracking_name, 0)
        oldest = recorder.select_notifications(position, 1, inclusive_of_start=False)
        recorded_at = datetime.fromisoformat(decode(oldest[0]).data["timestamp"]) if oldest else None
        rebuilding = None
        if registration.next_generation is not None and registration.next_version is not None:
            building = projection_class(database, registration.next_generation)
            rebuilding = Rebuilding(
                version=registration.next_version,
                generation=registration.next_generation,
                position=positions.get(building.tracking_name, 0),
            )
        report.append(
            ProjectionStatus(
                name=projection_class.name,
                question=projection_class.question,
                version=registration.version,
                generation=registration.generation,
                position=position,
                head=head,
                lag_events=database.count_after(position),
                oldest_unprocessed_at=recorded_at,
                lag_seconds=(now - recorded_at).total_seconds() if recorded_at else None,
                rebuilding=rebuilding,
                needs_rebuild=registration.version != projection_class.version,
            )
        )
    return report
