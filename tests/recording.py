"""One command through the application service, as a step of its own: what
the tests of the layers below the write door record with."""

from __future__ import annotations

from uuid import UUID

from citycoop.adapters.application.commands import Command
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.application.steps import Step
from citycoop.domain.values import Provenance


def record(app: CityCoop, command: Command, provenance: Provenance) -> UUID:
    """Record ``command`` and return the id of the record it created or changed."""
    return app.execute([Step(command, provenance)])[0]
