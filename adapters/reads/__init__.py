"""The read door (``door.Reads``) and the words that pass through it.

Entry points (the CLI, the HTTP API) and the feature steps import from here,
never from the modules below: the read models and their queries, a moment of
the log's past (``Moment``), the projections' status, and what the audit's
reads answer.
"""

from __future__ import annotations

from ..audit.event_log import LogFilter, LogPage
from ..audit.global_chain import Head
from ..audit.history import HistoryEntry
from ..audit.report import Verification
from ..audit.time_travel import RecordAsOf, RecordKnownOn
from ..projections.models import (
    AgreementEntry,
    CityEntry,
    ConferenceEntry,
    Investment,
    PartnershipSummary,
    ReadModel,
    TimelineEntry,
)
from ..projections.queries import ReadModels
from ..projections.schemas import schema_files
from ..projections.statuses import ProjectionStatus
from ..projections.wording import (
    day_text,
    exact_money_text,
    figure_text,
    money_text,
    projects_text,
    projects_total_text,
    when_text,
)
from ..storage.errors import StoreUnavailableError
from ..storage.location import StoreLocation
from .door import MAX_SECTION_SIZE, PROJECTION_NAMES, Reads
from .follower import projections_followed
from .moment import Moment, parse_time

__all__ = [
    "MAX_SECTION_SIZE",
    "PROJECTION_NAMES",
    "AgreementEntry",
    "CityEntry",
    "ConferenceEntry",
    "Head",
    "HistoryEntry",
    "Investment",
    "LogFilter",
    "LogPage",
    "Moment",
    "PartnershipSummary",
    "ProjectionStatus",
    "ReadModel",
    "ReadModels",
    "Reads",
    "RecordAsOf",
    "RecordKnownOn",
    "StoreLocation",
    "StoreUnavailableError",
    "TimelineEntry",
    "Verification",
    "day_text",
    "exact_money_text",
    "figure_text",
    "money_text",
    "parse_time",
    "projections_followed",
    "projects_text",
    "projects_total_text",
    "schema_files",
    "when_text",
]
