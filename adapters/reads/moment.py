"""A moment of the log's past, as readers name one: a position in the log, or
a recorded time (when the register learnt what it holds).

Parsed once, where it comes in (a CLI option, an HTTP query parameter), and
handed to the read door as it is; the door finds the position a recorded
time stands for (``past``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from ...domain.errors import InvalidValueError

MAX_LOG_POSITION = 2**63 - 1
"""The largest position either store can hold (a signed 64-bit integer)."""


@dataclass(frozen=True)
class Moment:
    """A log position, or a recorded time; exactly one of them."""

    position: int | None = None
    time: datetime | None = None

    def __post_init__(self) -> None:
        if (self.position is None) == (self.time is None):
            raise InvalidValueError("position", "give a log position or a recorded time")
        if self.position is not None and self.position < 0:
            raise InvalidValueError("position", "must be 0 or more")

    @classmethod
    def parse(cls, text: str, *, field: str) -> Moment:
        """Digits are a log position; anything else must be a date (its end,
        UTC) or a date and time. A number is never read as seconds since 1970."""
        value = text.strip()
        if value.isascii() and value.isdigit():
            # Bounded before int(): Python refuses to convert more than 4,300 digits, in its own words.
            if len(value) > len(str(MAX_LOG_POSITION)) or int(value) > MAX_LOG_POSITION:
                raise InvalidValueError(field, f"a log position is from 0 to {MAX_LOG_POSITION}")
            return cls(position=int(value))
        try:
            return cls(time=parse_time(value, field=field, end_of_day=True))
        except InvalidValueError:
            raise InvalidValueError(
                field,
                f"{text!r} is not a log position (42), a date (2023-05-04)"
                " or a date and time (2023-05-04T18:00:00+08:00)",
            ) from None

    def __str__(self) -> str:
        return str(self.position) if self.time is None else self.time.isoformat()


def parse_time(text: str, *, field: str, end_of_day: bool = False) -> datetime:
    """A date (``2023-05-04``: its first or, with ``end_of_day``, its last
    instant) or a date and time (RFC 3339, whose ``t`` and ``z`` may be
    lower case); times without a zone are UTC."""
    value = text.strip()
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return datetime.combine(day, time.max if end_of_day else time.min, tzinfo=UTC)
        moment = datetime.fromisoformat(value.upper())
    except ValueError:
        raise InvalidValueError(
            field, f"{text!r} is not a date (2023-05-04) or a date and time (2023-05-04T18:00:00+08:00)"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
