"""The projections citycoop keeps. Adding one here is enough: the next
catch-up builds it, and leaves the others as they are."""

from __future__ import annotations

from citycoop.adapters.projections.agreements import AgreementRegister
from citycoop.adapters.projections.cities import CityDirectory
from citycoop.adapters.projections.conferences import ConferenceRegister
from citycoop.adapters.projections.projection import ReadModelProjection
from citycoop.adapters.projections.summaries import PartnershipSummaries
from citycoop.adapters.projections.timeline import Timeline

PROJECTIONS: tuple[type[ReadModelProjection], ...] = (
    PartnershipSummaries,
    ConferenceRegister,
    AgreementRegister,
    CityDirectory,
    Timeline,
)
