"""What the commands that record share: ``record_one``, which hands one
command to the write door and prints the id of the record it wrote, the
progress ``Bar`` that ``citycoop import`` shows too, and errors named by the
option the clerk typed rather than by the command's field.

Only click is imported here: ``citycoop --help`` must stay fast, so the
write door is imported when a command runs.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from .context import Settings, UsageError, writing
from .options import CITIES
from .render import echo_json

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

    from ..adapters.writes import Command, Recorded

PROGRESS_FROM = 500
"""Less work than this is done before a bar would be seen."""


def record_one(settings: Settings, key: str | None, command: Callable[[], Command]) -> None:
    """Record the command that ``command`` validates, under the clerk's
    provenance, and print the id of the record it created or changed."""
    from ..adapters.writes import Step, provenance

    with (
        writing(settings) as writes,
        Bar("Updating read models") as bar,
        _errors_named_by_option(click.get_current_context()),
    ):
        step = Step(command(), provenance(settings.actor, settings.source, key))
        recorded = writes.record([step], catching_up=bar.reach)
    warn_if_behind(recorded)
    if settings.as_json:
        echo_json({"id": str(recorded.ids[0]), "kind": recorded.kinds[0]})
    else:
        click.echo(recorded.ids[0])


def warn_if_behind(recorded: Recorded) -> None:
    if recorded.behind is not None:
        message = f"Warning: recorded, but the read models or the sealed chain are behind ({recorded.behind})"
        click.echo(message, err=True)


class Bar:
    """A progress bar on standard error for someone watching a terminal work
    through much, and nothing at all otherwise (a pipe, a log file, a test).
    With a ``unit``, it shows the rate so far (``1,234 events/s``)."""

    def __init__(
        self, label: str, *, length: int | None = None, then: str | None = None, unit: str | None = None
    ) -> None:
        self._label = label
        self._then = then
        self._unit = unit
        self._length = 0
        self._done = 0
        self._started = time.perf_counter()
        self._done_at_start = 0
        self._bar: ProgressBar[int] | None = None
        if length is not None:
            self._start(length)

    def _start(self, length: int) -> None:
        self._length = length
        self._started = time.perf_counter()
        if length >= PROGRESS_FROM and sys.stderr.isatty():
            self._bar = click.progressbar(
                length=length,
                label=self._label,
                file=sys.stderr,
                update_min_steps=max(1, length // 200),
                item_show_func=self._rate if self._unit else None,
            )

    def _rate(self, _item: int | None) -> str | None:
        """The rate since the bar started; for one started by a first report
        (``reach``), the work that report counts was done before the bar's start."""
        elapsed = time.perf_counter() - self._started
        done = self._done - self._done_at_start
        if not done or elapsed <= 0:
            return None
        return f"{done / elapsed:,.0f} {self._unit}/s"

    def advance(self, steps: int) -> None:
        """Progress through a known length; at the end, say what comes next."""
        self._done += steps
        if self._bar is None:
            return
        self._bar.update(steps)
        if self._then and self._done >= self._length:
            self._bar.label = self._then
            self._bar.render_progress()

    def reach(self, done: int, total: int) -> None:
        """Progress reported as "this much of that much", the length known late."""
        if self._bar is None:
            self._start(total)
            self._done_at_start = done
        self.advance(done - self._done)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.render_finish()
            self._bar = None

    def __enter__(self) -> Bar:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.finish()


@contextmanager
def _errors_named_by_option(ctx: click.Context) -> Iterator[None]:
    """The write door names the field it refused (``since``, ``city_a.name``);
    the clerk typed an option (``--since``, ``--city``): name that instead."""
    from ..domain.errors import InvalidValueError

    try:
        yield
    except InvalidValueError as error:
        field = error.field.split(".", maxsplit=1)[0]
        option = "cities" if field in CITIES else field
        for param in ctx.command.params:
            if param.name == option and isinstance(param, click.Option):
                raise UsageError(f"{max(param.opts, key=len)}: {error.problem}") from None
        raise
