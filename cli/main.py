"""The ``citycoop`` command: global options and its command groups.

Heavy modules (eventsourcing, pydantic, the application) are imported inside
commands, so ``citycoop --help`` starts about as fast as click itself.
"""

from __future__ import annotations

import click

from . import audit, history
from .cities import cities
from .context import OneLineErrorsGroup, Settings, login_name, pass_settings, writing
from .importing import import_file
from .projections import projections
from .queries import QUERY_COMMANDS, summary_fields
from .record import record
from .recording import warn_if_behind
from .render import echo_fields, echo_json
from .schema import schema
from .serve import serve
from .timeline import timeline


@click.group(cls=OneLineErrorsGroup)
@click.version_option(package_name="citycoop")
@click.option(
    "--store",
    envvar="CITYCOOP_STORE",
    metavar="PATH|URL",
    help="SQLite file or postgresql:// URL [env CITYCOOP_STORE; default ~/.local/share/citycoop/citycoop.db].",
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
    with writing(settings) as writes:
        recorded = writes.record_demo(actor=settings.actor)
        warn_if_behind(recorded)
        summary = writes.reads.read_models().partnership(recorded.ids[0])
    if settings.as_json:
        echo_json(summary.model_dump(mode="json"))
    else:
        echo_fields(summary_fields(summary))


cli.add_command(serve)
cli.add_command(record)
cli.add_command(import_file)
cli.add_command(projections)
for command in (*QUERY_COMMANDS, cities, timeline, schema):
    cli.add_command(command)
for command in (history.history, history.log, history.state, audit.audit, audit.export, audit.restore):
    cli.add_command(command)
