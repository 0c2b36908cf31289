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
"""

from __future__ import annotations

import os

from . import collector

PLUGINS_VARIABLE = "PYDANTIC_DISABLE_PLUGINS"


def main() -> None:
    collector.pause()
    os.environ.setdefault(PLUGINS_VARIABLE, "1")
    from .main import cli

    cli()
