"""Output: aligned tables and fields for people, JSON for machines."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import click


def echo_json(document: Any) -> None:
    click.echo(json.dumps(document, indent=2, ensure_ascii=False, default=str))


def echo_fields(document: Mapping[str, Any]) -> None:
    """One ``name  value`` line per field, names aligned."""
    width = max(map(len, document), default=0)
    for name, value in document.items():
        click.echo(f"{name.ljust(width)}  {_cell(value)}")


def echo_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[str]) -> None:
    """An aligned table with a header; ``columns`` picks and orders the fields."""
    cells = [[_cell(row.get(column)) for column in columns] for row in rows]
    widths = [max([len(column), *(len(line[i]) for line in cells)]) for i, column in enumerate(columns)]
    click.echo("  ".join(column.upper().ljust(width) for column, width in zip(columns, widths, strict=True)).rstrip())
    for line in cells:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    if isinstance(value, Sequence) and all(isinstance(item, str) for item in value):
        return ", ".join(value)
    return json.dumps(value, ensure_ascii=False, default=str)
