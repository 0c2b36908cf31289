"""``citycoop cities``: the city directory, each city with its partners."""

from __future__ import annotations

import click

from .context import Settings, pass_settings
from .queries import caught_up, echo_documents, limit_option
from .render import echo_json


@click.command()
@click.argument("name", required=False)
@limit_option
@click.option("--after", metavar="KEY", help="Go on after this city key, the last one of the previous page.")
@pass_settings
def cities(settings: Settings, name: str | None, limit: int, after: str | None) -> None:
    """The city directory: each city with its partners and the projects it
    shares with each; or one city by its name.

    \b
    Example:
      citycoop cities
      citycoop cities Wuxi
    """
    with caught_up(settings) as read_models:
        found = [read_models.city(name)] if name is not None else read_models.cities(limit=limit, after=after)
    if name is not None and settings.as_json:
        echo_json(found[0].model_dump(mode="json"))
        return
    echo_documents(
        settings,
        found,
        [
            {
                "city": city.name,
                "country": city.country,
                "partner": partner.name,
                "partnership": partner.partnership,
                "status": partner.status.value,
                "projects": str(partner.projects_shared),
            }
            for city in found
            for partner in city.partners
        ],
        ("city", "country", "partner", "partnership", "status", "projects"),
    )
