"""What goes into the application service and what comes out of it: a batch
of ``Step``s (a command with its provenance) in, ``Recorded`` out. Every
writer, one command or a whole import, builds steps: there is no other way in."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple
from uuid import UUID, uuid4

from ...domain.values import Provenance, validated
from .commands import Command

Progress = Callable[[int], None]
"""Told 1 as each step is carried out (an import shows a bar)."""


class Step(NamedTuple):
    """One command of a batch, with its provenance; ``name`` lets later steps
    refer to the record it creates, ``label`` prefixes its errors."""

    command: Command
    provenance: Provenance
    name: str | None = None
    label: str | None = None


class Recorded(NamedTuple):
    """What a batch of steps recorded: the id and the kind (``partnership``,
    ``conference``, ``agreement``) of the record each step wrote to, and how
    many events were new (none when every step had been recorded before)."""

    ids: list[UUID]
    kinds: list[str]
    events: int
    behind: str | None = None
    """Why the read models or the sealed chain could not be brought up to date
    after the write (``adapters.writes``); the write is on record all the same."""


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
