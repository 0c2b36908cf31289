"""Projects counted by category, as the conference register and the
partnership summaries keep them: each category's count, the total, and the
qualifier of each category whose count is not exact ("more than 3")."""

from __future__ import annotations

from collections.abc import Iterable

from ...domain.bounds import combined
from ...domain.vocabulary import Qualifier
from .tables import Document

EXACT = Qualifier.EXACT.value


def recount(counts: Document, category: str, change: int) -> None:
    """Add ``change`` projects of ``category`` to ``counts`` and its total."""
    by_category = counts["projects_by_category"]
    by_category[category] = by_category.get(category, 0) + change
    counts["projects_total"] += change


def requalify(counts: Document, category: str, qualifiers: Iterable[str]) -> None:
    """Make ``category``'s qualifier the sum of ``qualifiers``, the qualifiers
    of the counts it adds up; exact ones are not listed."""
    qualifier = combined(qualifiers).value
    listed = counts.setdefault("projects_qualifiers", {})
    if qualifier == EXACT:
        listed.pop(category, None)
    else:
        listed[category] = qualifier
