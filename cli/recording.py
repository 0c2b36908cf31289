"""What every ``citycoop record …`` command shares: the option types that
parse a clerk's words (terms, cities, speakers), the idempotency key,
``record_one``, which opens the store, records one command, brings the read
models up to date and prints the new record's id, and the progress ``Bar``
that ``citycoop import`` shows too.

Only click and the vocabularies are imported here: ``citycoop --help`` must
stay fast, so the application is imported when a command runs.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

import click
from click.shell_completion import CompletionItem

from ..domain.vocabulary import normalise_term
from .context import Settings, UsageError, run
from .render import echo_json

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

    from ..adapters.application.service import CityCoop
    from ..domain.values import Provenance

F = TypeVar("F", bound=Callable[..., Any])
Action = Callable[["CityCoop", "Provenance"], UUID]

PROGRESS_FROM = 500
"""Less work than this is done before a bar would be seen."""

PARTNERSHIP_ID = "712a8a14-4928-5786-9e6c-a9b3845f5511"
"""Wuxi–Singapore as ``citycoop demo`` records it: the id follows from the two
cities, so the examples in the help work on any store after the demo."""


def key_option(command: F) -> F:
    return click.option(
        "--key",
        metavar="TEXT",
        help="Idempotency key: the same command with the same key records nothing new.",
    )(command)


def id_option(name: str, what: str) -> Callable[[F], F]:
    return click.option(f"--{name}", type=click.UUID, required=True, metavar="ID", help=f"The {what}'s id.")


class Term(click.ParamType[str]):
    """A word from one of citycoop's vocabularies, in any spelling the import
    file accepts ("Science and Technology"), completed by the shell."""

    name = "term"

    def __init__(self, vocabulary: type[StrEnum]) -> None:
        self.vocabulary = vocabulary

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        term = normalise_term(value)
        if term not in {member.value for member in self.vocabulary}:
            self.fail(f"{value!r} is not one of: {terms(self.vocabulary)}", param, ctx)
        return str(term)

    def shell_complete(self, ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
        return [CompletionItem(member.value) for member in self.vocabulary if member.value.startswith(incomplete)]


def terms(vocabulary: type[StrEnum]) -> str:
    return ", ".join(member.value for member in vocabulary)


class City(click.ParamType[dict[str, str | None]]):
    name = "city"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dict[str, str | None]:
        if isinstance(value, dict):
            return value
        name, country, wikidata_id = [*str(value).split(":", 2), None, None][:3]
        if not name or not country:
            self.fail(f"{value!r} should be NAME:COUNTRY or NAME:COUNTRY:WIKIDATA_ID, e.g. Wuxi:China", param, ctx)
        return {"name": name, "country": country, "wikidata_id": wikidata_id or None}


class Speaker(click.ParamType[dict[str, str | None]]):
    name = "speaker"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dict[str, str | None]:
        if isinstance(value, dict):
            return value
        name, role, statement = [*str(value).split(":", 2), None, None][:3]
        if not name:
            self.fail(f"{value!r} should be NAME, NAME:ROLE or NAME:ROLE:STATEMENT", param, ctx)
        return {"name": name, "role": role or None, "statement": statement or None}


def record_one(settings: Settings, kind: str | None, key: str | None, action: Action) -> None:
    """Record what ``action`` does with the application and print the id of
    the record it created or changed (``kind`` None: whatever that record is)."""
    with run(settings) as app:
        with _errors_named_by_option(click.get_current_context()):
            record_id = action(app, settings.provenance(app, key))
        if kind is None:
            kind = type(app.get_record(record_id)).__name__.lower()
        with Bar("Updating read models") as bar:
            catch_up(app, progress=bar.reach)
    if settings.as_json:
        echo_json({"id": str(record_id), "kind": kind})
    else:
        click.echo(record_id)


class Bar:
    """A progress bar on standard error for someone watching a terminal work
    through much, and nothing at all otherwise (a pipe, a log file, a test)."""

    def __init__(self, label: str, *, length: int | None = None, then: str | None = None) -> None:
        self._label = label
        self._then = then
        self._length = 0
        self._done = 0
        self._bar: ProgressBar[int] | None = None
        if length is not None:
            self._start(length)

    def _start(self, length: int) -> None:
        self._length = length
        if length >= PROGRESS_FROM and sys.stderr.isatty():
            self._bar = click.progressbar(
                length=length, label=self._label, file=sys.stderr, update_min_steps=max(1, length // 200)
            )

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
        self.advance(done - self._done)

    def __enter__(self) -> Bar:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.render_finish()


def catch_up(app: CityCoop, progress: Callable[[int, int], None] | None = None) -> None:
    """Bring the read models and the global hash chain up to date, so the
    clerk's next query sees this write and the next ``audit verify`` locates
    any later change to it.

    The write is on record whatever happens here: a failure is a warning, and
    ``citycoop projections run`` and ``citycoop audit seal`` finish the work later."""
    from ..adapters.audit.auditor import Auditor
    from ..adapters.projections import catch_up as catch_up_projections
    from ..adapters.storage.errors import translated_store_errors
    from ..domain.errors import CityCoopError

    try:
        with translated_store_errors(app.location):
            catch_up_projections(app, progress=progress)
            Auditor(app).seal()
    except CityCoopError as error:
        click.echo(f"Warning: recorded, but the read models or the sealed chain are behind ({error})", err=True)


@contextmanager
def _errors_named_by_option(ctx: click.Context) -> Iterator[None]:
    """The application names the field it refused (``since``, ``city_a.name``);
    the clerk typed an option (``--since``, ``--city``): name that instead."""
    from ..domain.errors import InvalidValueError

    try:
        yield
    except InvalidValueError as error:
        option = _option_for(ctx, error.field.split(".", maxsplit=1)[0])
        if option is None:
            raise
        raise UsageError(f"{option}: {error.problem}") from None


_FIELD_OPTIONS = {"city_a": "--city", "city_b": "--city"}
"""Fields that no option is named after."""


def _option_for(ctx: click.Context, field: str) -> str | None:
    if field in _FIELD_OPTIONS:
        return _FIELD_OPTIONS[field]
    for param in ctx.command.params:
        if param.name == field and isinstance(param, click.Option):
            return max(param.opts, key=len)
    return None
