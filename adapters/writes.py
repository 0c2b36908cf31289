"""The write door: every writer records through it, one command or a file of
them, and gets the same after-write work done.

A write is a batch of ``Step``s (a command and its provenance), recorded in
one transaction by the application service. Then, so that the next read sees
it and the next ``audit verify`` locates any later change to it, the door
brings the read models up to date and extends the sealed global chain over
it. The write is on record whatever happens after: if that work fails, the
door says why in ``Recorded.behind``, and ``citycoop projections run`` and
``citycoop audit seal`` finish it later. Reads go through ``adapters.reads``.

A recording command loads only what it runs through: import files (YAML,
the demo), the export and the read door are imported on first use, the
names re-exported from them through ``__getattr__``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import cached_property
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain.errors import CityCoopError
from ..domain.values import PartialDate
from .application.commands import COMMANDS, Command
from .application.steps import Progress, Recorded, Step, provenance
from .audit.auditor import Auditor
from .audit.global_chain import Head
from .doors import Door
from .projections.runner import BATCH_SIZE, REBUILD_BATCH_SIZE, catch_up
from .storage.errors import StoreUnavailableError, translated_store_errors

if TYPE_CHECKING:
    from .application.importing import DEMO_SCENARIO, Entry, ImportFileError, demo_text
    from .audit.export import Restored
    from .reads import Reads

_LATER = {
    "DEMO_SCENARIO": ".application.importing",
    "Entry": ".application.importing",
    "ImportFileError": ".application.importing",
    "demo_text": ".application.importing",
    "Restored": ".audit.export",
}
"""The names re-exported from modules that a recording command does not load."""

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


def __getattr__(name: str) -> Any:
    if name not in _LATER:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_LATER[name], __package__), name)


def command_class(kind: str) -> type[Command]:
    """The command model of a kind of command (``hold-conference`` …), as import files name them."""
    return COMMANDS[kind]


def read_import_file(path: Path) -> tuple[str | None, list[Entry]]:
    """Read and validate an import file (``-`` is standard input): its default source and its entries."""
    from .application import importing

    return importing.read(path)


class Writes(Door):
    writes = True

    @cached_property
    def reads(self) -> Reads:
        """The read door of the same store."""
        from .reads import Reads

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
        from .application import importing

        recorded = importing.record_batch(self._app, entries, actor=actor, source=source, progress=progress)
        return recorded._replace(behind=self._settle(catching_up, batch_size=_catch_up_batch(recorded.events)))

    def record_demo(self, *, actor: str) -> Recorded:
        """Record the bundled Wuxi–Singapore 2023 story (again, harmlessly)."""
        from .application import importing

        source, entries = importing.demo()
        return self.import_entries(entries, actor=actor, source=source)

    def seal(self) -> Head:
        """Extend the global chain to the end of the log and return its head."""
        return Auditor(self._app).seal()

    def restore(self, lines: Iterable[str]) -> Restored:
        """Write an export into an empty store, at the same positions with the same bytes."""
        return Auditor(self._app).restore(lines)

    def _settle(self, catching_up: CatchingUp | None, *, batch_size: int = BATCH_SIZE) -> str | None:
        try:
            with translated_store_errors(self._app.location):
                catch_up(self._app, batch_size=batch_size, progress=catching_up)
                Auditor(self._app).seal()
        except CityCoopError as error:
            return str(error)
        return None


def _catch_up_batch(events: int) -> int:
    """Events per transaction as the read models catch up after an import of
    ``events``: about a tenth of them, so that its bar moves and shows a rate,
    from a clerk's command's 500 up to a rebuild's 10,000 (a 20k import caught
    up in 2,000-event batches spends a fifth less CPU than in 500-event ones,
    in 10,000-event ones a third less)."""
    return min(REBUILD_BATCH_SIZE, max(BATCH_SIZE, events // 10))
