"""The options of a ``citycoop record`` command, made from the fields of its
command model (``adapters.writes.command_class``), so that a command's
fields are declared once: each field is an option named as it is
(``held_on`` is ``--held-on``; a list, such as ``organizations``, is a
repeatable ``--organization``), its help is the field's description, a term
of a vocabulary is completed by the shell, a field that names a record takes
its id, and a field with a default shows it.

A few fields are written otherwise on the command line: the two cities of a
partnership are one ``--city`` given twice, a correction's value comes as
text or as JSON, and some options carry a shorter name or a hint of what
they take (``RENAMED``, ``METAVARS``).
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from types import NoneType, UnionType
from typing import TYPE_CHECKING, Annotated, Any, Union, get_args, get_origin

import click

from . import parsers

if TYPE_CHECKING:
    from pydantic.fields import FieldInfo

    from ..adapters.writes import Command

RENAMED = {"initiative_kind": "kind", "attendance_is_approximate": "approximate"}
"""Fields whose option is shorter (``kind`` is the command's own name in an import file)."""
METAVARS = {"host_city": "NAME", "organizations": "NAME", "parties": "NAME", "currency": "CODE"}
CITIES = ("city_a", "city_b")
"""The fields that ``--city``, given twice, fills."""
VALUE = "value"
"""A correction's value: ``--value`` as text, or ``--value-json``."""
PARSERS: dict[str, click.ParamType[Any]] = {"City": parsers.City(), "Speaker": parsers.Speaker()}
"""How a value of the domain is written on the command line, by the value's name."""
METAVAR_OF_PARSER = {"City": "NAME:COUNTRY[:WIKIDATA_ID]", "Speaker": "NAME[:ROLE[:STATEMENT]]"}

KEY = click.Option(
    ["--key"], metavar="TEXT", help="Idempotency key: the same command with the same key records nothing new."
)


def options(model: type[Command]) -> list[click.Parameter]:
    """The options of ``model``'s fields: the records it names first, then
    the others in the order the model declares them, then ``--key``."""
    fields = model.model_fields
    order = [*model.references, *(name for name in fields if name not in (*model.references, "kind"))]
    made: list[click.Parameter] = []
    for name in order:
        if name in CITIES:
            if name == CITIES[0]:
                made.append(_cities())
        elif name == VALUE:
            made += _value(fields[name])
        else:
            made.append(_option(name, fields[name], is_reference=name in model.references))
    return [*made, KEY]


def option_name(field: str) -> str:
    """The option that gives ``field``."""
    return "--city" if field in CITIES else f"--{RENAMED.get(field, field).replace('_', '-')}"


def _option(name: str, field: FieldInfo, *, is_reference: bool) -> click.Option:
    base, metadata, repeated = _shape(field.annotation, list(field.metadata))
    option = option_name(name)
    if repeated:
        option = option.removesuffix("ies") + "y" if option.endswith("ies") else option.removesuffix("s")
    settings: dict[str, Any] = {"required": field.is_required(), "help": _help(field.description, base, repeated)}
    if is_reference:
        settings.update(type=click.UUID, metavar="ID")
    elif isinstance(base, type) and issubclass(base, StrEnum):
        settings["type"] = parsers.Term(base)
        if repeated:
            settings["metavar"] = option.removeprefix("--").upper()
    elif isinstance(base, type) and base.__name__ in PARSERS:
        settings.update(type=PARSERS[base.__name__], metavar=METAVAR_OF_PARSER[base.__name__])
    elif base is bool:
        settings.update(is_flag=True, required=False)
    elif base is int:
        settings["type"] = int
    elif base is Decimal:
        settings["metavar"] = "DECIMAL"
    elif _is_partial_date(metadata):
        settings["metavar"] = "DATE"
    if name in METAVARS:
        settings["metavar"] = METAVARS[name]
    if repeated:
        settings["multiple"] = True
    elif not field.is_required() and field.default is not None and base is not bool:
        settings.update(default=getattr(field.default, "value", field.default), show_default=True)
    return click.Option([option, name], **settings)


def _help(description: str | None, base: object, repeated: bool) -> str:
    """The field's description; "(repeatable)" for a list, and the terms of a vocabulary."""
    text = (description or "").removesuffix(".")
    if repeated:
        text += " (repeatable)"
    if isinstance(base, type) and issubclass(base, StrEnum):
        text = f"{text}: {parsers.terms(base)}" if text else f"One of: {parsers.terms(base)}"
    return f"{text}."


def _cities() -> click.Option:
    return click.Option(
        ["--city", "cities"],
        type=parsers.City(),
        multiple=True,
        required=True,
        metavar=METAVAR_OF_PARSER["City"],
        help="One of the two cities; give it twice.",
    )


def _value(field: FieldInfo) -> list[click.Option]:
    said = (field.description or "").removesuffix(".")
    return [
        click.Option(["--value", "value"], help=f"{said}, as text."),
        click.Option(
            ["--value-json", "value_json"], metavar="JSON", help=f'{said}, as JSON (lists, objects): ["a", "b"].'
        ),
    ]


def _shape(annotation: Any, metadata: list[Any]) -> tuple[Any, list[Any], bool]:
    """The type a field holds, its constraints and validators, and whether it
    holds several: ``Annotated`` and ``| None`` unwrapped."""
    repeated = False
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation, *more = get_args(annotation)
            metadata += more
        elif origin in (Union, UnionType):
            annotation = next(arg for arg in get_args(annotation) if arg is not NoneType)
        elif origin is tuple:
            annotation, repeated = get_args(annotation)[0], True
        else:
            return annotation, metadata, repeated


def _is_partial_date(metadata: list[Any]) -> bool:
    from ..adapters.writes import PartialDate

    return all(any(check is given for given in metadata) for check in get_args(PartialDate)[1:])
