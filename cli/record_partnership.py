"""``citycoop record …`` for partnerships: establish one, change its stage,
add a field, report investment, launch an initiative, suspend, resume, end."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol
from uuid import UUID

import click

from ..domain.vocabulary import FieldOfCooperation, InitiativeKind, Stage
from .context import Settings, UsageError, pass_settings
from .recording import PARTNERSHIP_ID, City, Term, id_option, key_option, record_one, terms

if TYPE_CHECKING:
    from ..adapters.application.service import CityCoop
    from ..domain.values import Provenance


class StatusChange(Protocol):
    def __call__(self, partnership_id: UUID, /, *, on: str, reason: str | None, meta: Provenance) -> UUID: ...


@click.command("establish-partnership")
@click.option(
    "--city",
    "cities",
    type=City(),
    multiple=True,
    required=True,
    metavar="NAME:COUNTRY[:WIKIDATA_ID]",
    help="One of the two cities; give it twice.",
)
@click.option("--since", required=True, metavar="DATE", help="Year, month or day it began: 1993, 1993-05, 1993-05-06.")
@click.option(
    "--stage", type=Term(Stage), default=Stage.SISTER_CITY.value, show_default=True, help=f"One of: {terms(Stage)}."
)
@click.option(
    "--field",
    "fields",
    type=Term(FieldOfCooperation),
    multiple=True,
    metavar="FIELD",
    help=f"A field of cooperation (repeatable): {terms(FieldOfCooperation)}.",
)
@key_option
@pass_settings
def establish_partnership(
    settings: Settings,
    *,
    cities: tuple[dict[str, str | None], ...],
    since: str,
    stage: str,
    fields: tuple[str, ...],
    key: str | None,
) -> None:
    """Record that two cities became partners.

    \b
    Example:
      citycoop record establish-partnership --city Wuxi:China --city Singapore:Singapore \\
        --since 1993 --field science-and-technology --field economy-and-trade
    """
    if len(cities) != 2:
        raise UsageError(
            f"--city: give exactly two cities, not {len(cities)}, e.g. --city Wuxi:China --city Singapore:Singapore"
        )
    city_a, city_b = cities
    record_one(
        settings,
        "partnership",
        key,
        lambda app, meta: app.establish_partnership(
            city_a=city_a, city_b=city_b, since=since, stage=stage, fields=fields, meta=meta
        ),
    )


@click.command("change-stage")
@id_option("partnership", "partnership")
@click.option("--stage", type=Term(Stage), required=True, help=f"One of: {terms(Stage)}.")
@click.option("--on", required=True, metavar="DATE", help="When the stage changed: 1993, 1993-05 or 1993-05-06.")
@key_option
@pass_settings
def change_stage(settings: Settings, *, partnership: UUID, stage: str, on: str, key: str | None) -> None:
    """Record that a partnership became more (or less) formal.

    \b
    Example:
      citycoop record change-stage --partnership 712a8a14-4928-5786-9e6c-a9b3845f5511 --stage friendship-city --on 1993
    """
    record_one(
        settings, "partnership", key, lambda app, meta: app.change_stage(partnership, stage=stage, on=on, meta=meta)
    )


@click.command("add-field")
@id_option("partnership", "partnership")
@click.option("--field", type=Term(FieldOfCooperation), required=True, help=f"One of: {terms(FieldOfCooperation)}.")
@key_option
@pass_settings
def add_field(settings: Settings, *, partnership: UUID, field: str, key: str | None) -> None:
    """Record that a partnership now covers another field of cooperation.

    \b
    Example:
      citycoop record add-field --partnership 712a8a14-4928-5786-9e6c-a9b3845f5511 --field finance
    """
    record_one(settings, "partnership", key, lambda app, meta: app.add_field(partnership, field=field, meta=meta))


@click.command("report-investment")
@id_option("partnership", "partnership")
@click.option("--enterprises", type=int, required=True, help="How many enterprises have invested.")
@click.option("--amount", required=True, metavar="DECIMAL", help="How much they have invested in all.")
@click.option("--currency", default="USD", show_default=True, metavar="CODE", help="ISO 4217 code of the amount.")
@click.option("--as-of", required=True, metavar="DATE", help="When the figures were true.")
@key_option
@pass_settings
def report_investment(
    settings: Settings, *, partnership: UUID, enterprises: int, amount: str, currency: str, as_of: str, key: str | None
) -> None:
    """Record cumulative investment figures, replacing the previous ones.

    \b
    Example:
      citycoop record report-investment --partnership 712a8a14-4928-5786-9e6c-a9b3845f5511 \\
        --enterprises 700 --amount 16400000000 --currency USD --as-of 2023-05-05
    """
    record_one(
        settings,
        "partnership",
        key,
        lambda app, meta: app.report_investment(
            partnership, enterprises=enterprises, amount=amount, currency=currency, as_of=as_of, meta=meta
        ),
    )


@click.command("launch-initiative")
@id_option("partnership", "partnership")
@click.option("--name", required=True, help="The initiative's name.")
@click.option(
    "--kind", "initiative_kind", type=Term(InitiativeKind), required=True, help=f"One of: {terms(InitiativeKind)}."
)
@click.option("--started", metavar="DATE", help="When it started, if known.")
@click.option("--description", help="What it is for.")
@key_option
@pass_settings
def launch_initiative(
    settings: Settings,
    *,
    partnership: UUID,
    name: str,
    initiative_kind: str,
    started: str | None,
    description: str | None,
    key: str | None,
) -> None:
    """Record a named joint initiative: an industrial park, an innovation city …

    \b
    Example:
      citycoop record launch-initiative --partnership 712a8a14-4928-5786-9e6c-a9b3845f5511 \\
        --name "Wuxi Singapore Science and Technology Innovation City" --kind innovation-city --started 2023-05
    """
    record_one(
        settings,
        "partnership",
        key,
        lambda app, meta: app.launch_initiative(
            partnership, name=name, kind=initiative_kind, started=started, description=description, meta=meta
        ),
    )


def _status_command(name: str, method: Callable[[CityCoop], StatusChange], summary: str, example: str) -> click.Command:
    """suspend-, resume- and end-partnership take the same options."""

    @click.command(name, help=f"{summary}\n\n\b\nExample:\n  {example}")
    @id_option("partnership", "partnership")
    @click.option("--on", required=True, metavar="DATE", help="When it happened: 2024, 2024-01 or 2024-01-15.")
    @click.option("--reason", help="Why.")
    @key_option
    @pass_settings
    def command(settings: Settings, *, partnership: UUID, on: str, reason: str | None, key: str | None) -> None:
        record_one(
            settings,
            "partnership",
            key,
            lambda app, meta: method(app)(partnership, on=on, reason=reason, meta=meta),
        )

    return command


suspend_partnership = _status_command(
    "suspend-partnership",
    lambda app: app.suspend_partnership,
    "Record that a partnership was put on hold, until it is resumed or ended.",
    f'citycoop record suspend-partnership --partnership {PARTNERSHIP_ID} --on 2024-01 --reason "Under review"',
)
resume_partnership = _status_command(
    "resume-partnership",
    lambda app: app.resume_partnership,
    "Record that a suspended partnership is active again.",
    f"citycoop record resume-partnership --partnership {PARTNERSHIP_ID} --on 2024-06",
)
end_partnership = _status_command(
    "end-partnership",
    lambda app: app.end_partnership,
    "Record that a partnership ended; nothing more can be recorded on it.",
    f'citycoop record end-partnership --partnership {PARTNERSHIP_ID} --on 2025 --reason "Dissolved by both councils"',
)

COMMANDS = (
    establish_partnership,
    change_stage,
    add_field,
    report_investment,
    launch_initiative,
    suspend_partnership,
    resume_partnership,
    end_partnership,
)
