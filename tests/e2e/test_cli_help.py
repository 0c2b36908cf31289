"""Help for people and shells: every command of the installed ``citycoop``,
whoever wrote it, explains itself with a real example; ``--version`` answers;
shell completion works; ``--help`` loads none of the heavy libraries, and
commands on an SQLite store load no PostgreSQL driver."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import click
import pytest
from cli_harness import CITYCOOP, imported_by

from citycoop.adapters.projections.runner import BATCH_SIZE, REBUILD_BATCH_SIZE
from citycoop.cli.main import cli


def command_paths(command: click.Command, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command and group in the tree, as the words that name it."""
    paths = [path]
    if isinstance(command, click.Group):
        with click.Context(command) as ctx:
            for name in command.list_commands(ctx):
                subcommand = command.get_command(ctx, name)
                assert subcommand is not None, name
                paths += command_paths(subcommand, (*path, name))
    return paths


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CITYCOOP, *args], capture_output=True, text=True, timeout=60, check=False, env={**os.environ, **(env or {})}
    )


COMMAND_PATHS = command_paths(cli)


def test_the_command_tree_has_every_recording_command_and_import() -> None:
    recording = {path[1] for path in COMMAND_PATHS if path[:1] == ("record",) and len(path) == 2}
    assert recording == {
        *("establish-partnership", "change-stage", "add-field", "report-investment", "launch-initiative"),
        *("suspend-partnership", "resume-partnership", "end-partnership", "hold-conference", "introduce-project"),
        *("sign-projects", "name-project", "change-agreement-status", "correct", "mark-duplicate"),
    }
    assert ("import",) in COMMAND_PATHS


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=lambda path: " ".join(path) or "citycoop")
def test_every_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    shown = run(*path, "--help")

    assert shown.returncode == 0, shown.stderr
    assert "Example" in shown.stdout, f"'citycoop {' '.join(path)} --help' gives no example"
    example = shown.stdout.split("Example", 1)[1]
    assert "citycoop" in example, f"the example of 'citycoop {' '.join(path)}' does not show the command"


def test_version_names_the_installed_release() -> None:
    shown = run("--version")

    assert shown.returncode == 0
    assert shown.stdout == f"citycoop, version {version('citycoop')}\n"


def test_bash_completion_is_generated_by_the_documented_variable() -> None:
    script = run(env={"_CITYCOOP_COMPLETE": "bash_source"})

    assert script.returncode == 0
    assert "_citycoop_completion()" in script.stdout
    assert "complete -o nosort -F _citycoop_completion citycoop" in script.stdout


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("citycoop rec", {"record"}),
        ("citycoop record add-f", {"add-field"}),
        ("citycoop record add-field --field fin", {"finance"}),
        ("citycoop record change-stage --stage s", {"sister-city"}),
        ("citycoop record sign-projects --category s", {"strategic"}),
    ],
)
def test_commands_and_vocabulary_terms_complete_in_bash(words: str, expected: set[str]) -> None:
    env = {"_CITYCOOP_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)}

    completed = run(env=env)

    assert {line.split(",", 1)[1] for line in completed.stdout.splitlines()} == expected


def test_loading_the_command_for_help_imports_none_of_the_heavy_libraries() -> None:
    heavy = ("pydantic", "eventsourcing", "psycopg", "yaml", "fastapi", "uvicorn", "citycoop.adapters.application")
    probe = f"import sys; from citycoop.cli.main import cli; print([m for m in {heavy!r} if m in sys.modules])"

    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)

    assert loaded.stdout.strip() == "[]"


def test_a_recording_command_loads_no_other_commands_module(tmp_path: Path) -> None:
    store = str(tmp_path / "citycoop.db")
    subprocess.run([CITYCOOP, "--store", store, "demo"], check=True, capture_output=True)
    record = ["record", "add-field", "--partnership", "712a8a14-4928-5786-9e6c-a9b3845f5511", "--field", "finance"]
    others = [f"citycoop.cli.{module}" for module in ("audit", "history", "importing", "projections", "queries")]
    probe = (
        "import sys; from citycoop.cli.main import cli\n"
        f"cli(['--store', {store!r}, '--actor', 'clerk', *{record!r}], standalone_mode=False)\n"
        f"print([m for m in {others!r} if m in sys.modules], file=sys.stderr)"
    )

    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)

    assert loaded.stderr.splitlines()[-1] == "[]"


