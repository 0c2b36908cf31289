"""``citycoop record``: one command per kind of fact, named as the kinds of an
import file's entries, each printing the id of the record it wrote.

Each command's options are made from its command model's fields
(``options``) when the command is first asked for, so ``citycoop --help``
and ``citycoop record --help`` load no model; what is said here is each
command's summary and example.
"""

from __future__ import annotations

import json
from typing import Any

import click

from .context import Settings, UsageError
from .options import CITIES, VALUE, options
from .recording import record_one

P = "712a8a14-4928-5786-9e6c-a9b3845f5511"
"""Wuxi–Singapore as ``citycoop demo`` records it: the id follows from the two
cities, so the examples work on any store after the demo."""
C = "3f334e39-a276-50ae-81c4-3929132160f8"
A = "2c4d7269-d948-59c7-a900-3fe110974668"
INNOVATION_CITY = '"Wuxi Singapore Science and Technology Innovation City"'

COMMANDS: dict[str, tuple[str, str]] = {
    "establish-partnership": (
        "Record that two cities became partners.",
        "citycoop record establish-partnership --city Wuxi:China --city Singapore:Singapore \\\n"
        "    --since 1993 --field science-and-technology --field economy-and-trade",
    ),
    "change-stage": (
        "Record that a partnership became more (or less) formal.",
        f"citycoop record change-stage --partnership {P} --stage friendship-city --on 1993",
    ),
    "add-field": (
        "Record that a partnership now covers another field of cooperation.",
        f"citycoop record add-field --partnership {P} --field finance",
    ),
    "report-investment": (
        "Record cumulative investment figures, replacing the previous ones.",
        f"citycoop record report-investment --partnership {P} \\\n"
        "    --enterprises 700 --enterprises-qualifier more-than \\\n"
        "    --amount 16400000000 --currency USD --as-of 2023-05-05",
    ),
    "launch-initiative": (
        "Record a named joint initiative: an industrial park, an innovation city …",
        f"citycoop record launch-initiative --partnership {P} \\\n"
        f"    --name {INNOVATION_CITY} --kind innovation-city --started 2023-05",
    ),
    "suspend-partnership": (
        "Record that a partnership was put on hold, until it is resumed or ended.",
        f'citycoop record suspend-partnership --partnership {P} --on 2024-01 --reason "Under review"',
    ),
    "resume-partnership": (
        "Record that a suspended partnership is active again.",
        f"citycoop record resume-partnership --partnership {P} --on 2024-06",
    ),
    "end-partnership": (
        "Record that a partnership ended; nothing more can be recorded on it.",
        f'citycoop record end-partnership --partnership {P} --on 2025 --reason "Dissolved by both councils"',
    ),
    "hold-conference": (
        "Record a conference held within a partnership.",
        f"citycoop record hold-conference --partnership {P} \\\n"
        '    --title "Wuxi Singapore Cooperation and Development Conference on Urban Internationalization" \\\n'
        "    --held-on 2023-05-05 --host-city Wuxi --attendance 200 --attendance-qualifier nearly \\\n"
        '    --organization "Singapore Exchange (SGX)" --speaker "Zhao Jianjun:Mayor of Wuxi"',
    ),
    "introduce-project": (
        "Record a project presented at a conference to invite investment.",
        f"citycoop record introduce-project --conference {C} \\\n    --name {INNOVATION_CITY}",
    ),
    "sign-projects": (
        "Record how many projects of one category were signed at a conference.",
        f"citycoop record sign-projects --partnership {P} \\\n    --conference {C} --category strategic --count 3",
    ),
    "name-project": (
        "Name one of the projects an agreement counts; never more than its count.",
        f"citycoop record name-project --agreement {A} \\\n"
        f"""    --name {INNOVATION_CITY} --party "Wuxi Municipal People's Government\"""",
    ),
    "change-agreement-status": (
        "Record that signed projects got under way, were completed or cancelled.",
        f"citycoop record change-agreement-status --agreement {A} \\\n    --status in-progress --on 2024",
    ),
    "correct": (
        "Correct a fact recorded earlier; the original event stays in the log.",
        f"citycoop record correct --record {P} --corrects-version 3 \\\n"
        "    --field investment.enterprises_qualifier --value more-than \\\n"
        '    --reason "More than 700 enterprises, per the press release"',
    ),
    "mark-duplicate": (
        "Mark a partnership the duplicate of another of the same two cities, recorded twice by an earlier release.",
        "citycoop record mark-duplicate --partnership DUPLICATE_ID --of ORIGINAL_ID",
    ),
}
"""Each command's summary and example, by the kind of command it records."""


class RecordingCommand(click.Command):
    """A ``citycoop record`` command whose options are made from its command
    model the first time they are needed (to parse, complete or show help)."""

    def __init__(self, kind: str) -> None:
        summary, example = COMMANDS[kind]
        super().__init__(kind, help=f"{summary}\n\n\b\nExample:\n  {example}", callback=self._record)
        self.kind = kind
        self._options: list[click.Parameter] | None = None

    @property
    def params(self) -> list[click.Parameter]:
        if self._options is None:
            self._options = options(_model(self.kind))
        return self._options

    @params.setter
    def params(self, given: list[click.Parameter]) -> None:
        assert not given, "the options are made from the command model"

    def _record(self, *, key: str | None, **values: Any) -> None:
        settings = click.get_current_context().find_object(Settings)
        assert settings is not None
        fields = _fields(values)
        record_one(settings, key, lambda: _model(self.kind).validated(kind=self.kind, **fields))


def _model(kind: str) -> Any:
    from ..adapters.writes import command_class

    return command_class(kind)


def _fields(values: dict[str, Any]) -> dict[str, Any]:
    """The command's fields from the options' values: ids as text, the two
    cities apart, a correction's value as given."""
    fields = {name: str(value) if hasattr(value, "hex") else value for name, value in values.items()}
    if "cities" in fields:
        cities = fields.pop("cities")
        if len(cities) != 2:
            raise UsageError(
                f"--city: give exactly two cities, not {len(cities)}, e.g. --city Wuxi:China --city Singapore:Singapore"
            )
        fields.update(zip(CITIES, cities, strict=True))
    if "value_json" in fields:
        text, given_json = fields.pop(VALUE), fields.pop("value_json")
        if (text is None) == (given_json is None):
            raise UsageError("--value: give either --value or --value-json")
        try:
            fields[VALUE] = text if given_json is None else json.loads(given_json)
        except json.JSONDecodeError as error:
            raise UsageError(f"--value-json: not valid JSON: {error}") from None
    return fields


@click.group()
def record() -> None:
    """Record one fact; print the id of the partnership, conference or
    agreement it was recorded on (with --json: {"id": …, "kind": …}).

    The global --actor and --source stamp what is recorded; --key makes a
    retried command record nothing new. To record many facts at once, in one
    transaction, use 'citycoop import'.

    \b
    Example:
      citycoop --source "Press release, 6 May 2023" record add-field \\
        --partnership 712a8a14-4928-5786-9e6c-a9b3845f5511 --field finance --key wuxi-singapore/finance
    """


for _kind in COMMANDS:
    record.add_command(RecordingCommand(_kind))
