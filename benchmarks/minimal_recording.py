"""A floor for one recording command: the least a command-line program on
the same libraries could do to record one fact, run by ``cli_startup`` in a
fresh process beside ``citycoop record``.

    python benchmarks/minimal_recording.py SQLITE_PATH|POSTGRESQL_URL

It starts as the ``citycoop`` script does (``cli.console.prepare``: the
collector paused, no pydantic plugin loader), imports click, validates the
fact with one pydantic model, opens the store with eventsourcing's own
recorder for that kind of store (creating its table if need be) and appends
one event in one transaction. No domain, no commands, no read models, no
sealed chain: whatever ``citycoop record`` costs beyond this is citycoop's.
Give it a store of its own, not a citycoop store: its event is no citycoop
event, and the read models would refuse it.
"""

from __future__ import annotations

import sys
from urllib.parse import parse_qs, unquote, urlsplit


def environment(location: str) -> dict[str, str]:
    """eventsourcing's settings for the library's recorder of ``location``."""
    if not location.startswith(("postgresql:", "postgres:")):
        return {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": location}
    url = urlsplit(location)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": unquote(url.path.lstrip("/")),
        "POSTGRES_HOST": url.hostname or "127.0.0.1",
        "POSTGRES_PORT": str(url.port or 5432),
        "POSTGRES_USER": unquote(url.username or "postgres"),
        "POSTGRES_PASSWORD": unquote(url.password or ""),
        "POSTGRES_SCHEMA": parse_qs(url.query).get("schema", ["public"])[0],
    }


def main(location: str) -> None:
    from citycoop.cli import console

    console.prepare()

    from uuid import uuid4

    import click  # noqa: F401 -- every click program pays its import
    from eventsourcing.persistence import InfrastructureFactory, StoredEvent
    from eventsourcing.utils import Environment
    from pydantic import BaseModel

    class InvestmentReported(BaseModel):
        enterprises: int
        amount: int
        as_of: str

    fact = InvestmentReported.model_validate({"enterprises": 700, "amount": 16_400_000_000, "as_of": "2023-05-06"})
    factory = InfrastructureFactory.construct(Environment(env=environment(location)))
    try:
        recorder = factory.application_recorder()
        event = StoredEvent(uuid4(), 1, "minimal:InvestmentReported", fact.model_dump_json().encode())
        recorder.insert_events([event])
    finally:
        factory.close()


if __name__ == "__main__":
    main(sys.argv[1])
