"""The projections citycoop keeps. Adding one here is enough: the next
catch-up builds it, and leaves the others as they are."""

from __future__ import annotations

from .agreements import AgreementRegister
from .cities import CityDirectory
from .conferences import ConferenceRegister
from .projection import ReadModelProjection
from .summaries import PartnershipSummaries
from .timeline import Timeline

PROJECTIONS: tuple[type[ReadModelProjection], ...] = (
    PartnershipSummaries,
    ConferenceRegister,
    AgreementRegister,
    CityDirectory,
    Timeline,
)
