"""The partnership page's two charts, drawn on the server as inline SVG:
projects signed per year by category (stacked bars) and the investment
reported over time (a line per currency).

No script draws them and no style attribute colours them: the elements carry
classes that the page's own stylesheet colours, so the Content-Security-Policy
can forbid inline scripts and styles. Every text goes through ``Markup``'s
escaping.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from math import ceil, floor, log10

from markupsafe import Markup

from ....domain.vocabulary import ProjectCategory
from ...reads import day_text, figure_text, money_text

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 96, 16, 28, 28
MAX_YEAR_LABELS = 12
MAX_BAR_WIDTH = 40
LEGEND_CHARACTER_WIDTH = 6.2
"""About the width of a character of the charts' 11-pixel labels."""
CATEGORIES = tuple(category.value for category in ProjectCategory)


@dataclass(frozen=True)
class Report:
    """One investment report: when it was as of, the amount, its currency, and
    by how many enterprises, each figure as its source bounded it."""

    as_of: str
    amount: Decimal
    currency: str
    enterprises: int
    amount_qualifier: str = "exact"
    enterprises_qualifier: str = "exact"


def projects_per_year(signings: Iterable[tuple[str, str, int]]) -> Markup | None:
    """Stacked bars from ``(signed_on, category, count)``; None when nothing was signed."""
    by_year: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for signed_on, category, count in signings:
        by_year[int(signed_on[:4])][category] += count
    if not by_year:
        return None
    years = list(range(min(by_year), max(by_year) + 1))
    ticks = _ticks(max(sum(counts.values()) for counts in by_year.values()), whole=True)
    y = _Scale(0, ticks[-1], HEIGHT - BOTTOM, TOP)
    slot = (WIDTH - LEFT - RIGHT) / len(years)
    width = min(slot * 0.7, MAX_BAR_WIDTH)
    parts = [_y_axis(ticks, y, lambda tick: f"{tick:g}")]
    every = ceil(len(years) / MAX_YEAR_LABELS)
    for index, year in enumerate(years):
        x = LEFT + index * slot
        base = 0
        for category in CATEGORIES:
            count = by_year.get(year, {}).get(category, 0)
            if count:
                top, bottom = y(base + count), y(base)
                parts.append(
                    Markup(
                        '<rect class="bar category-{}" x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}">'
                        "<title>{}: {} {}</title></rect>"
                    ).format(category, x + (slot - width) / 2, top, width, bottom - top, year, count, category)
                )
                base += count
        if index % every == 0:
            parts.append(_label(x + slot / 2, HEIGHT - BOTTOM + 16, str(year), "middle"))
    present = [category for category in CATEGORIES if any(category in counts for counts in by_year.values())]
    parts.append(_legend(present))
    return _svg("Projects signed per year, by category", parts)


def investment_over_time(reports: Sequence[Report]) -> list[Markup]:
    """One line chart per currency of ``reports``, in the order they were reported."""
    by_currency: dict[str, list[Report]] = defaultdict(list)
    for report in reports:
        by_currency[report.currency].append(report)
    return [_investment_chart(currency, found) for currency, found in by_currency.items()]


def _investment_chart(currency: str, reports: list[Report]) -> Markup:
    ordered = sorted(reports, key=lambda report: _year_fraction(report.as_of))
    times = [_year_fraction(report.as_of) for report in ordered]
    first, last = min(times), max(times)
    if first == last:
        first, last = first - 0.5, last + 0.5
    x = _Scale(first, last, LEFT + 8, WIDTH - RIGHT - 8)
    ticks = _ticks(float(max(report.amount for report in ordered)))
    y = _Scale(0, ticks[-1], HEIGHT - BOTTOM, TOP)
    parts = [_y_axis(ticks, y, lambda tick: money_text(_decimal(tick), currency))]
    points = " ".join(f"{x(at):.1f},{y(float(report.amount)):.1f}" for at, report in zip(times, ordered, strict=True))
    parts.append(Markup('<polyline class="line" points="{}"/>').format(points))
    for at, report in zip(times, ordered, strict=True):
        parts.append(
            Markup(
                '<circle class="point" cx="{:.1f}" cy="{:.1f}" r="3.5"><title>{}: {}, {} enterprises</title></circle>'
            ).format(
                x(at),
                y(float(report.amount)),
                day_text(report.as_of),
                figure_text(money_text(report.amount, currency), report.amount_qualifier),
                figure_text(report.enterprises, report.enterprises_qualifier),
            )
        )
    years = list(range(ceil(first), floor(last) + 1))
    if len(set(times)) > 1 and years:
        for year in years[:: ceil(len(years) / MAX_YEAR_LABELS)]:
            parts.append(_label(x(year), HEIGHT - BOTTOM + 16, str(year), "middle"))
    else:  # one moment, or all within a year: the reports' own dates
        for at, report in zip(times, ordered, strict=True):
            parts.append(_label(x(at), HEIGHT - BOTTOM + 16, day_text(report.as_of), "middle"))
    return _svg(f"Investment reported over time, in {currency}", parts)


@dataclass(frozen=True)
class _Scale:
    """A linear map from data values to SVG coordinates."""

    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        return self.start + (value - self.low) / (self.high - self.low) * (self.end - self.start)


def _ticks(top: float, *, whole: bool = False) -> list[float]:
    """Round steps from 0 to at least ``top``: 1, 2 or 5 times a power of ten, about four of them."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / 4
    magnitude = 10.0 ** floor(log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(step, 1.0) if whole else step
    return [step * index for index in range(ceil(top / step - 1e-9) + 1)]


def _y_axis(ticks: list[float], y: _Scale, label: Callable[[float], str]) -> Markup:
    lines = [
        Markup('<line class="grid" x1="{}" x2="{}" y1="{:.1f}" y2="{:.1f}"/>').format(LEFT, WIDTH - RIGHT, y(t), y(t))
        + _label(LEFT - 6, y(t) + 4, label(t), "end")
        for t in ticks
    ]
    return Markup("").join(lines)


def _label(x: float, y: float, text: str, anchor: str) -> Markup:
    return Markup('<text x="{:.1f}" y="{:.1f}" text-anchor="{}">{}</text>').format(x, y, anchor, text)


def _legend(categories: list[str]) -> Markup:
    items, x = [], float(LEFT)
    for category in categories:
        items.append(
            Markup('<rect class="bar category-{}" x="{:.1f}" y="6" width="10" height="10"/>').format(category, x)
            + _label(x + 14, 15, category, "start")
        )
        x += 14 + LEGEND_CHARACTER_WIDTH * len(category) + 14
    return Markup("").join(items)


def _svg(title: str, parts: list[Markup]) -> Markup:
    return Markup(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">'
        "<title>{}</title>{}</svg>"
    ).format(WIDTH, HEIGHT, title, title, Markup("").join(parts))


def _decimal(tick: float) -> Decimal:
    return Decimal(int(tick)) if tick == int(tick) else Decimal(str(tick))


def _year_fraction(partial_date: str) -> float:
    """``2023``, ``2023-05`` or ``2023-05-05`` as a point in years (2023.34 …)."""
    year, month, day = (int(part) for part in [*partial_date.split("-"), "1", "1"][:3])
    start = date(year, 1, 1)
    return year + (date(year, month, day) - start).days / 366
