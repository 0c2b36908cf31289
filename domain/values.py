"""Value objects: validated, immutable, compared by value."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any, Self, TypeVar
from uuid import UUID

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)

from .currencies import is_currency
from .errors import InvalidValueError
from .problems import in_words
from .vocabulary import normalise_term

WIKIDATA_ID = r"^Q[1-9]\d*$"
CURRENCY_CODE = r"^[A-Z]{3}$"
_PATTERNS = {
    WIKIDATA_ID: "must be a Wikidata id: Q and a number, such as Q8686",
    CURRENCY_CODE: "must be a currency's ISO 4217 code, three capital letters such as USD",
}
"""What the text of each pattern is, for people told that a value does not match it."""
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")  # all but the tab: text is one line
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _printable(value: str) -> str:
    if _CONTROL_CHARACTERS.search(value):
        raise ValueError("must not contain control characters")
    return value


Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
    AfterValidator(_printable),
]
"""One line of human text: a name, a title, a source reference."""

LongText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=5000),
]
"""A statement or a reason; may span lines."""


@lru_cache(maxsize=4096)
def _partial_date(value: str) -> str:
    """Cached: an import names the same dates thousands of times, and checking
    them each time took about 5% of the import's CPU."""
    match = _PARTIAL_DATE.match(value)
    if match is None:
        raise ValueError("must be a year (1993), a month (1993-05) or a date (1993-05-06)")
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        date(year, month, day)
    except ValueError as error:
        raise ValueError(f"is not a valid date ({error})") from None
    return value


PartialDate = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_partial_date)]
"""A date known to the year, the month or the day: ``1993``, ``1993-05``, ``1993-05-06``.

Partnerships are often known only by the year they began; ISO spellings of
differing precision still sort in time order as plain strings.
"""

Term = BeforeValidator(normalise_term)
"""Put before an enum annotation so that "Science and Technology" is accepted."""


def _not_a_truth_value(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError("must be a number, not true or false")
    return value


Number = BeforeValidator(_not_a_truth_value)
"""Put before an ``int`` annotation: pydantic would read ``true`` (and YAML's
``yes``) as 1, which in a count is a slip of the keyboard, not a number."""

NonNegativeInt = Annotated[int, Number, Field(ge=0, le=10**12)]


class Value(BaseModel):
    # Built on first use, as are commands, events, states and read models: a
    # CLI command uses about a dozen of citycoop's 85 models, and building all
    # of them on import cost every command 15 to 20 ms of its start.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    def but(self, **changes: Any) -> Self:
        """This value with some fields changed to values of their types, not
        checked again (as ``model_copy(update=…)``), made three times as fast:
        an import makes two or three per entry."""
        copied = object.__new__(type(self))
        object.__setattr__(copied, "__dict__", {**self.__dict__, **changes})
        object.__setattr__(copied, "__pydantic_fields_set__", self.__pydantic_fields_set__ | changes.keys())
        object.__setattr__(copied, "__pydantic_extra__", None)
        object.__setattr__(copied, "__pydantic_private__", None)
        return copied


def folded(text: str) -> str:
    """``text`` as names are compared and ids derived from them: in Unicode's
    composed form (NFC), so that São Paulo is one name whether its ã was typed
    as one character or as a and a combining tilde, and case-folded. Names
    are kept and shown as they were typed."""
    return unicodedata.normalize("NFC", text).casefold()


class City(Value):
    name: Text
    country: Text
    wikidata_id: Annotated[str, StringConstraints(pattern=WIKIDATA_ID)] | None = None

    @property
    def key(self) -> str:
        """Identifies the city across sources: its Wikidata id when known."""
        return self.wikidata_id or f"{folded(self.name)}|{folded(self.country)}"

    @property
    def decomposed_key(self) -> str:
        """The key that releases before 0.2, which folded names without
        composing them, gave this city typed with decomposed accents."""
        name, country = (unicodedata.normalize("NFD", text) for text in (self.name, self.country))
        return self.wikidata_id or f"{name.casefold()}|{country.casefold()}"

    def __str__(self) -> str:
        return self.name if self.name == self.country else f"{self.name}, {self.country}"


def _fixed_point(amount: Decimal) -> Decimal:
    """16.4e9 is kept as 16400000000, so it is stored and printed written in full."""
    exponent = amount.as_tuple().exponent
    return amount.quantize(Decimal(1)) if isinstance(exponent, int) and exponent > 0 else amount


Amount = Annotated[Decimal, Field(ge=0, max_digits=24, decimal_places=4), AfterValidator(_fixed_point)]
"""A sum of money: never negative, at most 24 digits (4 after the point), kept written in full."""

Currency = Annotated[str, StringConstraints(pattern=CURRENCY_CODE)]
"""An ISO 4217 code: USD, CNY, SGD. Events read from the log are not held to
today's list of codes (``NewCurrency`` is, where a command gives one), so a
record stays readable whatever the standard withdraws later."""


def guard_currency(code: str, *, field: str = "currency") -> None:
    """Refuse ``code`` unless it is the ISO 4217 code of a currency in use."""
    try:
        _in_use(code)
    except ValueError as error:
        raise InvalidValueError(field, str(error)) from None


def _in_use(code: str) -> str:
    if not is_currency(code):
        raise ValueError(f"{code!r} is not the ISO 4217 code of a currency in use, such as USD or CNY")
    return code


NewCurrency = Annotated[Currency, AfterValidator(_in_use)]
"""A currency as a command gives it: one in use today."""


class Money(Value):
    amount: Amount
    currency: Currency

    def __str__(self) -> str:
        return f"{self.currency} {self.amount:,}"


class Speaker(Value):
    name: Text
    role: Text | None = None
    statement: LongText | None = None


class Provenance(Value):
    """Who recorded an event, from what source, and in which command.

    The event store keeps no metadata beside an event's state, so this
    envelope travels inside every event.
    """

    actor: Text
    source: Text | None = None
    correlation_id: UUID
    idempotency_key: Text | None = None
    business_date: PartialDate | None = None
    command: str | None = None
    """With a key: the command the key was given to, as its kind and a digest
    of what it said (``add-field:3f9c…``), so that the key given again with
    another command is refused instead of answered as a retry. Events recorded
    before release 0.2 hold none."""

    def about(self, business_date: str | None) -> Provenance:
        """This envelope, dated by the fact it records unless a date was given."""
        if self.business_date is not None or business_date is None:
            return self
        return self.but(business_date=business_date)


_M = TypeVar("_M", bound=BaseModel)


def validated(model: type[_M], **data: Any) -> _M:
    """Build ``model`` from ``data``, turning pydantic's report into a domain error
    that names the first offending field."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise invalid_value(error) from None


def value_of(model: type[_M], given: _M | Mapping[str, Any], *, field: str) -> _M:
    """``given`` as a ``model``: as it is when it is one already (it was checked
    when it was made, so it is not checked again), or checked now, its errors
    named within ``field``."""
    if isinstance(given, model):
        return given
    try:
        return model.model_validate(given)
    except ValidationError as error:
        raise invalid_value(error, within=field) from None


def invalid_value(error: ValidationError, *, within: str | None = None) -> InvalidValueError:
    """The first problem pydantic found, as a domain error naming its field
    (prefixed by ``within`` when the validated value is part of a larger input)."""
    first = error.errors()[0]
    field = ".".join([*([within] if within else []), *(str(part) for part in first["loc"])]) or "value"
    return InvalidValueError(field, in_words(first, patterns=_PATTERNS))
