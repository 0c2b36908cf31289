"""One command through the application service, as a step of its own: what
the tests of the layers below the write door record with."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from citycoop.adapters.application.commands import Command
from citycoop.adapters.application.service import CityCoop
from citycoop.adapters.application.steps import Step
from citycoop.domain.partnership import Partnership
from citycoop.domain.values import City, Provenance


def record(app: CityCoop, command: Command, provenance: Provenance) -> UUID:
    """Record ``command`` and return the id of the record it created or changed."""
    return app.execute([Step(command, provenance)])[0]


def established_as_an_earlier_release(
    app: CityCoop, cities: tuple[City, City], key_of: Literal["key", "decomposed_key"]
) -> UUID:
    """A partnership's establishment as a release before 0.2 could have
    saved it: its id derived from the cities' ``key_of`` (``decomposed_key``,
    the names folded as typed, without composing them first), past the checks
    that now find the pair under either spelling."""
    partnership = Partnership._create(
        Partnership.Established,
        id=Partnership._id_of(*sorted(getattr(city, key_of) for city in cities)),
        cities=cities,
        since="1969",
        stage="sister-city",
        fields=(),
        meta=app.provenance("clerk-li"),
    )
    app.save(partnership)
    return partnership.id
