"""Python's cycle collector, kept out of a short command's way.

A command imports some 350 modules and builds their classes before it does
any work: tens of thousands of long-lived objects, none of them garbage, that
the collector would scan again and again as they are made, and once more when
the interpreter exits. So the collector is paused while the command starts
(``pause``, first thing in the console script, ``cli.console``); once the command's modules are
loaded (its door has opened, or the server is about to start), ``resume``
moves everything made so far out of the collector's sight (``gc.freeze``)
and lets it run again for the command's own work. At exit, what is left is
frozen too: the process is ending, and the operating system frees its memory
faster than a final collection would.
"""

from __future__ import annotations

import atexit
import gc

_paused = False


def pause() -> None:
    """Stop collecting cycles until ``resume``; freeze whatever is left at exit."""
    global _paused  # noqa: PLW0603 -- one collector per process
    if gc.isenabled():
        gc.disable()
        _paused = True
    atexit.register(gc.freeze)


def resume() -> None:
    """The command's modules are loaded: leave them out of later collections
    and collect again, if ``pause`` stopped it."""
    global _paused  # noqa: PLW0603
    gc.freeze()
    if _paused:
        gc.enable()
        _paused = False
