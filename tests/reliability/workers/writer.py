"""One of several clerks recording into the same store at the same time.

Usage: ``python writer.py STORE WRITER COMMANDS [ROUND]``. ROUND keeps the keys
and names of a later round apart from an earlier one's. The writer opens the store,
prints ``ready``, waits for a line on stdin (so all writers start together),
then gives COMMANDS commands and prints one JSON line per command: its
idempotency keys, and ``recorded`` or the error that refused it. After each
recorded command it brings the read models up to date, as ``citycoop record``
does, so several processes also race to apply the same events. An error of
any other kind ends the writer with a traceback, which fails the test.

Most commands land on the shared Wuxi–Singapore partnership, so writers race
on the same aggregate; some establish partnerships of their own; some are
batches touching both, which must be recorded whole or not at all; and every
writer's first command races the others to establish the same new partnership.
"""

from __future__ import annotations

import json
import sys

from citycoop.adapters.application.commands import Command, EstablishPartnership, LaunchInitiative, ReportInvestment
from citycoop.adapters.application.service import CityCoop, Step
from citycoop.adapters.projections import catch_up
from citycoop.adapters.storage.errors import StoreUnavailableError, translated_store_errors
from citycoop.domain.errors import ConflictError, PartnershipExistsError
from citycoop.domain.partnership import Partnership
from citycoop.domain.values import City, validated

WUXI = {"name": "Wuxi", "country": "China"}
SINGAPORE = {"name": "Singapore", "country": "Singapore"}
WUXI_SINGAPORE = str(Partnership.id_for(City.model_validate(WUXI), City.model_validate(SINGAPORE)))
REFUSALS = (ConflictError, PartnershipExistsError, StoreUnavailableError)


def commands(writer: str, number: int) -> list[tuple[str, Command]]:
    """The (idempotency key, command) pairs of this writer's ``number``-th step."""
    key = f"writer-{writer}/{number}"
    if number == 0:
        contested = {"name": "无锡", "country": "中国"}
        return [(key, _establish(contested, {"name": "Singapura", "country": "Singapura"}))]
    if number % 4 == 1:
        return [(key, _initiative(WUXI_SINGAPORE, f"Exchange programme {writer}-{number}"))]
    if number % 4 == 2:
        amount = 16_400_000_000 + number
        return [(key, validated(ReportInvestment, partnership=WUXI_SINGAPORE, enterprises=700, amount=amount,
                                currency="USD", as_of="2023-05-05"))]  # fmt: skip
    own_city = {"name": f"Partner city {writer}-{number}", "country": "Singapore"}
    if number % 4 == 3:
        return [(key, _establish(WUXI, own_city))]
    return [
        (f"{key}/a", _establish(WUXI, own_city)),
        (f"{key}/b", _initiative(WUXI_SINGAPORE, f"Joint park {writer}-{number}")),
    ]


def _establish(city_a: dict[str, str], city_b: dict[str, str]) -> Command:
    return validated(EstablishPartnership, city_a=city_a, city_b=city_b, since="2023", stage="letter-of-intent")


def _initiative(partnership: str, name: str) -> Command:
    return validated(LaunchInitiative, partnership=partnership, name=name, initiative_kind="exchange-programme")


def _read_models_behind(app: CityCoop) -> str | None:
    """Catch the read models up; say why not, if the store refused (the next catch-up finishes the work)."""
    try:
        with translated_store_errors(app.location):
            catch_up(app)
    except StoreUnavailableError as error:
        return str(error)
    return None


def main(store: str, writer: str, count: int) -> None:
    app = CityCoop(store)
    print("ready", flush=True)
    sys.stdin.readline()
    try:
        for number in range(count):
            batch = commands(writer, number)
            steps = [Step(command, app.provenance(f"writer {writer}", key=key)) for key, command in batch]
            outcome: dict[str, object] = {"keys": [key for key, _ in batch]}
            try:
                app.execute(steps)
                outcome["recorded"] = True
            except REFUSALS as refusal:
                outcome.update(recorded=False, refusal=type(refusal).__name__, error=str(refusal))
            else:
                outcome["read_models_behind"] = _read_models_behind(app)
            print(json.dumps(outcome, ensure_ascii=False), flush=True)
    finally:
        app.close()


if __name__ == "__main__":
    store, writer, count, *round_ = sys.argv[1:]
    main(store, ".".join([writer, *round_]), int(count))
