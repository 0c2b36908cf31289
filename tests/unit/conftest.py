"""The founding story's cities and a clerk's provenance, for tests of the pure domain."""

from __future__ import annotations

from collections.abc import Callable
from uuid import uuid4

import pytest

from citycoop.domain.agreement import Agreement
from citycoop.domain.conference import Conference
from citycoop.domain.partnership import Partnership
from citycoop.domain.values import City, Provenance
from citycoop.domain.vocabulary import ProjectCategory

MakeMeta = Callable[..., Provenance]


@pytest.fixture
def meta() -> MakeMeta:
    """A fresh provenance envelope per command; pass ``key`` to make it retryable."""

    def make(key: str | None = None, business_date: str | None = None) -> Provenance:
        return Provenance(
            actor="clerk-li",
            source="PRNewswire, 6 May 2023",
            correlation_id=uuid4(),
            idempotency_key=key,
            business_date=business_date,
        )

    return make


@pytest.fixture
def wuxi() -> City:
    return City(name="Wuxi", country="China")


@pytest.fixture
def singapore() -> City:
    return City(name="Singapore", country="Singapore")


@pytest.fixture
def partnership(wuxi: City, singapore: City, meta: MakeMeta) -> Partnership:
    """Wuxi–Singapore, sister cities since 1993, as the press release tells it."""
    return Partnership.establish(
        city_a=wuxi,
        city_b=singapore,
        since="1993",
        stage="sister-city",
        fields=("science-and-technology", "economy-and-trade", "culture-and-arts"),
        meta=meta(),
    )


@pytest.fixture
def conference(partnership: Partnership, meta: MakeMeta) -> Conference:
    """The conference of 5 May 2023 in Wuxi, with nearly 200 guests."""
    return Conference.hold(
        id=uuid4(),
        partnership_id=partnership.id,
        title="Wuxi Singapore Cooperation and Development Conference on Urban Internationalization",
        held_on="2023-05-05",
        host_city="Wuxi",
        attendance=200,
        attendance_qualifier="about",
        organizations=("Singapore Changi Airport Group", "Singapore Exchange (SGX)", "DHL Asia Pacific Headquarters"),
        speakers=({"name": "Zhao Jianjun", "role": "Mayor of Wuxi", "statement": "Over the past 30 years…"},),
        meta=meta(),
    )


@pytest.fixture
def industrial(conference: Conference, meta: MakeMeta) -> Agreement:
    """The 10 industrial cooperation projects signed at the conference."""
    return Agreement.sign(
        partnership_id=conference.partnership_id,
        conference_id=conference.id,
        category=ProjectCategory.INDUSTRIAL,
        count=10,
        signed_on="2023-05-05",
        meta=meta(),
    )
