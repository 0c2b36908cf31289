"""The write door: every writer records through it, one command or a file of
them, and gets the same after-write work done.

A write is a batch of ``Step``s (a command and its provenance), recorded in
one transaction by the application service. Then, so that the next read sees
it and the next ``audit verify`` locates any later change to it, the door
brings the read models up to date and extends the sealed global chain over
it. The write is on record whatever happens after: if that work fails, the
door says why in ``Recorded.behind``, and ``citycoop projections run`` and
``citycoop audit seal`` finish it later. Reads go through ``adapters.reads``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import cached_property
from pathlib import Path

from ..domain.errors import CityCoopError
from ..domain.values import PartialDate
from .application import importing
from .application.commands import COMMANDS, Command
from .application.importing import DEMO_SCENARIO, Entry, ImportFileError, demo_text
from .application.steps import Progress, Recorded, Step, provenance
from .audit.auditor import Auditor
from .audit.export import Restored
from .audit.global_chain import Head
from .doors import Door
from .projections.runner import catch_up
from .reads import Reads
from .storage.errors import StoreUnavailableError, translated_store_errors

__all__ = [
    "DEMO_SCENARIO",
    "Command",
    "Entry",
    "Head",
    "ImportFileError",
    "PartialDate",
    "Recorded",
    "Restored",
    "Step",
    "StoreUnavailableError",
    "Writes",
    "command_class",
    "demo_text",
    "provenance",
    "read_import_file",
]

CatchingUp = Callable[[int, int], None]
"""Told, as the read models catch up, the events applied so far and the number to apply."""


def command_class(kind: str) -> type[Command]:
    """The command model of a kind of command (``hold-conference`` …), as import files name them."""
    return COMMANDS[kind]


def read_import_file(path: Path) -> tuple[str | None, list[Entry]]:
    """Read and validate an import file (``-`` is standard input): its default source and its entries."""
    return importing.read(path)


class Writes(Door):
    writes = True

    @cached_property
    def reads(self) -> Reads:
        """The read door of the same store."""
        return Reads(self._app)

    def record(
        self, steps: Sequence[Step], *, progress: Progress | None = None, catching_up: CatchingUp | None = None
    ) -> Recorded:
        """Carry out the steps in order and record all their events in one
        transaction (all, or, if any is refused, none); then bring the read
        models and the sealed chain up to date. ``progress`` is told 1 as each
        step is carried out."""
        recorded = self._app.execute_batch(steps, progress=progress)
        return recorded._replace(behind=self._settle(catching_up))

    def import_entries(
        self,
        entries: list[Entry],
        *,
        actor: str,
        source: str | None,
        progress: Progress | None = None,
        catching_up: CatchingUp | None = None,
    ) -> Recorded:
        """Record the entries of an import file in one transaction, under one correlation id."""
        recorded = importing.record_batch(self._app, entries, actor=actor, source=source, progress=progress)
        return recorded._replace(behind=self._settle(catching_up))

    def record_demo(self, *, actor: str) -> Recorded:
        """Record the bundled Wuxi–Singapore 2023 story (again, harmlessly)."""
        source, entries = importing.demo()
        return self.import_entries(entries, actor=actor, source=source)

    def seal(self) -> Head:
        """Extend the global chain to the end of the log and return its head."""
        return Auditor(self._app).seal()

    def restore(self, lines: Iterable[str]) -> Restored:
        """Write an export into an empty store, at the same positions with the same bytes."""
        return Auditor(self._app).restore(lines)

    def _settle(self, catching_up: CatchingUp | None) -> str | None:
        try:
            with translated_store_errors(self._app.location):
                catch_up(self._app, progress=catching_up)
                Auditor(self._app).seal()
        except CityCoopError as error:
            return str(error)
        return None
