"""What every command shares: the global options, opening the store's doors,
and turning citycoop's refusals into one-line errors with the documented
exit status (2 for invalid input, 1 for a refusal by the domain or the store).

Only click is imported at module level: ``citycoop --help`` must stay fast.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from . import collector

if TYPE_CHECKING:
    from ..adapters.reads import Reads
    from ..adapters.writes import Writes


@dataclass
class Settings:
    store: str | None
    actor: str
    source: str | None
    as_json: bool


def login_name() -> str:
    """The default ``--actor``, asked for only when none is given (``getpass`` loads the terminal's module)."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@contextmanager
def writing(settings: Settings) -> Iterator[Writes]:
    """The write door of the store, for one command, closed afterwards."""
    from ..adapters.writes import Writes

    with _refusals_as_errors(), Writes.open(settings.store, one_command=True) as writes:
        collector.resume()
        yield writes


@contextmanager
def reading(settings: Settings) -> Iterator[Reads]:
    """The read door of the store, for one command, closed afterwards."""
    from ..adapters.reads import Reads

    with _refusals_as_errors(), Reads.open(settings.store, one_command=True) as reads:
        collector.resume()
        yield reads


@contextmanager
def following(settings: Settings) -> Iterator[Reads]:
    """The read door of the store for a command that keeps following it: the
    store is opened in place (made if need be), so that the events others
    record later are the ones it sees."""
    from ..adapters.reads import Reads

    with _refusals_as_errors(), Reads.open(settings.store) as reads:
        collector.resume()
        yield reads


@contextmanager
def _refusals_as_errors() -> Iterator[None]:
    """A value given was invalid: exit status 2; a refusal by the rules of the
    business or the store: 1. Either way one line."""
    from ..domain.errors import CityCoopError, InvalidInputError

    try:
        yield
    except InvalidInputError as error:
        raise UsageError(str(error)) from None
    except CityCoopError as error:
        raise click.ClickException(str(error)) from None


class UsageError(click.ClickException):
    """A value the user gave was invalid: exit status 2, like click's own usage errors."""

    exit_code = 2


class OneLineErrorsGroup(click.Group):
    """The top-level group: click's usage errors (a missing option, a value of
    the wrong type) become one line with a pointer to ``--help``, like
    citycoop's own, instead of the usage text followed by the error."""

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        with _one_line_usage_errors():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        from .output import guarded_stdout

        with _one_line_usage_errors(), guarded_stdout():
            return super().invoke(ctx)


@contextmanager
def _one_line_usage_errors() -> Iterator[None]:
    try:
        yield
    except click.exceptions.NoArgsIsHelpError:
        raise
    except click.UsageError as error:
        message = error.format_message()
        if error.ctx is not None:
            message += ("" if message.endswith((".", "?", "!")) else ".") + f" Try '{error.ctx.command_path} --help'."
        raise UsageError(message) from None


pass_settings = click.make_pass_decorator(Settings)
