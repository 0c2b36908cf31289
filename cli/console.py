"""The ``citycoop`` console script: the command, started with the cycle
collector paused while its modules load (``collector``), and without
pydantic's plugins unless asked for.

pydantic looks for plugins (the ``pydantic`` entry-point group) by reading
the metadata of every installed distribution the first time it builds a
validator: tens of milliseconds at each start, for plugins citycoop has no
use for. pydantic skips that when ``PYDANTIC_DISABLE_PLUGINS`` is ``1``
(``pydantic/plugin/_loader.py``), so the script sets it unless it is set
already; ``PYDANTIC_DISABLE_PLUGINS=`` (empty) brings every installed
plugin back, and a program that imports the command is left as it is.

Even with plugins off, importing pydantic's loader imports
``importlib.metadata`` (and with it ``email``, ``zipfile``, ``csv``, ``socket``):
about 20 ms of CPU, half an ``import click``, before the first validator is
built. So where plugins are off for every plugin, the script puts in the
loader's place a module whose ``get_plugins`` finds none, as the real one
would have answered.

For the same reason, psycopg's version modules, which ask
``importlib.metadata`` on every command on PostgreSQL, are answered from
their installed folders' names (``driver_versions``).
"""

from __future__ import annotations

import os
import sys
from types import ModuleType

from . import collector, driver_versions

PLUGINS_VARIABLE = "PYDANTIC_DISABLE_PLUGINS"
PLUGIN_LOADER = "pydantic.plugin._loader"
ALL_PLUGINS_OFF = ("__all__", "1", "true")
"""The values by which pydantic's loader returns no plugins without looking."""


def main() -> None:
    prepare()
    from .main import cli

    cli()


def prepare() -> None:
    """Start as the command starts: the collector paused, pydantic's plugins
    (and their loader) left out unless asked for, psycopg's versions read
    without ``importlib.metadata``."""
    collector.pause()
    driver_versions.stand_in()
    os.environ.setdefault(PLUGINS_VARIABLE, "1")
    if os.environ[PLUGINS_VARIABLE] in ALL_PLUGINS_OFF:
        sys.modules.setdefault(PLUGIN_LOADER, _no_plugins())


def _no_plugins() -> ModuleType:
    loader = ModuleType(PLUGIN_LOADER, "Stands in for pydantic's plugin loader when every plugin is off.")
    loader.get_plugins = _none  # type: ignore[attr-defined]
    return loader


def _none(*_args: object, **_kwargs: object) -> tuple[()]:
    """The plugins found: none, whatever pydantic asks."""
    return ()
