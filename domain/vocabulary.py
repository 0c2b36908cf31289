"""The controlled vocabularies of citycoop, kept in one place so they can grow.

Adding a member here is the whole change: commands, the import format, the
read models' JSON Schema and the CLI's choices all derive from these enums.
Values are kebab-case; input in other spellings ("Science and Technology")
is normalised by :func:`normalise_term`.
"""

from __future__ import annotations

import re
from enum import StrEnum


class FieldOfCooperation(StrEnum):
    TRADE = "trade"
    ECONOMY_AND_TRADE = "economy-and-trade"
    INVESTMENT = "investment"
    TOURISM = "tourism"
    POLITICS = "politics"
    ENERGY = "energy"
    SCIENCE_AND_TECHNOLOGY = "science-and-technology"
    ENVIRONMENT = "environment"
    SPORT = "sport"
    CULTURE_AND_ARTS = "culture-and-arts"
    HEALTH = "health"
    TRANSPORT = "transport"
    URBAN_CONSTRUCTION = "urban-construction"
    EDUCATION_AND_TALENT = "education-and-talent"
    FINANCE = "finance"
    LOGISTICS = "logistics"


class Stage(StrEnum):
    """How formal a partnership is, from first contact to twinning."""

    LETTER_OF_INTENT = "letter-of-intent"
    FRIENDSHIP_CITY = "friendship-city"
    SISTER_CITY = "sister-city"


class PartnershipStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    ENDED = "ended"


class ProjectCategory(StrEnum):
    STRATEGIC = "strategic"
    INDUSTRIAL = "industrial"
    INVESTMENT = "investment"
    TECHNOLOGY = "technology"
    CULTURAL = "cultural"
    EDUCATIONAL = "educational"


class AgreementStatus(StrEnum):
    SIGNED = "signed"
    IN_PROGRESS = "in-progress"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class InitiativeKind(StrEnum):
    INDUSTRIAL_PARK = "industrial-park"
    INNOVATION_CITY = "innovation-city"
    INNOVATION_ZONE = "innovation-zone"
    EXCHANGE_PROGRAMME = "exchange-programme"
    OTHER = "other"


class Qualifier(StrEnum):
    """How a figure relates to the number on record, as the source puts it:
    "more than 700 enterprises", "nearly 200 guests" (``domain.bounds``)."""

    EXACT = "exact"
    ABOUT = "about"
    NEARLY = "nearly"
    MORE_THAN = "more-than"
    AT_LEAST = "at-least"
    AT_MOST = "at-most"
    LESS_THAN = "less-than"


def normalise_term(value: object) -> object:
    """Turn "Science and Technology" or "science_and_technology" into the
    kebab-case spelling the enums use; leave anything that is not text alone."""
    if isinstance(value, str):
        return re.sub(r"[\s_]+", "-", value.strip().casefold())
    return value
