"""Errors the domain raises when a command would break a rule of the business.

Every error carries a one-line message that names what was wrong, so that the
CLI and the HTTP API can show it as it is.
"""

from __future__ import annotations


class CityCoopError(Exception):
    """Raised when a command is refused; the base of every citycoop error."""


class InvalidInputError(CityCoopError):
    """Raised when the input itself is wrong, before any rule of the business is asked."""


class InvalidValueError(InvalidInputError):
    """Raised when a value given to a command is malformed or out of range."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


class SameCityError(CityCoopError):
    """Raised when a partnership would join a city to itself."""


class PartnershipExistsError(CityCoopError):
    """Raised when the two cities already have a partnership on record."""


class PartnershipEndedError(CityCoopError):
    """Raised when anything is recorded on a partnership that has ended."""


class PartnershipStatusError(CityCoopError):
    """Raised when a partnership is suspended or resumed from the wrong status."""


class DuplicateError(CityCoopError):
    """Raised when a partnership would be marked the duplicate of one that is
    not of the same two cities, or when either is already a duplicate, or when
    anything is recorded on a duplicate."""


class StageUnchangedError(CityCoopError):
    """Raised when a partnership is moved to the stage it is already at."""


class FieldAlreadyAddedError(CityCoopError):
    """Raised when a field of cooperation is added twice to one partnership."""


class NotFoundError(CityCoopError):
    """Raised when a command names a partnership, conference or agreement that
    was never recorded."""


class ConferenceNotHeldError(NotFoundError):
    """Raised when projects are signed at a conference that was never held."""


class ConferenceOfAnotherPartnershipError(CityCoopError):
    """Raised when projects are signed for one partnership at another's conference."""


class AgreementExistsError(CityCoopError):
    """Raised when a conference's signings in one category are recorded twice."""


class ProjectCountExceededError(CityCoopError):
    """Raised when more projects are named than the agreement says were signed."""


class ProjectAlreadyNamedError(CityCoopError):
    """Raised when a project is named twice in one agreement, which would count it twice."""


class DateOrderError(CityCoopError):
    """Raised when an event would be dated before the record it belongs to began."""


class CorrectionError(CityCoopError):
    """Raised when a correction names a fact that the record does not hold."""


class KeyReusedError(CityCoopError):
    """Raised when an idempotency key already given to one command is given to another."""


class ConflictError(CityCoopError):
    """Raised when another writer changed the same record first; retry the command."""
