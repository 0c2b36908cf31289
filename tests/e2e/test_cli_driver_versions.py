"""The console script answers psycopg's versions from the folders pip
installed them in, as ``importlib.metadata`` would, without importing it: a
command on PostgreSQL no longer pays for ``importlib.metadata`` and the
``email``, ``zipfile`` and ``csv`` modules it loads."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from cli_harness import CITYCOOP, imported_by

from citycoop.cli import driver_versions

VERSIONS_PROBE = """
import json, sys
from citycoop.cli import console
console.prepare()
import psycopg, psycopg_binary, psycopg_pool
from psycopg import _cmodule
versions = [psycopg.__version__, psycopg_binary.__version__, psycopg_pool.__version__, _cmodule.__version__]
print(json.dumps([versions, "importlib.metadata" in sys.modules]))
"""
WUXI_SINGAPORE = "712a8a14-4928-5786-9e6c-a9b3845f5511"


def test_the_console_script_gives_psycopg_the_versions_that_its_metadata_gives() -> None:
    shown = subprocess.run([sys.executable, "-c", VERSIONS_PROBE], capture_output=True, text=True, check=True)

    versions, metadata_imported = json.loads(shown.stdout)
    expected = [metadata.version(name) for name in ("psycopg", "psycopg-binary", "psycopg-pool", "psycopg-binary")]
    assert versions == expected
    assert metadata_imported is False


@pytest.mark.parametrize(
    ("folders", "expected"),
    [
        (["psycopg-3.3.9.dist-info"], "3.3.9"),
        (["psycopg-3.3.9.dist-info", "psycopg_binary-3.3.8.dist-info", "psycopg_pool-3.3.3.dist-info"], "3.3.9"),
        ([], None),
        (["psycopg-3.3.8.dist-info", "psycopg-3.3.9.dist-info"], None),
    ],
    ids=["its folder", "among its neighbours'", "no folder", "two folders"],
)
def test_a_version_is_read_only_from_the_one_folder_of_its_distribution(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, folders: list[str], expected: str | None
) -> None:
    (tmp_path / "psycopg").mkdir()
    (tmp_path / "psycopg" / "__init__.py").write_text("")
    for folder in folders:
        (tmp_path / folder).mkdir()
    monkeypatch.setattr(sys, "path", [str(tmp_path / "elsewhere"), str(tmp_path)])

    assert driver_versions.installed_version("psycopg") == expected


def test_a_package_not_installed_has_no_version_to_stand_in_for(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "path", [])

    assert driver_versions.installed_version("psycopg") is None


@pytest.mark.postgres
def test_a_recording_command_on_postgresql_imports_no_package_metadata(postgres_store: str) -> None:
    subprocess.run([CITYCOOP, "--store", postgres_store, "demo"], check=True, capture_output=True)
    record = ["record", "add-field", "--partnership", WUXI_SINGAPORE, "--field", "finance"]

    imported = imported_by("--store", postgres_store, "--actor", "clerk", *record)

    assert "psycopg" in imported
    assert imported & {"importlib.metadata", "email", "zipfile", "csv"} == set()
