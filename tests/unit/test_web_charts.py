"""The partnership page's charts are drawn to scale: a bar per year, stacked
by category in vocabulary order, as tall as its projects; investment as a
line per currency through each report, in the order of their dates."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from citycoop.adapters.http.web.charts import Report, investment_over_time, projects_per_year

SVG = "{http://www.w3.org/2000/svg}"
WUXI_AKASHI_AND_SINGAPORE = [
    ("2023-05-05", "industrial", 10),
    ("2021-10-15", "cultural", 2),
    ("2023-05-05", "strategic", 3),
]


def bars(svg: str) -> list[tuple[str, float, float]]:
    """Each titled bar: its title, top and height."""
    root = ET.fromstring(svg)
    return [
        (rect.findtext(f"{SVG}title") or "", float(rect.get("y", 0)), float(rect.get("height", 0)))
        for rect in root.iter(f"{SVG}rect")
        if rect.find(f"{SVG}title") is not None
    ]


def test_projects_are_stacked_by_category_a_bar_per_year_each_as_tall_as_its_count() -> None:
    chart = projects_per_year(WUXI_AKASHI_AND_SINGAPORE)
    assert chart is not None

    found = bars(str(chart))

    assert [title for title, _, _ in found] == ["2021: 2 cultural", "2023: 3 strategic", "2023: 10 industrial"]
    (_, _, cultural), (_, strategic_top, strategic), (_, industrial_top, industrial) = found
    assert industrial / strategic == pytest.approx(10 / 3, rel=0.01)
    assert cultural / strategic == pytest.approx(2 / 3, rel=0.01)
    assert industrial_top + industrial == pytest.approx(strategic_top, abs=0.1), "industrial sits on strategic"
    labels = [text.text for text in ET.fromstring(str(chart)).iter(f"{SVG}text")]
    assert {"2021", "2022", "2023"} <= set(labels), "a year with no signing keeps its place"
    assert labels[-3:] == ["strategic", "industrial", "cultural"], "the legend, in vocabulary order"


def test_a_partnership_without_signings_has_no_projects_chart() -> None:
    assert projects_per_year([]) is None


def test_investment_is_a_line_per_currency_through_each_report_in_date_order() -> None:
    reports = [
        Report("2023-05-05", Decimal("16400000000"), "USD", 700),
        Report("2019", Decimal("9000000000"), "USD", 500),
        Report("2020-06", Decimal("120000000"), "SGD", 40),
    ]

    usd, sgd = (ET.fromstring(str(chart)) for chart in investment_over_time(reports))

    assert usd.get("aria-label") == "Investment reported over time, in USD"
    assert sgd.get("aria-label") == "Investment reported over time, in SGD"
    points = [(float(c.get("cx", 0)), float(c.get("cy", 0))) for c in usd.iter(f"{SVG}circle")]
    assert [c.findtext(f"{SVG}title") for c in usd.iter(f"{SVG}circle")] == [
        "2019: US$9 billion, 500 enterprises",
        "5 May 2023: US$16.4 billion, 700 enterprises",
    ]
    assert points[0][0] < points[1][0]
    assert points[0][1] > points[1][1], "the larger amount is drawn higher"
    (line,) = usd.iter(f"{SVG}polyline")
    assert line.get("points") == " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    assert "US$20 billion" in [text.text for text in usd.iter(f"{SVG}text")], "the axis rounds up"
