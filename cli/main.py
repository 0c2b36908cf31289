"""The ``citycoop`` command: global options and its command groups.

Heavy modules (eventsourcing, pydantic, the application) are imported inside
commands, so ``citycoop --help`` starts about as fast as click itself; and
each command's own module is imported when that command is asked for
(``CommandsOnUse``), so ``citycoop record …`` loads none of the others.
"""

from __future__ import annotations

from importlib import import_module

import click

from ..adapters.shared_names import STORE_VARIABLE
from .context import OneLineErrorsGroup, Settings, login_name, pass_settings, writing

COMMAND_MODULES = {
    "agreements": "queries:agreements",
    "audit": "audit:audit",
    "cities": "cities:cities",
    "conferences": "queries:conferences",
    "export": "audit:export",
    "history": "history:history",
    "import": "importing:import_file",
    "log": "history:log",
    "partnerships": "queries:partnerships",
    "projections": "projections:projections",
    "record": "record:record",
    "restore": "audit:restore",
    "schema": "schema:schema",
    "serve": "serve:serve",
    "state": "history:state",
    "timeline": "timeline:timeline",
}
"""Where each command is defined: ``module:name`` in ``cli``, under the command's name."""


class CommandsOnUse(OneLineErrorsGroup):
    """The top-level group, whose commands (but ``demo``, defined here) are
    imported from ``COMMAND_MODULES`` when asked for: to run, to complete,
    or all of them to list in ``--help``."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMAND_MODULES})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            module, name = COMMAND_MODULES[cmd_name].split(":")
            self.add_command(getattr(import_module(f".{module}", __package__), name), cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=CommandsOnUse)
@click.version_option(package_name="citycoop")
@click.option(
    "--store",
    envvar=STORE_VARIABLE,
    metavar="PATH|URL",
    help=f"SQLite file or postgresql:// URL [env {STORE_VARIABLE}; default ~/.local/share/citycoop/citycoop.db].",
)
@click.option("--actor", default=login_name, show_default="your login name", help="Who is recording.")
@click.option("--source", help="Where the facts come from: a document, URL or reference.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for machines instead of tables.")
@click.pass_context
def cli(ctx: click.Context, store: str | None, actor: str, source: str | None, as_json: bool) -> None:
    """citycoop: an event-sourced record of cooperation between cities.

    \b
    Example:
      citycoop demo
      citycoop --store postgresql://postgres@127.0.0.1/test --json demo
    """
    ctx.obj = Settings(store=store, actor=actor, source=source, as_json=as_json)


@cli.command()
@pass_settings
def demo(settings: Settings) -> None:
    """Record the Wuxi–Singapore 2023 story and show the partnership.

    Running it again records nothing new.

    \b
    Example:
      citycoop demo
    """
    from .queries import summary_fields
    from .recording import warn_if_behind
    from .render import echo_fields, echo_json

    with writing(settings) as writes:
        recorded = writes.record_demo(actor=settings.actor)
        warn_if_behind(recorded)
        summary = writes.reads.read_models().partnership(recorded.ids[0])
    if settings.as_json:
        echo_json(summary.model_dump(mode="json"))
    else:
        echo_fields(summary_fields(summary))
