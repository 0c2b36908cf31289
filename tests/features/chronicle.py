"""What the feature steps share: the two doors of the store (the steps call
nothing else), the records named the way the business names them, and what
became of the clerk's last command.

Steps say "Wuxi and Singapore" and "the conference of 5 May 2023"; the
chronicle remembers which record each of those names, so that no id ever
appears in a feature file.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple, TypeVar
from uuid import UUID

from pytest_bdd import given, parsers, when

from citycoop.adapters.reads import ReadModels, Reads
from citycoop.adapters.writes import Step, Writes, command_class, provenance
from citycoop.domain.agreement import Agreement
from citycoop.domain.conference import Conference
from citycoop.domain.errors import CityCoopError
from citycoop.domain.partnership import Partnership
from citycoop.domain.values import Provenance

CLERK = "clerk of the Wuxi partnership office"
CITYCOOP = str(Path(sys.executable).with_name("citycoop"))
"""The command installed beside the Python that runs the tests."""
T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


class LoggedEvent(NamedTuple):
    position: int
    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes


@dataclass
class Chronicle:
    writes: Writes
    reads: Reads
    partnerships: dict[str, UUID] = field(default_factory=dict)
    """By the names of the two cities: "Wuxi and Singapore"."""
    conferences: dict[str, UUID] = field(default_factory=dict)
    """By the date they were held, as citycoop stores it: "2023-05-05"."""
    agreements: dict[tuple[str, str], UUID] = field(default_factory=dict)
    """By the date of the conference and the category signed."""
    refusal: CityCoopError | None = None
    log_before_last_command: list[LoggedEvent] | None = None

    def meta(self, key: str | None = None, source: str | None = None) -> Provenance:
        return provenance(actor=CLERK, key=key, source=source)

    def record(self, kind: str, *, source: str | None = None, **fields: object) -> UUID | None:
        """The clerk records one command (see ``attempt``), from ``source`` if
        given; the id of the record it wrote, unless refused."""
        command = command_class(kind)
        return self.attempt(
            lambda: self.writes.record([Step(command.validated(kind=kind, **fields), self.meta(source=source))]).ids[0]
        )

    def attempt(self, command: Callable[[], T]) -> T | None:
        """Carry out one command of the clerk's, keeping the log as it was
        before and the refusal, if any, for the steps that follow to examine.

        A refusal that no step examined is raised by the next command, and
        fails the scenario at its end (see ``assert_every_refusal_examined``).
        """
        self.assert_every_refusal_examined()
        self.log_before_last_command = self.log()
        try:
            return command()
        except CityCoopError as error:
            self.refusal = error
            return None

    def take_refusal(self) -> CityCoopError:
        refusal, self.refusal = self.refusal, None
        assert refusal is not None, "the command was recorded, but a refusal was expected"
        return refusal

    def assert_every_refusal_examined(self) -> None:
        if self.refusal is not None:
            raise AssertionError(f"the clerk's command was refused, and no step expected that: {self.refusal}")

    def log(self) -> list[LoggedEvent]:
        """Every stored event, in log order, exactly as stored."""
        return [
            LoggedEvent(n.id, n.originator_id, n.originator_version, n.topic, n.state)
            for n in self.reads.notifications(start=1, limit=10**9)
        ]

    def read_models(self) -> ReadModels:
        """The read models, brought up to date first, as the CLI does before it answers."""
        self.reads.catch_up()
        return self.reads.read_models()

    def citycoop(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        """Run the installed ``citycoop`` command on this story's store, as the clerk."""
        command = [CITYCOOP, "--store", self.reads.location.location, "--actor", CLERK, *arguments]
        return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)

    def learn(self, record_ids: Iterable[UUID]) -> None:
        """Remember records recorded in bulk (by an import) by their business names."""
        for record_id in record_ids:
            record = self.reads.record(record_id)
            if isinstance(record, Partnership):
                first, second = record.state.cities
                self.partnerships[f"{first.name} and {second.name}"] = record.id
            elif isinstance(record, Conference):
                self.conferences[record.state.held_on] = record.id
            elif isinstance(record, Agreement):
                held_on = self.reads.record(record.state.conference_id).state.held_on
                self.agreements[(held_on, record.state.category)] = record.id


def in_words(name: str) -> str:
    """An event's name as people say it: "InitiativeLaunched" is "initiative launched"."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower()


def business_date(text: str) -> str:
    """A date as the business writes it ("5 May 2023", "May 2023", "1993") as citycoop stores it."""
    for written, stored in (("%d %B %Y", "%Y-%m-%d"), ("%B %Y", "%Y-%m"), ("%Y", "%Y")):
        try:
            return datetime.strptime(text, written).strftime(stored)
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date as the business writes one")


business_date.pattern = r"(?:\d{1,2} )?(?:[A-Z][a-z]+ )?\d{4}"  # type: ignore[attr-defined]


def figure(text: str) -> str:
    """A figure as the business writes it ("16,400,000,000") as the plain number citycoop takes."""
    return text.replace(",", "")


figure.pattern = r"-?[\d,]+(?:\.\d+)?"  # type: ignore[attr-defined]


def quote(text: str) -> str:
    """Quoted text, which may be empty: a correction's reason, say."""
    return text


quote.pattern = r'[^"]*'  # type: ignore[attr-defined]

_QUALIFIERS = ("about", "nearly", "more than", "at least", "at most", "less than")


class Bounded(NamedTuple):
    """A figure as the source gives it: "more than 700" is 700 and more-than."""

    qualifier: str
    figure: int


def bounded(text: str) -> Bounded:
    """ "nearly 200" as the figure and qualifier citycoop keeps; a bare figure is exact."""
    for words in _QUALIFIERS:
        if text.startswith(f"{words} "):
            return Bounded(words.replace(" ", "-"), int(figure(text.removeprefix(f"{words} "))))
    return Bounded("exact", int(figure(text)))


bounded.pattern = rf"(?:(?:{'|'.join(_QUALIFIERS)}) )?-?[\d,]+"  # type: ignore[attr-defined]

TYPES = {"Date": business_date, "Figure": figure, "Quote": quote, "Bounded": bounded}
"""Extra types for the steps' parse patterns: ``{held_on:Date}``, ``{amount:Figure}``, ``"{reason:Quote}"``,
``{attendance:Bounded}``."""


def fact(pattern: str) -> Callable[[F], F]:
    """Bind a step both as a Given and as the clerk's command under test."""

    def bind(step_function: F) -> F:
        given(parsers.parse(pattern, extra_types=TYPES), stacklevel=2)(step_function)
        when(parsers.parse(f"the clerk records that {pattern}", extra_types=TYPES), stacklevel=2)(step_function)
        return step_function

    return bind
