"""What is wrong with a value, said as the business says it.

pydantic finds the problems ("Input should be greater than or equal to 1");
people read them in the CLI's errors, in import files' errors and in the
features, so each kind of problem is put in the words of someone keeping a
register: "must be 1 or more", "cannot be empty", "'twin town' is not one of:
letter-of-intent, friendship-city, sister-city". A problem of a kind not
named here keeps pydantic's own words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails


def in_words(problem: ErrorDetails, *, patterns: Mapping[str, str] = {}) -> str:
    """The problem, in words; ``patterns`` says what text each pattern asks for."""
    context: dict[str, Any] = dict(problem.get("ctx") or {})
    if problem["type"] == "string_pattern_mismatch":
        return patterns.get(context.get("pattern", ""), f"is not written as it should be ({context.get('pattern')})")
    words = _WORDS.get(problem["type"])
    if words is None:
        return problem["msg"].removeprefix("Value error, ")
    return words(context, problem.get("input"))


def _listed(expected: str) -> str:
    """pydantic's "'a', 'b' or 'c'" as "a, b, c"."""
    return expected.replace(" or ", ", ").replace("'", "")


def _at_least(context: dict[str, Any], _: Any) -> str:
    least = context["ge"]
    return "cannot be negative" if least == 0 else f"must be {least} or more"


_WORDS: dict[str, Callable[[dict[str, Any], Any], str]] = {
    "missing": lambda _, __: "is required",
    "extra_forbidden": lambda _, __: "is not a field that can be given here",
    "greater_than_equal": _at_least,
    "greater_than": lambda context, _: f"must be more than {context['gt']}",
    "less_than_equal": lambda context, _: f"must be {context['le']} or less",
    "less_than": lambda context, _: f"must be less than {context['lt']}",
    "int_type": lambda _, __: "must be a whole number",
    "int_parsing": lambda _, __: "must be a whole number",
    "int_from_float": lambda _, __: "must be a whole number, not a fraction",
    "decimal_type": lambda _, __: "must be a number",
    "decimal_parsing": lambda _, __: "must be a number",
    "finite_number": lambda _, __: "must be a finite number",
    "decimal_max_digits": lambda context, _: f"must have at most {context['max_digits']} digits",
    "decimal_max_places": lambda context, _: f"must have at most {context['decimal_places']} decimal places",
    "decimal_whole_digits": lambda context, _: f"must have at most {context['whole_digits']} digits before the point",
    "string_type": lambda _, __: "must be text",
    "string_too_short": lambda context, _: (
        "cannot be empty" if context["min_length"] == 1 else f"must be at least {context['min_length']} characters"
    ),
    "string_too_long": lambda context, _: f"must be at most {context['max_length']} characters long",
    "bool_type": lambda _, __: "must be true or false",
    "bool_parsing": lambda _, __: "must be true or false",
    "enum": lambda context, given: f"{given!r} is not one of: {_listed(context['expected'])}",
    "literal_error": lambda context, given: f"{given!r} is not one of: {_listed(context['expected'])}",
    "uuid_type": lambda _, __: "must be an id",
    "uuid_parsing": lambda _, __: "must be an id",
    "dict_type": lambda _, __: "must be a mapping of fields to values",
    "model_type": lambda _, __: "must be a mapping of fields to values",
    "model_attributes_type": lambda _, __: "must be a mapping of fields to values",
    "list_type": lambda _, __: "must be a list",
    "tuple_type": lambda _, __: "must be a list",
    "too_long": lambda context, _: f"can hold at most {context['max_length']} items",
    "too_short": lambda context, _: f"must hold at least {context['min_length']} items",
}
