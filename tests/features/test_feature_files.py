"""Every feature file is valid Gherkin to the official parser, is bound by its
own test module, and each of its steps is matched by exactly one step
definition: a step nobody defined, or that two definitions claim, fails here
by name rather than in the middle of a scenario.
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import pytest
from gherkin.parser import Parser
from gherkin.pickles.compiler import Compiler
from pytest_bdd.steps import StepFunctionContext, step_function_context_registry

FEATURES = Path(__file__).resolve().parents[2] / "features"
SHARED_STEPS = Path(__file__).with_name("conftest.py")
STEP_TYPES = {"Context": "given", "Action": "when", "Outcome": "then"}
"""How the Gherkin compiler names the kind of a step (an And takes the kind
of the step before it), and how pytest-bdd names it."""


def feature_files() -> list[Path]:
    return sorted(FEATURES.glob("*.feature"))


def steps_of(path: Path) -> list[tuple[str, str]]:
    """(kind, text) of every step of every scenario, outlines expanded, Backgrounds included."""
    document = Parser().parse(path.read_text(encoding="utf-8"))
    pickles = Compiler().compile({**document, "uri": str(path)})
    return [(STEP_TYPES[step["type"]], step["text"]) for pickle in pickles for step in pickle["steps"]]


def definitions_visible_to(path: Path) -> list[StepFunctionContext]:
    """The shared steps, and those of the module that binds ``path``."""
    module = importlib.import_module(f"{__package__}.test_{path.stem}")
    files = {SHARED_STEPS, Path(inspect.getfile(module))}
    return [
        definition
        for definition in step_function_context_registry.values()
        if Path(inspect.getfile(definition.step_func)) in files
    ]


def test_the_features_folder_holds_feature_files() -> None:
    assert len(feature_files()) >= 7


@pytest.mark.parametrize("path", feature_files(), ids=lambda path: path.name)
def test_every_step_of_the_feature_has_exactly_one_definition(path: Path) -> None:
    definitions = definitions_visible_to(path)
    problems = []
    for kind, text in dict.fromkeys(steps_of(path)):
        matching = [d for d in definitions if d.type in (None, kind) and d.parser.is_matching(text)]
        if len(matching) != 1:
            problems.append(f"{kind} {text!r}: {len(matching)} definitions match")
    assert problems == []
