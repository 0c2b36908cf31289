"""``citycoop schema``: the read models' JSON Schema, the contract other services rely on."""

from __future__ import annotations

from pathlib import Path

import click

from .render import echo_json


@click.command()
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write one <Model>.schema.json file per read model into this folder instead of printing.",
)
def schema(output: Path | None) -> None:
    """Print the read models' JSON Schema, the contract other services rely on.

    \b
    Example:
      citycoop schema
      citycoop schema --output schemas
    """
    from ..adapters.reads import schema_files

    files = schema_files()
    if output is None:
        echo_json({name.removesuffix(".schema.json"): document for name, document in files.items()})
        return
    import json

    output.mkdir(parents=True, exist_ok=True)
    for name, document in files.items():
        (output / name).write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        click.echo(output / name)
