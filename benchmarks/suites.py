"""The benchmarks written with each capability, called by the harness.

Each capability's own module (``benchmarks/http_reads.py`` …) runs alone from
the command line; the functions here run the same measurement on the
harness's store and size and return it as :class:`Measurement` values.
"""

from __future__ import annotations

import argparse
import asyncio
from contextlib import closing

from benchmarks.generator import History
from benchmarks.measures import Measurement, Setup, Stopwatch, rate
from citycoop.adapters.application.service import CityCoop

HTTP_LOAD = {"rounds": 3, "requests": 2_000, "seconds": 10.0, "concurrency": 8}
HTTP_QUICK_LOAD = {"rounds": 1, "requests": 50, "seconds": 2.0, "concurrency": 2}


def http_reads(setup: Setup) -> list[Measurement]:
    """Requests per second for one partnership, a page of the feed and the
    auditors' pages, beside the server's trivial endpoint, from a served store
    of the harness's size."""
    from benchmarks import http_reads as bench

    app = CityCoop(setup.store)
    with closing(app):
        bench.catch_up_projections(app)
    partnership_id = History(setup.size, setup.seed).partnership_ids[0]
    targets = {
        "HTTP: trivial endpoint": bench.Target("trivial", "/health"),
        "HTTP: one partnership": bench.Target("partnership", f"/partnerships/{partnership_id}"),
        "HTTP: a page of the feed": bench.Target("feed", f"/feed/sections/1,{bench.FEED_PAGE}"),
        **{f"HTTP: {page.name}": page for page in bench.page_targets(partnership_id)},
    }
    load = argparse.Namespace(**(HTTP_QUICK_LOAD if setup.quick else HTTP_LOAD))
    with bench.server(setup.store, 1) as (base_url, process):
        runs = asyncio.run(bench.measure(base_url, process.pid, list(targets.values()), load))
    measurements = []
    for name, target in targets.items():
        run = bench.median_run(runs[target.name])
        measurements.append(
            Measurement(
                name,
                run.rate,
                "requests/s",
                run.seconds,
                {
                    "p50 ms": run.percentile(0.5),
                    "p99 ms": run.percentile(0.99),
                    "server CPU ms/request": run.cpu_per_request_ms,
                },
            )
        )
    return measurements


def audit_verify(setup: Setup) -> list[Measurement]:
    """``audit verify`` over the whole log, beside the raw read of the same log
    taken alternately with it in the same process (best of the rounds each)."""
    from benchmarks import audit_verify as bench

    figures = bench.measure(setup.store, rounds=1 if setup.quick else 2)
    return [
        rate("audit verify", figures.events, figures.verify_seconds),
        rate("raw read of the log: recorder, between verifications", figures.events, figures.recorder_read_seconds),
        rate("audit seal, from nothing", figures.events, figures.seal_seconds),
    ]


def cli_startup(setup: Setup) -> list[Measurement]:
    """The cold start of ``citycoop --help`` and of one recording command, in
    fresh processes taking turns with bare Python's; medians, in milliseconds
    (the "per CPU second" column holds the median CPU milliseconds)."""
    from benchmarks import cli_startup as bench

    # The floor's script records into the bare driver's store: a store of its own, not citycoop's.
    figures = bench.measure(setup.store, runs=3 if setup.quick else 21, floor_store=setup.plain_store)

    def median(name: str, command: str) -> Measurement:
        runs = figures.runs[command]
        cpu_ms = figures.cpu_median(command) * 1000
        return Measurement(
            name, figures.median(command) * 1000, "ms (median)", sum(runs), {"runs": len(runs)}, cpu_value=cpu_ms
        )

    return [
        median("CLI: python -c pass", bench.PASS),
        median("CLI: python -c 'import click'", bench.IMPORT_CLICK),
        median("CLI: citycoop --help", bench.HELP),
        median("CLI: citycoop --help, against python -c pass", bench.HELP),
        median("CLI: one recording command", bench.RECORD),
        median("CLI: one recording command, environment as given", bench.RECORD_AS_GIVEN),
        *(median(f"CLI: {name}", name) for name in bench.FLOORS if name in figures.runs),
    ]


def projection_rebuild(setup: Setup) -> list[Measurement]:
    """Every projection rebuilt from zero over the whole log, blue/green, as
    ``benchmarks/projection_rebuild.py`` measures it (``rebuild(app)``)."""
    from citycoop.adapters.projections import rebuild

    app = CityCoop(setup.store)
    watch = Stopwatch()
    with closing(app), watch.lap():
        count = rebuild(app)
    return [watch.rate("projection rebuild", count)]
