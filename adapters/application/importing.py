"""Import files: a YAML or JSON list of commands, recorded all or nothing.

An entry is a command (``kind`` and its fields) plus, optionally, ``as``
(a local name that later entries use instead of an id), ``key`` (an
idempotency key, so importing the same file twice records nothing new) and
``source`` (overriding the file's ``source``). The whole file is validated
before anything is written; an error names the entry and the field.
"""

from __future__ import annotations

import gc
import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any
from uuid import UUID

import yaml
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from ...domain.errors import InvalidInputError, InvalidValueError
from ...domain.values import Text, invalid_value
from .commands import COMMANDS, AnyCommand, Command
from .service import CityCoop
from .steps import Progress, Recorded, Step, provenance

DEMO_SCENARIO = "wuxi-singapore-2023.yaml"
_COMMAND: TypeAdapter[Command] = TypeAdapter(AnyCommand)
_YAML_BOOL = "tag:yaml.org,2002:bool"
_YAML_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def _with_yaml_1_2_booleans(loader: Any) -> Any:
    """``loader``, reading only true and false as booleans, and dates as text.

    YAML 1.1 also reads yes, no, on and off, which turns the field ``on:`` into
    the key True and ``attendance: yes`` into 1; and it reads an unquoted
    2023-05-05 as a date, which a date field refuses for not being text, and an
    unquoted 2023-02-30 as a crash. As text, both meet the date fields' own check.
    """
    resolvers = {
        first: [(tag, pattern) for tag, pattern in found if tag not in (_YAML_BOOL, _YAML_TIMESTAMP)]
        for first, found in loader.yaml_implicit_resolvers.items()
    }
    strict: Any = type(f"Strict{loader.__name__}", (loader,), {"yaml_implicit_resolvers": resolvers})
    strict.add_implicit_resolver(_YAML_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
    return strict


_YAML_LOADER = _with_yaml_1_2_booleans(getattr(yaml, "CSafeLoader", yaml.SafeLoader))
"""libyaml's safe loader when PyYAML was built with it: three times as fast on a large file."""
_KINDS = tuple(COMMANDS)


class _Envelope(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: Text | None = Field(default=None, alias="as")
    key: Text | None = None
    source: Text | None = None


_ENVELOPES = TypeAdapter(list[_Envelope])
_COMMANDS: TypeAdapter[list[Command]] = TypeAdapter(list[AnyCommand])  # type: ignore[arg-type]
_ENVELOPE_FIELDS = ("as", "key", "source")


class _ImportFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    source: Text | None = None
    entries: list[dict[str, Any]]


@dataclass(frozen=True)
class Entry:
    index: int
    name: str | None
    key: str | None
    source: str | None
    command: Command

    @property
    def kind(self) -> str:
        """The command's name, as the entry gave it."""
        kind: str = self.command.model_dump(include={"kind"})["kind"]
        return kind

    @property
    def label(self) -> str:
        return f"entry {self.index}" + (f" ({self.name})" if self.name else "")


class ImportFileError(InvalidInputError):
    """Raised when an import file cannot be read or one of its entries is invalid."""


def parse(text: str, *, filename: str = "import file") -> tuple[str | None, list[Entry]]:
    """Validate a whole import file; return its default source and its entries.

    The collector is paused meanwhile, as while a batch is recorded: the file's
    entries, their commands and the parsed document are all alive until the
    end, so each of its passes scanned more of them for nothing, and parsing
    grew superlinear with the file (46 to 74 µs per entry from 20k to 50k
    entries, a flat 39 µs with it paused).
    """
    with _collector_paused():
        return _parsed(text, filename)


def _parsed(text: str, filename: str) -> tuple[str | None, list[Entry]]:
    try:
        data = json.loads(text) if filename.endswith(".json") else yaml.load(text, Loader=_YAML_LOADER)
    except (yaml.YAMLError, ValueError, RecursionError) as error:  # ValueError: JSON, and YAML's explicit tags
        problem = "nested too deeply" if isinstance(error, RecursionError) else str(error).splitlines()[0]
        raise ImportFileError(
            f"{filename}: not valid {'JSON' if filename.endswith('.json') else 'YAML'}: {problem}"
        ) from None
    if isinstance(data, list):
        data = {"entries": data}
    if not isinstance(data, dict):
        raise ImportFileError(f"{filename}: entries: missing; give a list of entries, or a mapping with 'entries'")
    try:
        document = _ImportFile.model_validate(data)
    except ValidationError as error:
        raise ImportFileError(f"{filename}: {invalid_value(error)}") from None
    entries = _entries(document.entries)
    _refuse_a_second_use_of_a_name(entries)
    return document.source, entries


def _entries(raws: list[dict[str, Any]]) -> list[Entry]:
    """The entries, validated all at once where every one is valid (each is
    validated as it would be alone, a third faster than one at a time);
    otherwise one at a time, so that the error names the first wrong one."""
    try:
        envelopes = _ENVELOPES.validate_python([_envelope_fields(raw) for raw in raws])
        commands = _COMMANDS.validate_python([_command_fields(raw) for raw in raws])
    except (ValidationError, _NotACommandError):
        return [_entry(index, raw) for index, raw in enumerate(raws, start=1)]  # raises for the first wrong one
    return [
        Entry(index, envelope.name, envelope.key, envelope.source, command)
        for index, (envelope, command) in enumerate(zip(envelopes, commands, strict=True), start=1)
    ]


class _NotACommandError(Exception):
    """An entry's kind names no command (the entry is then checked alone, to say so)."""


def _envelope_fields(raw: dict[str, Any]) -> dict[str, Any]:
    return {key: raw[key] for key in _ENVELOPE_FIELDS if key in raw}


def _command_fields(raw: dict[str, Any]) -> dict[str, Any]:
    if raw.get("kind") not in _KINDS:
        raise _NotACommandError
    return {key: value for key, value in raw.items() if key not in _ENVELOPE_FIELDS}


def _entry(index: int, raw: dict[str, Any]) -> Entry:
    envelope_fields = _envelope_fields(raw)
    label = f"entry {index}" + (f" ({raw['as']})" if isinstance(raw.get("as"), str) else "")
    if raw.get("kind") not in _KINDS:
        problem = "missing" if raw.get("kind") is None else f"{raw['kind']!r} is not a command"
        raise ImportFileError(f"{label}: kind: {problem}; the commands are {', '.join(_KINDS)}")
    try:
        envelope = _Envelope.model_validate(envelope_fields)
        command = _COMMAND.validate_python({k: v for k, v in raw.items() if k not in envelope_fields})
    except ValidationError as error:
        raise ImportFileError(f"{label}: {_without_kind(invalid_value(error), raw)}") from None
    return Entry(index, envelope.name, envelope.key, envelope.source, command)


def _refuse_a_second_use_of_a_name(entries: list[Entry]) -> None:
    """A local name stands for one record; given twice, later entries would be ambiguous."""
    named: dict[str, int] = {}
    for entry in entries:
        if entry.name in named:
            raise ImportFileError(f"{entry.label}: as: {entry.name!r} already names entry {named[entry.name]}")
        if entry.name is not None:
            named[entry.name] = entry.index


def _without_kind(error: InvalidValueError, raw: dict[str, Any]) -> str:
    """pydantic puts the command's kind in front of the field's name; drop it."""
    prefix = f"{raw.get('kind')}."
    return str(error).removeprefix(prefix)


def record(
    app: CityCoop, entries: list[Entry], *, actor: str, source: str | None, progress: Progress | None = None
) -> list[UUID]:
    """Record every entry in one transaction, under one correlation id."""
    return record_batch(app, entries, actor=actor, source=source, progress=progress).ids


def record_batch(
    app: CityCoop, entries: list[Entry], *, actor: str, source: str | None, progress: Progress | None = None
) -> Recorded:
    """Like ``record``, and say what each entry wrote to and how many events were new."""
    with _collector_paused():
        return app.execute_batch(steps(entries, actor=actor, source=source), progress=progress)


def steps(entries: list[Entry], *, actor: str, source: str | None) -> list[Step]:
    """The entries as steps of one batch, under one correlation id."""
    base = provenance(actor=actor, source=source)
    return [
        Step(
            entry.command,
            base.but(idempotency_key=entry.key, source=entry.source or source),
            entry.name,
            entry.label,
        )
        for entry in entries
    ]


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Keep Python's cyclic garbage collector from running while a batch is recorded.

    A batch keeps every record it reads and every event it makes until it is
    written, so the collector's passes over them (77 for 3,000 events, longer
    as the batch grows) find nothing to free: pausing it made a 20,000-event
    import spend 25% less CPU. Reference counting frees the batch as usual
    once it is written, and any cycle is collected once the collector resumes.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read(path: Path) -> tuple[str | None, list[Entry]]:
    """Read and validate an import file (``-`` is standard input, read as YAML)."""
    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ImportFileError(f"file: cannot read {path}: {error}") from None
    return parse(text, filename="standard input" if str(path) == "-" else path.name)


def import_path(
    app: CityCoop, path: Path, *, actor: str, source: str | None = None, progress: Progress | None = None
) -> list[UUID]:
    default_source, entries = read(path)
    return record(app, entries, actor=actor, source=source or default_source, progress=progress)


def demo_text() -> str:
    """The bundled Wuxi–Singapore 2023 story, as the import file ``DEMO_SCENARIO``."""
    return files(__package__).joinpath("scenarios", DEMO_SCENARIO).read_text(encoding="utf-8")


def demo() -> tuple[str | None, list[Entry]]:
    """The bundled Wuxi–Singapore 2023 story: its source and its entries."""
    return parse(demo_text(), filename=DEMO_SCENARIO)


def record_demo(app: CityCoop, *, actor: str) -> list[UUID]:
    """Record the bundled Wuxi–Singapore 2023 story (again, harmlessly)."""
    default_source, entries = demo()
    return record(app, entries, actor=actor, source=default_source)
