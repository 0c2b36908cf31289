"""The house's layers import downward only, and the entry points (the CLI and
the HTTP API) reach the adapters through the two doors alone.

Every module of ``domain/``, ``adapters/`` and ``cli/`` is read as source and
each of its imports (at the top, inside a function, or for type checking
alone) is resolved to the module it names. The entry points may also use the
domain's words: its errors (to tell a refusal from a failure) and its
vocabularies (to offer and complete terms); nothing else of the domain.
Besides the doors, they may import the names they share with the adapters
(``adapters.shared_names``), which imports nothing of the house.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOP = {"domain": "citycoop.domain", "adapters": "citycoop.adapters", "cli": "citycoop.cli"}

DOORS = ("citycoop.adapters.reads", "citycoop.adapters.writes")
DOMAIN_WORDS = ("citycoop.domain.errors", "citycoop.domain.vocabulary")
SHARED_NAMES = ("citycoop.adapters.shared_names",)
"""The names (environment variables, store files) the entry points and the adapters below them agree on."""
PURE = (
    *[
        "__future__",
        "abc",
        "collections",
        "dataclasses",
        "datetime",
        "decimal",
        "enum",
        "functools",
        "itertools",
        "math",
        "re",
        "typing",
        "unicodedata",
        "uuid",
    ],
    *("pydantic", "pydantic_core", "eventsourcing.domain", "eventsourcing.utils"),
)
"""What the domain may import besides itself: no I/O (no files, no SQL, no network), no adapters."""

BELOW: dict[str, tuple[str, ...]] = {
    "citycoop.domain": ("citycoop.adapters", "citycoop.cli"),
    "citycoop.adapters.storage": (
        "citycoop.adapters.application",
        "citycoop.adapters.projections",
        "citycoop.adapters.audit",
        "citycoop.adapters.reads",
        "citycoop.adapters.writes",
        "citycoop.adapters.doors",
        "citycoop.adapters.http",
    ),
    "citycoop.adapters.application": (
        "citycoop.adapters.projections",
        "citycoop.adapters.audit",
        "citycoop.adapters.reads",
        "citycoop.adapters.writes",
        "citycoop.adapters.doors",
        "citycoop.adapters.http",
    ),
    "citycoop.adapters.projections": (
        "citycoop.adapters.application",
        "citycoop.adapters.audit",
        "citycoop.adapters.reads",
        "citycoop.adapters.writes",
        "citycoop.adapters.doors",
        "citycoop.adapters.http",
    ),
    "citycoop.adapters.audit": (
        "citycoop.adapters.projections",
        "citycoop.adapters.reads",
        "citycoop.adapters.writes",
        "citycoop.adapters.doors",
        "citycoop.adapters.http",
    ),
    "citycoop.adapters.reads": ("citycoop.adapters.http", "citycoop.cli"),
    "citycoop.adapters.writes": ("citycoop.adapters.http", "citycoop.cli"),
    "citycoop.adapters.doors": ("citycoop.adapters.http", "citycoop.cli"),
    "citycoop.adapters.http": ("citycoop.cli",),
}
"""For each layer, the layers above it, which it must not import."""


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join([TOP[parts[0]], *parts[1:]]).removesuffix(".__init__")


def imports(source: str, module: str, *, is_package: bool = False) -> list[tuple[int, str]]:
    """Each import of a module's source, as the line and the absolute name of
    what it imports (``from x import y`` names ``x.y``, which is ``x`` itself
    when ``y`` is not a module)."""
    package = module if is_package else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def violations(source: str, module: str, *, is_package: bool = False) -> list[str]:
    """What is wrong with the imports of one module, in words."""
    found = []
    for line, name in imports(source, module, is_package=is_package):
        if not name.startswith("citycoop."):
            if module.startswith("citycoop.domain.") and not _in(name, PURE):
                found.append(f"{module}:{line} imports {name}, which the pure domain must not")
            continue
        layer = max((layer for layer in BELOW if _in(module, (layer,))), key=len, default=None)
        if layer is not None and _in(name, BELOW[layer]):
            found.append(f"{module}:{line} imports {name}, which is above it")
        if _in(module, ("citycoop.cli", "citycoop.adapters.http")):
            own = "citycoop.cli" if module.startswith("citycoop.cli") else "citycoop.adapters.http"
            if not _in(name, (own, *DOORS, *DOMAIN_WORDS, *SHARED_NAMES)):
                found.append(f"{module}:{line} imports {name}: an entry point may import only the two doors")
    return found


def _in(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


SOURCES = sorted(path for top in TOP for path in (ROOT / top).rglob("*.py"))


def test_the_shared_names_import_nothing_of_the_house() -> None:
    """Else the entry points would reach past the doors through them."""
    path = ROOT / "adapters" / "shared_names.py"
    assert [name for _, name in imports(path.read_text(encoding="utf-8"), SHARED_NAMES[0])] == [
        "__future__.annotations"
    ]


def test_every_layer_of_the_house_is_read() -> None:
    modules = {module_name(path) for path in SOURCES}
    assert {"citycoop.domain.aggregate", "citycoop.adapters.reads", "citycoop.cli.main"} <= modules
    assert any(module.startswith("citycoop.adapters.http.") for module in modules)


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(ROOT)))
def test_a_module_imports_only_below_it_and_entry_points_only_the_doors(path: Path) -> None:
    assert violations(path.read_text(encoding="utf-8"), module_name(path), is_package=path.name == "__init__.py") == []


@pytest.mark.parametrize(
    ("module", "source"),
    [
        ("citycoop.cli.queries", "from ..adapters.projections import ReadModels"),
        ("citycoop.cli.queries", "def f():\n    from ..adapters.application.service import CityCoop"),
        ("citycoop.adapters.http.feed", "from ..storage.errors import translated_store_errors"),
        ("citycoop.adapters.http.pages", "from ...domain.values import Text"),
        ("citycoop.adapters.storage.sql", "from ..projections.database import ReadModelDatabase"),
        ("citycoop.adapters.projections.runner", "from ..audit.auditor import Auditor"),
        ("citycoop.adapters.application.service", "import citycoop.adapters.reads"),
        ("citycoop.domain.values", "from ..adapters.storage.location import StoreLocation"),
        ("citycoop.domain.values", "import sqlite3"),
    ],
)
def test_an_import_across_the_layers_is_found(module: str, source: str) -> None:
    assert violations(source, module) != []


FEATURE_STEPS = sorted((ROOT / "tests" / "features").glob("*.py"))


@pytest.mark.parametrize("path", FEATURE_STEPS, ids=lambda path: path.name)
def test_the_feature_steps_reach_the_adapters_only_through_the_two_doors(path: Path) -> None:
    below = [
        f"{path.name}:{line} imports {name}"
        for line, name in imports(path.read_text(encoding="utf-8"), "tests.features.steps")
        if _in(name, ("citycoop.adapters",)) and not _in(name, DOORS)
    ]
    assert below == []


def test_the_doors_the_domain_words_and_relative_imports_within_a_layer_pass() -> None:
    allowed = (
        "from ..adapters.reads import Moment\nfrom ..adapters.writes import Step\n"
        "from ..domain.errors import CityCoopError\nfrom ..domain.vocabulary import Stage\nfrom . import parsers\n"
    )
    assert violations(allowed, "citycoop.cli.record") == []
    assert violations("from .. import reads", "citycoop.adapters.http.feed") == []