def test_commands_on_an_sqlite_store_import_no_postgresql_driver(tmp_path: Path) -> None:
    store = str(tmp_path / "citycoop.db")
    commands = [["demo"], ["audit", "verify"], ["projections", "rebuild"], ["partnerships"]]
    probe = (
        "import sys; from citycoop.cli.main import cli\n"
        f"for words in {commands!r}:\n"
        f"    cli(['--store', {store!r}, '--actor', 'clerk', *words], standalone_mode=False)\n"
        "print([m for m in ('psycopg', 'eventsourcing.postgres') if m in sys.modules], file=sys.stderr)"
    )

    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)

    assert "Wuxi" in loaded.stdout
    assert loaded.stderr.splitlines()[-1] == "[]"


def test_a_recording_command_builds_only_the_models_it_uses(tmp_path: Path) -> None:
    store = str(tmp_path / "citycoop.db")
    subprocess.run([CITYCOOP, "--store", store, "demo"], check=True, capture_output=True)
    wuxi_singapore = "712a8a14-4928-5786-9e6c-a9b3845f5511"
    record = ["record", "report-investment", "--partnership", wuxi_singapore, "--enterprises", "701"]
    record += ["--amount", "16500000000", "--as-of", "2023-06-30"]
    probe = (
        "from citycoop.cli.main import cli\n"
        f"cli(['--store', {store!r}, '--actor', 'clerk', *{record!r}], standalone_mode=False)\n"
        "from citycoop.adapters.application.commands import HoldConference, ReportInvestment\n"
        "from citycoop.adapters.projections import PartnershipSummary\n"
        "from citycoop.domain.conference import Conference\n"
        "models = (ReportInvestment, HoldConference, PartnershipSummary, Conference.Held)\n"
        "print([model.__pydantic_complete__ for model in models])"
    )

    built = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)

    assert built.stdout.splitlines()[-1] == "[True, False, False, False]"


def test_a_recording_command_on_a_partnership_imports_only_what_it_runs_through(tmp_path: Path) -> None:
    """Each module left out here cost every recording command's start a few
    milliseconds: the records it does not touch (a dozen pydantic models
    each), the library's projection base and DCB modules, the temporary
    files and folders that only a reader of a missing store, or read models
    built aside, make; click's completion, which only the shell asks for; the
    projections' status models."""
    store = str(tmp_path / "citycoop.db")
    subprocess.run([CITYCOOP, "--store", store, "demo"], check=True, capture_output=True)
    record = ["record", "report-investment", "--partnership", "712a8a14-4928-5786-9e6c-a9b3845f5511"]
    record += ["--enterprises", "702", "--amount", "16600000000", "--as-of", "2023-07-31"]
    left_out = {"citycoop.domain.conference", "citycoop.domain.agreement", "eventsourcing.projection"}
    left_out |= {"eventsourcing.dcb", "shutil", "tempfile", "click.shell_completion", "psycopg", "fastapi"}
    left_out |= {"citycoop.adapters.http", "importlib.metadata", "citycoop.adapters.projections.statuses"}

    imported = imported_by("--store", store, "--actor", "clerk", *record)

    assert "citycoop.domain.partnership" in imported
    assert "citycoop.adapters.projections.runner" in imported
    assert imported & left_out == set()


def test_a_command_on_a_conference_still_finds_its_classes(tmp_path: Path) -> None:
    store = str(tmp_path / "citycoop.db")
    subprocess.run([CITYCOOP, "--store", store, "demo"], check=True, capture_output=True)
    conference = "3f334e39-a276-50ae-81c4-3929132160f8"
    record = ["record", "introduce-project", "--conference", conference, "--name", "Wuxi Exchange Hub"]

    imported = imported_by("--store", store, "--actor", "clerk", *record)
    shown = run("--store", store, "--json", "conferences")

    assert {"citycoop.domain.conference", "citycoop.domain.partnership"} <= imported
    assert "Wuxi Exchange Hub" in shown.stdout


@pytest.mark.parametrize(("command", "default"), [("rebuild", REBUILD_BATCH_SIZE), ("run", BATCH_SIZE)])
def test_projection_commands_default_to_the_runners_batch_sizes(command: str, default: int) -> None:
    with click.Context(cli) as ctx:
        group = cli.get_command(ctx, "projections")
    assert isinstance(group, click.Group)
    [option] = [option for option in group.commands[command].params if option.name == "batch_size"]

    assert option.default == default
