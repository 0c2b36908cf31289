"""The installed distribution must hold every module of the source tree.

setuptools is told the package list explicitly (``package-dir`` maps
``domain/`` to ``citycoop.domain`` and so on), so a new subpackage that is not
listed would work in an editable install and be missing from a regular one.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _configured_packages() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    return set(config["packages"])


def test_every_source_folder_with_modules_or_data_is_a_listed_package() -> None:
    found = set()
    for top in ("domain", "adapters", "cli"):
        for folder in [ROOT / top, *(p for p in (ROOT / top).rglob("*") if p.is_dir())]:
            if "__pycache__" in folder.parts or not any(f.is_file() for f in folder.iterdir()):
                continue
            found.add(".".join(["citycoop", *folder.relative_to(ROOT).parts]))
    assert found - _configured_packages() == set()


def test_every_listed_package_exists_in_the_source_tree() -> None:
    missing = {name for name in _configured_packages() if not (ROOT.joinpath(*name.split(".")[1:])).is_dir()}
    assert missing == set()
