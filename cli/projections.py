"""``citycoop projections``: the state of the read models, rebuilding them,
and running them as their own long-lived process."""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Sequence
from typing import Any

import click

from .context import Settings, UsageError, following, pass_settings, reading
from .render import echo_json, echo_table

_names = click.option(
    "--name",
    "names",
    multiple=True,
    metavar="NAME",
    help="Only this projection (repeatable); 'citycoop projections status' lists them.",
)


def _batch_size(default: int) -> Callable[[Callable[..., None]], Callable[..., None]]:
    return click.option(
        "--batch-size",
        type=click.IntRange(min=1, max=100_000),
        default=default,
        show_default=True,
        help="Events applied per transaction.",
    )


def _selected(names: Sequence[str]) -> tuple[str, ...]:
    """The projections named, or all of them."""
    from ..adapters.reads import PROJECTION_NAMES

    unknown = [name for name in names if name not in PROJECTION_NAMES]
    if unknown:
        raise UsageError(f"name: {unknown[0]!r} is not a projection; the projections are {', '.join(PROJECTION_NAMES)}")
    return tuple(names) or PROJECTION_NAMES


@click.group()
def projections() -> None:
    """The read models: how far behind the log they are, rebuilding them,
    and keeping them caught up in a process of their own.

    \b
    Example:
      citycoop projections status
      citycoop projections rebuild --name timeline
      citycoop --store postgresql://postgres@127.0.0.1/test projections run --follow
    """


@projections.command()
@pass_settings
def status(settings: Settings) -> None:
    """Each projection's position, the head of the log, and the lag in events
    and in age of the oldest event not yet applied.

    \b
    Example:
      citycoop projections status
    """
    with reading(settings) as reads:
        report = reads.status()
    if settings.as_json:
        echo_json([entry.model_dump(mode="json") for entry in report])
        return
    echo_table(
        [
            {
                "name": entry.name,
                "version": str(entry.version) + (" (needs rebuild)" if entry.needs_rebuild else ""),
                "position": str(entry.position),
                "head": str(entry.head),
                "lag": str(entry.lag_events),
                "oldest waiting": entry.oldest_unprocessed_at and f"{entry.lag_seconds:.0f}s ago",
                "rebuilding": entry.rebuilding and f"version {entry.rebuilding.version} at {entry.rebuilding.position}",
            }
            for entry in report
        ],
        ("name", "version", "position", "head", "lag", "oldest waiting", "rebuilding"),
    )


@projections.command()
@_names
@_batch_size(10_000)  # runner.REBUILD_BATCH_SIZE, not imported for a fast --help
@pass_settings
def rebuild(settings: Settings, names: tuple[str, ...], batch_size: int) -> None:
    """Build projections again from the start of the log, into new tables,
    while readers keep the old ones; then switch readers over at once. An
    interrupted rebuild is resumed where it stopped.

    \b
    Example:
      citycoop projections rebuild
      citycoop projections rebuild --name partnership_summaries --name timeline
    """
    selected = _selected(names)
    with reading(settings) as reads, _ProgressBar(label="Rebuilding") as progress:
        position = reads.rebuild(selected, batch_size=batch_size, progress=progress)
    _report(settings, selected, position, "rebuilt")


@projections.command(name="run")
@_names
@click.option("--follow", is_flag=True, help="Keep running, applying new events as they are recorded.")
@_batch_size(500)  # runner.BATCH_SIZE
@pass_settings
def run_projections(settings: Settings, names: tuple[str, ...], follow: bool, batch_size: int) -> None:
    """Bring projections to the head of the log; with --follow, keep them
    there until stopped (Ctrl-C or SIGTERM). Several can run at once, each
    with its own --name, on other machines than the writers.

    \b
    Example:
      citycoop projections run
      citycoop --store postgresql://db/citycoop projections run --name timeline --follow
    """
    from threading import Event

    selected = _selected(names)
    if not follow:
        with reading(settings) as reads, _ProgressBar(label="Catching up") as progress:
            position = reads.catch_up(selected, batch_size=batch_size, progress=progress)
        _report(settings, selected, position, "caught up")
        return
    stop = Event()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signal_number, lambda *_: stop.set())
    with following(settings) as reads:
        reads.follow(
            selected,
            stop=stop,
            batch_size=batch_size,
            caught_up=lambda position: _report(settings, selected, position, "caught up"),
        )


def _report(settings: Settings, names: Sequence[str], position: int, done: str) -> None:
    if settings.as_json:
        echo_json({"position": position, "projections": list(names)})
    else:
        click.echo(f"{', '.join(names)}: {done} to position {position}")


class _ProgressBar:
    """A progress bar on standard error, shown only on a terminal (as the
    import's), where a person watches it: elsewhere click would print its
    label alone into a log or a pipe."""

    def __init__(self, label: str) -> None:
        self._label = label
        self._bar: Any = None
        self._done = 0
        self._shown = sys.stderr.isatty()

    def __enter__(self) -> _ProgressBar:
        return self

    def __call__(self, done: int, total: int) -> None:
        if not self._shown:
            return
        if self._bar is None:
            self._bar = click.progressbar(length=total, label=self._label, file=sys.stderr)
            self._bar.__enter__()
        self._bar.update(done - self._done)
        self._done = done

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(*exc_info)
