"""The founding story's cities and figures, and import files built from them."""

from __future__ import annotations

import json
from pathlib import Path
from uuid import UUID

from citycoop.adapters.application.commands import EstablishPartnership
from citycoop.adapters.application.service import CityCoop
from citycoop.domain.partnership import Partnership
from citycoop.domain.values import City
from tests.recording import record

WUXI = {"name": "Wuxi", "country": "China"}
SINGAPORE = {"name": "Singapore", "country": "Singapore"}
PRESS_RELEASE = "PRNewswire, Beijing, 6 May 2023"


def establish_wuxi_singapore(app: CityCoop, *, actor: str = "clerk") -> UUID:
    return record(
        app,
        EstablishPartnership.validated(
            city_a=WUXI,
            city_b=SINGAPORE,
            since="1993",
            fields=["science-and-technology", "economy-and-trade", "culture-and-arts"],
        ),
        app.provenance(actor, source=PRESS_RELEASE, key="wuxi-singapore/established"),
    )


def big_import(path: Path, *, initiatives: int, batch: str = "bulk", partner: dict[str, str] = SINGAPORE) -> Path:
    """A JSON import file: Wuxi's partnership with ``partner`` and ``initiatives``
    initiatives launched in it, every entry with its own idempotency key, so
    the events of one file can be counted in the log."""
    entries: list[dict[str, object]] = [
        {
            "kind": "establish-partnership",
            "as": "wuxi-singapore",
            "key": f"{batch}/established",
            "city_a": WUXI,
            "city_b": partner,
            "since": "1993",
        }
    ]
    entries += [
        {
            "kind": "launch-initiative",
            "key": f"{batch}/initiative-{number}",
            "partnership": "wuxi-singapore",
            "name": f"Wuxi-Singapore exchange programme {number}",
            "initiative_kind": "exchange-programme",
            "started": "2023-05",
        }
        for number in range(1, initiatives + 1)
    ]
    path.write_text(json.dumps({"source": PRESS_RELEASE, "entries": entries}), encoding="utf-8")
    return path


def wuxi_singapore_id() -> UUID:
    return Partnership.id_for(City.model_validate(WUXI), City.model_validate(SINGAPORE))
