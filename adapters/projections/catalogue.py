"""The projections citycoop keeps. Adding one here is enough: the next
catch-up builds it, and leaves the others as they are."""

from __future__ import annotations

from citycoop.adapters.projections.projection import ReadModelProjection
from citycoop.adapters.projections.summaries import PartnershipSummaries

PROJECTIONS: tuple[type[ReadModelProjection], ...] = (PartnershipSummaries,)
