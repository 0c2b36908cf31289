"""How a clerk's words on the command line become values: a term from one of
the vocabularies in any spelling an import file accepts, completed by the
shell; a city as ``NAME:COUNTRY[:WIKIDATA_ID]``; a speaker as
``NAME[:ROLE[:STATEMENT]]``.

Only click and the vocabularies are imported here: ``citycoop --help`` must
stay fast. Click's completion machinery is imported when the shell asks for
completions, not by every command that parses a term.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

import click

from ..domain.vocabulary import normalise_term

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem


class Term(click.ParamType[str]):
    name = "term"

    def __init__(self, vocabulary: type[StrEnum]) -> None:
        self.vocabulary = vocabulary

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        term = normalise_term(value)
        if term not in {member.value for member in self.vocabulary}:
            self.fail(f"{value!r} is not one of: {terms(self.vocabulary)}", param, ctx)
        return str(term)

    def shell_complete(self, ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
        from click.shell_completion import CompletionItem

        return [CompletionItem(member.value) for member in self.vocabulary if member.value.startswith(incomplete)]


def terms(vocabulary: type[StrEnum]) -> str:
    return ", ".join(member.value for member in vocabulary)


class City(click.ParamType[dict[str, str | None]]):
    name = "city"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dict[str, str | None]:
        if isinstance(value, dict):
            return value
        name, country, wikidata_id = [*str(value).split(":", 2), None, None][:3]
        if not name or not country:
            self.fail(f"{value!r} should be NAME:COUNTRY or NAME:COUNTRY:WIKIDATA_ID, e.g. Wuxi:China", param, ctx)
        return {"name": name, "country": country, "wikidata_id": wikidata_id or None}


class Speaker(click.ParamType[dict[str, str | None]]):
    name = "speaker"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dict[str, str | None]:
        if isinstance(value, dict):
            return value
        name, role, statement = [*str(value).split(":", 2), None, None][:3]
        if not name:
            self.fail(f"{value!r} should be NAME, NAME:ROLE or NAME:ROLE:STATEMENT", param, ctx)
        return {"name": name, "role": role or None, "statement": statement or None}
