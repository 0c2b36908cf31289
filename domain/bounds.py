"""Figures as the sources give them: a number and how it bounds the truth.

A press release says "more than 700 enterprises" and "nearly 200 guests":
the register keeps 700 and 200 with their qualifier (``Qualifier``), so it
never states as exact what the source gave as a bound, and puts the figure
back into words as the source did.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from .values import Term
from .vocabulary import Qualifier

QualifierTerm = Annotated[Qualifier, Term]
"""A qualifier in any spelling a term accepts: "more than", "More-Than"."""

_WORDS = {
    Qualifier.EXACT: "",
    Qualifier.ABOUT: "about ",
    Qualifier.NEARLY: "nearly ",
    Qualifier.MORE_THAN: "more than ",
    Qualifier.AT_LEAST: "at least ",
    Qualifier.AT_MOST: "at most ",
    Qualifier.LESS_THAN: "less than ",
}
_FROM_BELOW = {Qualifier.AT_LEAST, Qualifier.MORE_THAN}
_FROM_ABOVE = {Qualifier.AT_MOST, Qualifier.LESS_THAN}


def bounded(qualifier: Qualifier | str, figure: str) -> str:
    """``more than 700``: the figure as the source put it."""
    return f"{_WORDS[Qualifier(qualifier)]}{figure}"


def combined(qualifiers: Iterable[Qualifier | str]) -> Qualifier:
    """The qualifier of a sum of figures, true of the sum of the figures for
    every set of true values the parts admit: exact only when every part is;
    the one qualifier when all others are exact ("more than 3" and 10 is "more
    than 13", "nearly 200" and 10 "nearly 210"); bounded from below when every
    part is ("at least 3" and "more than 10" is "more than 13"), from above
    when every part is, "nearly" counting as at most ("nearly 200" and "less
    than 10" is "less than 210"); about when every part is about, nearly or
    exact.

    Where the parts bound the sum from opposite sides ("more than 3" and "less
    than 10"), or one is approximate and another bounded from one side only,
    no word of the vocabulary is true of the sum; it is said to be about, which
    claims more than the parts allow (the vocabulary has no word yet for a
    sum bounded on neither side).
    """
    inexact = {Qualifier(qualifier) for qualifier in qualifiers} - {Qualifier.EXACT}
    if len(inexact) <= 1:
        return next(iter(inexact), Qualifier.EXACT)
    if inexact <= _FROM_BELOW:
        return Qualifier.MORE_THAN if Qualifier.MORE_THAN in inexact else Qualifier.AT_LEAST
    if inexact <= _FROM_ABOVE | {Qualifier.NEARLY}:
        return Qualifier.LESS_THAN if Qualifier.LESS_THAN in inexact else Qualifier.AT_MOST
    return Qualifier.ABOUT


def most(qualifier: Qualifier | str, figure: int) -> int | None:
    """The largest number that ``figure`` so qualified allows, or None when it
    sets no upper bound ("about 3", "at least 3")."""
    match Qualifier(qualifier):
        case Qualifier.EXACT | Qualifier.AT_MOST | Qualifier.NEARLY:
            return figure
        case Qualifier.LESS_THAN:
            return figure - 1
    return None
