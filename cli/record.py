"""``citycoop record``: one command per domain command, named as the kinds of
an import file's entries, each printing the id of the record it wrote."""

from __future__ import annotations

import json
from uuid import UUID

import click

from . import record_agreement, record_conference, record_partnership
from .context import Settings, UsageError, pass_settings
from .recording import id_option, key_option, record_one


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


@record.command("correct")
@id_option("record", "partnership, conference or agreement")
@click.option("--corrects-version", type=int, required=True, help="The version of the event that stated the fact.")
@click.option("--field", required=True, help="The fact, e.g. since, attendance or investment.enterprises.")
@click.option("--value", help="What it should have been, as text.")
@click.option("--value-json", metavar="JSON", help='What it should have been, as JSON (lists, objects): ["a", "b"].')
@click.option("--reason", required=True, help="Why the fact was wrong.")
@key_option
@pass_settings
def correct(
    settings: Settings,
    *,
    record: UUID,
    corrects_version: int,
    field: str,
    value: str | None,
    value_json: str | None,
    reason: str,
    key: str | None,
) -> None:
    """Correct a fact recorded earlier; the original event stays in the log.

    \b
    Example:
      citycoop record correct --record 712a8a14-4928-5786-9e6c-a9b3845f5511 --corrects-version 3 \\
        --field investment.enterprises --value 700 --reason "More than 700 enterprises, per the press release"
    """
    if (value is None) == (value_json is None):
        raise UsageError("--value: give either --value or --value-json")
    new_value: object = value
    if value_json is not None:
        try:
            new_value = json.loads(value_json)
        except json.JSONDecodeError as error:
            raise UsageError(f"--value-json: not valid JSON: {error}") from None
    record_one(
        settings,
        None,
        key,
        lambda app, meta: app.correct(
            record, corrects_version=corrects_version, field=field, value=new_value, reason=reason, meta=meta
        ),
    )


for command in (*record_partnership.COMMANDS, *record_conference.COMMANDS, *record_agreement.COMMANDS):
    record.add_command(command)
