"""psycopg's version modules, answered for the console script without
``importlib.metadata``.

``psycopg``, ``psycopg_binary`` and ``psycopg_pool`` each learn their own
version on import from ``importlib.metadata.version`` (their ``version``
modules). Importing ``importlib.metadata`` imports ``email``, ``zipfile``,
``csv`` and more: about as much CPU as ``import click``, paid by every
command on a PostgreSQL store, before it connects. Each of those versions is
also the name of the distribution's ``.dist-info`` folder beside the package,
where pip installs it (``psycopg-3.3.9.dist-info``: the wheel format names it
so), and that folder's name is what ``stand_in`` reads.

Where the folder is not found, or not found once, the real module is left to
answer, as it would have.

A stand-in is only an entry of ``sys.modules``: unlike the real module, it
is not bound as an attribute of its package: ``psycopg.version`` raises
AttributeError, even after ``import psycopg.version``, where ``from psycopg
import version`` (and psycopg's own ``from .version import __version__``)
finds it. Nothing here reads it as an attribute.
"""

from __future__ import annotations

import os
import sys
from types import ModuleType

VERSION_MODULES = ("psycopg.version", "psycopg_binary.version", "psycopg_pool.version")
"""The modules whose only work is ``metadata.version`` of their own distribution."""


def stand_in() -> None:
    """Put in ``sys.modules`` a version module for each package whose version its folder names."""
    listings: dict[str, list[str]] = {}
    for name in VERSION_MODULES:
        package = name.partition(".")[0]
        if name in sys.modules:
            continue
        version = installed_version(package, listings)
        if version is not None:
            module = ModuleType(name, f"Stands in for {package}'s version module: its .dist-info folder's version.")
            module.__version__ = version  # type: ignore[attr-defined]
            sys.modules[name] = module


def installed_version(package: str, listings: dict[str, list[str]] | None = None) -> str | None:
    """The version of the distribution installed as ``package`` (a top-level
    package named as its distribution is, ``-`` as ``_``), read from its one
    ``<package>-<version>.dist-info`` folder in the first folder of
    ``sys.path`` that holds the package; None if there is not exactly one.
    ``listings`` keeps each folder's listing between calls."""
    listings = {} if listings is None else listings
    for folder in sys.path:
        if not os.path.isfile(os.path.join(folder or ".", package, "__init__.py")):
            continue
        if folder not in listings:
            listings[folder] = os.listdir(folder or ".")
        prefix, suffix = f"{package}-", ".dist-info"
        named = (
            entry[len(prefix) : -len(suffix)]
            for entry in listings[folder]
            if entry.startswith(prefix) and entry.endswith(suffix)
        )
        versions = [version for version in named if version and "-" not in version]
        return versions[0] if len(versions) == 1 else None
    return None
