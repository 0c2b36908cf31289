"""``citycoop record …`` for agreements: sign projects at a conference, name
one of them, change their status."""

from __future__ import annotations

from uuid import UUID

import click

from ..domain.vocabulary import AgreementStatus, ProjectCategory
from .context import Settings, pass_settings
from .recording import Term, id_option, key_option, record_one, terms


@click.command("sign-projects")
@id_option("partnership", "partnership")
@id_option("conference", "conference at which they were signed")
@click.option("--category", type=Term(ProjectCategory), required=True, help=f"One of: {terms(ProjectCategory)}.")
@click.option("--count", type=int, required=True, help="How many projects of this category were signed.")
@click.option("--signed-on", metavar="DATE", help="When, if not the day the conference was held.")
@key_option
@pass_settings
def sign_projects(
    settings: Settings,
    *,
    partnership: UUID,
    conference: UUID,
    category: str,
    count: int,
    signed_on: str | None,
    key: str | None,
) -> None:
    """Record how many projects of one category were signed at a conference.

    \b
    Example:
      citycoop record sign-projects --partnership 712a8a14-4928-5786-9e6c-a9b3845f5511 \\
        --conference 3f334e39-a276-50ae-81c4-3929132160f8 --category strategic --count 3
    """
    record_one(
        settings,
        "agreement",
        key,
        lambda app, meta: app.sign_projects(
            partnership, conference, category=category, count=count, signed_on=signed_on, meta=meta
        ),
    )


@click.command("name-project")
@id_option("agreement", "agreement")
@click.option("--name", required=True, help="The project's name.")
@click.option("--party", "parties", multiple=True, metavar="NAME", help="Who signed it (repeatable).")
@click.option("--description", help="What it is.")
@key_option
@pass_settings
def name_project(
    settings: Settings,
    *,
    agreement: UUID,
    name: str,
    parties: tuple[str, ...],
    description: str | None,
    key: str | None,
) -> None:
    """Name one of the projects an agreement counts; never more than its count.

    \b
    Example:
      citycoop record name-project --agreement 2c4d7269-d948-59c7-a900-3fe110974668 \\
        --name "Wuxi Singapore Science and Technology Innovation City" --party "Wuxi Municipal People's Government"
    """
    record_one(
        settings,
        "agreement",
        key,
        lambda app, meta: app.name_project(agreement, name=name, parties=parties, description=description, meta=meta),
    )


@click.command("change-agreement-status")
@id_option("agreement", "agreement")
@click.option("--status", type=Term(AgreementStatus), required=True, help=f"One of: {terms(AgreementStatus)}.")
@click.option("--on", required=True, metavar="DATE", help="When: 2024, 2024-03 or 2024-03-01.")
@key_option
@pass_settings
def change_agreement_status(settings: Settings, *, agreement: UUID, status: str, on: str, key: str | None) -> None:
    """Record that signed projects got under way, were completed or cancelled.

    \b
    Example:
      citycoop record change-agreement-status --agreement 2c4d7269-d948-59c7-a900-3fe110974668 \\
        --status in-progress --on 2024
    """
    record_one(
        settings,
        "agreement",
        key,
        lambda app, meta: app.change_agreement_status(agreement, status=status, on=on, meta=meta),
    )


COMMANDS = (sign_projects, name_project, change_agreement_status)
