"""``citycoop record …`` for conferences: hold one, introduce a project at it."""

from __future__ import annotations

from uuid import UUID

import click

from .context import Settings, pass_settings
from .recording import Speaker, id_option, key_option, record_one


@click.command("hold-conference")
@id_option("partnership", "partnership")
@click.option("--title", required=True, help="The conference's title.")
@click.option("--held-on", required=True, metavar="DATE", help="When: 2023, 2023-05 or 2023-05-05.")
@click.option("--host-city", required=True, metavar="NAME", help="Where it was held.")
@click.option("--attendance", type=int, help="How many took part.")
@click.option(
    "--approximate",
    "attendance_is_approximate",
    is_flag=True,
    help='The attendance is approximate ("about 200 guests").',
)
@click.option(
    "--organization", "organizations", multiple=True, metavar="NAME", help="An organization taking part (repeatable)."
)
@click.option(
    "--speaker",
    "speakers",
    type=Speaker(),
    multiple=True,
    metavar="NAME[:ROLE[:STATEMENT]]",
    help="Who spoke, as what, and what they said (repeatable).",
)
@key_option
@pass_settings
def hold_conference(
    settings: Settings,
    *,
    partnership: UUID,
    title: str,
    held_on: str,
    host_city: str,
    attendance: int | None,
    attendance_is_approximate: bool,
    organizations: tuple[str, ...],
    speakers: tuple[dict[str, str | None], ...],
    key: str | None,
) -> None:
    """Record a conference held within a partnership.

    \b
    Example:
      citycoop record hold-conference --partnership 712a8a14-4928-5786-9e6c-a9b3845f5511 \\
        --title "Wuxi Singapore Cooperation and Development Conference on Urban Internationalization" \\
        --held-on 2023-05-05 --host-city Wuxi --attendance 200 --approximate \\
        --organization "Singapore Exchange (SGX)" --speaker "Zhao Jianjun:Mayor of Wuxi"
    """
    record_one(
        settings,
        "conference",
        key,
        lambda app, meta: app.hold_conference(
            partnership,
            title=title,
            held_on=held_on,
            host_city=host_city,
            attendance=attendance,
            attendance_is_approximate=attendance_is_approximate,
            organizations=organizations,
            speakers=speakers,
            meta=meta,
        ),
    )


@click.command("introduce-project")
@id_option("conference", "conference")
@click.option("--name", required=True, help="The project's name.")
@click.option("--description", help="What it is.")
@key_option
@pass_settings
def introduce_project(
    settings: Settings, *, conference: UUID, name: str, description: str | None, key: str | None
) -> None:
    """Record a project presented at a conference to invite investment.

    \b
    Example:
      citycoop record introduce-project --conference 3f334e39-a276-50ae-81c4-3929132160f8 \\
        --name "Wuxi Singapore Science and Technology Innovation City"
    """
    record_one(
        settings,
        "conference",
        key,
        lambda app, meta: app.introduce_project(conference, name=name, description=description, meta=meta),
    )


COMMANDS = (hold_conference, introduce_project)
