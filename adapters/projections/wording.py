"""How the read models put figures into words, for timeline summaries and
for people reading the CLI: ``US$16.4 billion``, ``5 May 2023``, ``3 strategic
and 10 industrial projects (13 in total)``."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from ...domain.bounds import bounded, combined
from ...domain.vocabulary import ProjectCategory, Qualifier

_CURRENCY_SIGNS = {"USD": "US$", "EUR": "€", "GBP": "£", "SGD": "S$", "CNY": "CN¥", "JPY": "JP¥"}
_CATEGORIES = tuple(category.value for category in ProjectCategory)
_SCALES = ((Decimal(10) ** 12, "trillion"), (Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million"))


def money_text(amount: Decimal | str, currency: str) -> str:
    """``US$16.4 billion``; amounts under a million are written out."""
    value = Decimal(amount)
    sign = _CURRENCY_SIGNS.get(currency, f"{currency} ")
    for scale, word in _SCALES:
        if value >= scale:
            return f"{sign}{_trimmed(value / scale)} {word}"
    return f"{sign}{value:,}"


def exact_money_text(amount: Decimal | str, currency: str) -> str:
    """``US$16.4 billion (USD 16400000000)``: the words and the recorded figure."""
    return f"{money_text(amount, currency)} ({currency} {amount})"


def _trimmed(value: Decimal) -> str:
    text = f"{value.quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return text or "0"


def day_text(partial_date: str) -> str:
    """``5 May 2023`` for a full date; a year or a month is left as it is."""
    if len(partial_date) != len("2023-05-05"):
        return partial_date
    day = date.fromisoformat(partial_date)
    return f"{day.day} {day:%B %Y}"


_DERIVED_FROM = {"conference": "the conference", "agreement": "the signing"}


def when_text(business_date: str | None, kind: str, derived_from: str | None, *, in_words: bool = False) -> str:
    """When a timeline entry happened: ``2023-05-05`` (``5 May 2023`` in
    words); ``2023-05-05 (from the conference)`` when the date follows from
    its conference or signing; ``undated`` when no source gives one."""
    if business_date is None:
        return "undated"
    shown = day_text(business_date) if in_words else business_date
    return shown if kind != "derived" else f"{shown} (from {_DERIVED_FROM.get(derived_from or '', derived_from)})"


def projects_text(
    by_category: Mapping[ProjectCategory, int] | Mapping[str, int],
    total: int,
    qualifiers: Mapping[ProjectCategory, Qualifier] | Mapping[str, str] | None = None,
) -> str:
    """``more than 3 strategic and 10 industrial projects (more than 13 in
    total)``, categories in vocabulary order, each count as its source put it
    (``qualifiers``: those that are not exact)."""
    counts: Mapping[str, int] = by_category  # type: ignore[assignment]  # categories are strings
    inexact = {str(category): str(q) for category, q in (qualifiers or {}).items() if q != Qualifier.EXACT}
    parts = [
        f"{bounded(inexact.get(category, Qualifier.EXACT), str(counts[category]))} {category}"
        for category in _CATEGORIES
        if counts.get(category)
    ]
    if not parts:
        return "no projects"
    listed = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    noun = "project" if total == 1 and not inexact else "projects"
    in_all = bounded(combined(inexact.values()), str(total))
    return f"{listed} {noun}" if len(parts) == 1 else f"{listed} {noun} ({in_all} in total)"


def projects_total_text(total: int, qualifiers: Mapping[ProjectCategory, Qualifier] | Mapping[str, str]) -> str:
    """``more than 13``: the projects of all categories, as their counts allow."""
    return bounded(combined(qualifiers.values()), str(total))


def figure_text(figure: int | str, qualifier: Qualifier | str | None) -> str:
    """``more than 700``: a figure as its source put it."""
    return bounded(qualifier or Qualifier.EXACT, str(figure))
