"""The ``citycoop`` command: global options, and the ``demo`` command.

Heavy modules (eventsourcing, pydantic, the application) are imported inside
commands, so ``citycoop --help`` starts about as fast as click itself.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from citycoop.adapters.application import CityCoop


@dataclass
class Settings:
    store: str | None
    actor: str
    source: str | None
    as_json: bool

    def open(self) -> CityCoop:
        from citycoop.adapters.application import CityCoop

        return CityCoop(self.store)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


@click.group()
@click.version_option(package_name="citycoop")
@click.option(
    "--store",
    envvar="CITYCOOP_STORE",
    metavar="PATH|URL",
    help="SQLite file or postgresql:// URL [env CITYCOOP_STORE; default ~/.local/share/citycoop/citycoop.db].",
)
@click.option("--actor", default=_login_name, show_default="your login name", help="Who is recording.")
@click.option("--source", help="Where the facts come from: a document, URL or reference.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines instead of tables.")
@click.pass_context
def cli(ctx: click.Context, store: str | None, actor: str, source: str | None, as_json: bool) -> None:
    """citycoop: an event-sourced record of cooperation between cities.

    \b
    Example:
      citycoop demo
      citycoop --store postgresql://postgres@127.0.0.1/test demo --json
    """
    ctx.obj = Settings(store=store, actor=actor, source=source, as_json=as_json)


@cli.command()
@click.pass_obj
def demo(settings: Settings) -> None:
    """Record the Wuxi–Singapore 2023 story and show the partnership.

    Running it again records nothing new.

    \b
    Example:
      citycoop demo
    """
    from citycoop.adapters.importing import record_demo

    with run(settings) as app:
        ids = record_demo(app, actor=settings.actor)
        partnership = app.get_partnership(ids[0])
        state = partnership.state.model_dump(mode="json", exclude={"idempotency_keys", "fact_versions"})
        document = {"id": str(partnership.id), "version": partnership.version, **state}
    if settings.as_json:
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        _print_fields(document)


def _print_fields(document: dict[str, Any]) -> None:
    width = max(map(len, document))
    for key, value in document.items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        click.echo(f"{key.ljust(width)}  {shown}")


@contextmanager
def run(settings: Settings) -> Iterator[CityCoop]:
    """Open the application, and turn citycoop's refusals into one-line errors:
    exit status 2 for invalid input, 1 for a refusal by the domain or the store."""
    from citycoop.domain.errors import CityCoopError, InvalidInputError

    try:
        app = settings.open()
        try:
            yield app
        finally:
            app.close()
    except InvalidInputError as error:
        raise UsageError(str(error)) from None
    except CityCoopError as error:
        raise click.ClickException(str(error)) from None


class UsageError(click.ClickException):
    """A value the user gave was invalid: exit status 2, like click's own usage errors."""

    exit_code = 2
