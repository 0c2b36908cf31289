"""Which business dates are possible, and which fact dates an event.

Dates are partial (``1993``, ``1993-05``, ``1993-05-06``), so two of them are
compared at the coarser precision: ``1993-05`` is not before ``1993``, it may
be any month of it; only what is certainly impossible is refused.

- No business date is after the day it is recorded on. The domain does not
  read the clock: the application says what day that is (``latest_day``).
- Nothing of a partnership is dated before the partnership began, and
  nothing of a conference before the conference was held, nor an agreement's
  status before it was signed. A correction that would make a record's dates
  so is refused the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta

from .aggregate import Aggregate, DomainEvent
from .errors import DateOrderError, InvalidValueError

DATE_FACTS: dict[str, str] = {
    "Established": "since",
    "Held": "held_on",
    "Signed": "signed_on",
    "InvestmentReported": "investment.as_of",
}
"""For each kind of event dated by a fact that can be corrected, that fact:
correcting it moves the event on the business-time axis."""

EARLIEST_TIME_ZONE = timedelta(hours=14)
"""Kiritimati's: where a day begins first. A date is after the day of
recording only once it is that day nowhere on Earth."""


def latest_day(now: datetime) -> date:
    """The last day that a fact recorded at ``now`` (aware, any zone) can have
    happened on: the day it is already somewhere on Earth."""
    return (now.astimezone(UTC) + EARLIEST_TIME_ZONE).date()


def is_before(earlier: str, later: str) -> bool:
    """Whether the partial date ``earlier`` is certainly before ``later``."""
    precision = min(len(earlier), len(later))
    return earlier[:precision] < later[:precision]


def guard_not_after_today(field: str, value: str | None, today: date) -> None:
    """Refuse ``value`` if it is after ``today`` (``latest_day``)."""
    if value is not None and is_before(today.isoformat(), value):
        raise InvalidValueError(
            field, f"{value} is after the day it is recorded on (at the latest {today.isoformat()}, anywhere on Earth)"
        )


def guard_not_before(field: str, value: str | None, earliest: str | None, what: str) -> None:
    """Refuse ``value`` if it is before ``earliest``, the date of ``what``
    (``the partnership began``)."""
    if value is not None and earliest is not None and is_before(value, earliest):
        raise DateOrderError(f"{field}: {value} is before {what} ({earliest})")


def date_in_correction(field: str, value: object) -> str | None:
    """The business date that a correction of ``field`` to ``value`` (as
    JSON) gives its event, when the fact corrected dates it: ``since`` …, or
    ``investment`` whose ``as_of`` dates the figures."""
    for fact in DATE_FACTS.values():
        root, _, attribute = fact.partition(".")
        if field == fact:
            return value if isinstance(value, str) else None
        if attribute and field == root and isinstance(value, Mapping):
            stated = value.get(attribute)
            return stated if isinstance(stated, str) else None
    return None


def business_dates(events: Sequence[DomainEvent]) -> dict[int, str | None]:
    """When each of one record's events took effect in business time, by
    version: the date it states, moved where a correction corrected the fact
    that dates it (a partnership's ``since``, a conference's ``held_on`` …,
    with the event's other corrections); a correction, when what it corrects
    did; None where no source dates it (a field of cooperation taken up).
    Never the day it was recorded."""
    dated: dict[int, str | None] = {}
    corrected: dict[int, int] = {}
    """Each correction's original event: a correction of a correction corrects it too."""
    for event in events:
        version = event.originator_version
        dated[version] = event.meta.business_date
        if isinstance(event, Aggregate.Corrected):
            original = corrected[version] = corrected.get(event.corrects_version, event.corrects_version)
            moved = date_in_correction(event.field, event.value)
            if moved is not None and original in dated:
                dated[original] = moved
    for correction, original in corrected.items():
        dated[correction] = dated.get(original, dated[correction])
    return dated
