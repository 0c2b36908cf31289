"""The ``citycoop`` console script: the command, started with the cycle
collector paused while its modules load (``collector``).

The pause belongs to the script alone, not to ``cli.main``: a program or a
test that imports the command keeps its collector as it was.
"""

from __future__ import annotations

from . import collector


def main() -> None:
    collector.pause()
    from .main import cli

    cli()
