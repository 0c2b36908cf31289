"""Reads over HTTP: the served API under load, beside a trivial endpoint of the same server.

    python -m benchmarks.http_reads [--store PATH|URL] [--events 5000] [--requests 3000] [--seconds 15]

It records a synthetic history (Wuxi–Singapore first), brings the projections
up to date, starts the installed ``citycoop serve`` in a subprocess on a free
loopback port, and loads it from this process with an async httpx client:
``--concurrency`` requests in flight, each run bounded by ``--requests`` and
``--seconds``. Targets take turns round after round so that a neighbour's
burst of CPU does not land on one of them only; the median round is reported.

For each target it prints requests per second and p50/p99 latency as the
client saw them, and the server's CPU time per request (read from /proc),
which is what the server itself spends whether or not the client keeps up.
The reference is ``/health``, a constant answer from the same server. The
target: one partnership read, and each of the auditors' pages (the register,
a partnership's page, a record's history), at ≥ 50% of the reference's rate.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from benchmarks.generator import History, batches, entries, step
from citycoop.adapters.application.service import CityCoop

CITYCOOP = str(Path(sys.executable).with_name("citycoop"))
FEED_PAGE = 100
TARGET_RATIO = 0.5
TARGETED = ("one partnership", "register page", "partnership page", "record history page")
"""The targets held to ``TARGET_RATIO`` of the trivial endpoint's rate."""


@dataclass(frozen=True)
class Target:
    name: str
    path: str


@dataclass(frozen=True)
class Run:
    requests: int
    seconds: float
    latencies: list[float]
    server_cpu_seconds: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] * 1000

    @property
    def cpu_per_request_ms(self) -> float:
        return self.server_cpu_seconds / self.requests * 1000


def page_targets(partnership_id: object) -> list[Target]:
    """The auditors' pages: the register, the founding partnership's page and its record's history."""
    return [
        Target("register page", "/"),
        Target("partnership page", f"/pages/partnerships/{partnership_id}"),
        Target("record history page", f"/pages/records/{partnership_id}"),
    ]


def record_history(store: str, events: int) -> str:
    """Record ``events`` of the synthetic history; returns the founding partnership's id."""
    app = CityCoop(store)
    with closing(app):
        for chunk in batches(entries(events), 1000):
            app.execute([step(entry) for entry in chunk])
        catch_up_projections(app)
    return str(History(events).partnership_ids[0])


def catch_up_projections(app: CityCoop) -> None:
    from citycoop.adapters.projections import catch_up

    catch_up(app)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def server(store: str, workers: int) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    # The projections are already caught up: measure serving, not following the log.
    command = [CITYCOOP, "--store", store, "serve", "--port", str(port), "--no-access-log", "--no-follow"]
    command += ["--workers", str(workers)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base_url}/ready", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start: {' '.join(command)}")
            time.sleep(0.1)
        yield base_url, process
    finally:
        process.terminate()
        process.wait(timeout=15)


def cpu_seconds(pid: int) -> float:
    """User and system time of ``pid`` and its children (the workers), so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    pids = [pid, *map(int, Path(f"/proc/{pid}/task/{pid}/children").read_text().split())]
    for each in pids:
        fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


async def load(client: httpx.AsyncClient, path: str, requests: int, seconds: float, concurrency: int) -> Run:
    latencies: list[float] = []
    sent = 0
    deadline = time.perf_counter() + seconds

    async def one_connection() -> None:
        nonlocal sent
        while sent < requests and time.perf_counter() < deadline:
            sent += 1
            started = time.perf_counter()
            response = await client.get(path)
            latencies.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise SystemExit(f"GET {path} answered {response.status_code}: {response.text[:300]}")

    started = time.perf_counter()
    await asyncio.gather(*(one_connection() for _ in range(concurrency)))
    return Run(len(latencies), time.perf_counter() - started, latencies, 0.0)


async def measure(base_url: str, pid: int, targets: list[Target], args: argparse.Namespace) -> dict[str, list[Run]]:
    limits = httpx.Limits(max_connections=args.concurrency, max_keepalive_connections=args.concurrency)
    runs: dict[str, list[Run]] = {target.name: [] for target in targets}
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as client:
        for target in targets:  # warm up: imports, caches, connections
            await load(client, target.path, 200, 5, args.concurrency)
        for _ in range(args.rounds):
            for target in targets:
                cpu_before = cpu_seconds(pid)
                run = await load(client, target.path, args.requests, args.seconds, args.concurrency)
                runs[target.name].append(Run(run.requests, run.seconds, run.latencies, cpu_seconds(pid) - cpu_before))
    return runs


def median_run(runs: list[Run]) -> Run:
    return sorted(runs, key=lambda run: run.rate)[len(runs) // 2]


def report(runs: dict[str, list[Run]], reference: str, args: argparse.Namespace, store_kind: str) -> None:
    print(
        f"HTTP reads: {args.events} events on {store_kind}, {args.workers} worker(s), "
        f"{args.concurrency} in flight, median of {args.rounds} rounds of up to {args.requests} requests"
    )
    header = f"{'target':<34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'server CPU ms/req':>18} {'rate ratio':>11}"
    print(header)
    print("-" * len(header))
    base = median_run(runs[reference])
    for name, target_runs in runs.items():
        run = median_run(target_runs)
        ratio = run.rate / base.rate
        print(
            f"{name:<34} {run.rate:>8.0f} {run.percentile(0.5):>8.2f} {run.percentile(0.99):>8.2f}"
            f" {run.cpu_per_request_ms:>18.3f} {ratio:>10.0%}"
        )
    for name in TARGETED:
        run = median_run(runs[name])
        ratio = run.rate / base.rate
        verdict = "met" if ratio >= TARGET_RATIO else "NOT met"
        print(f"target: {name} at >= {TARGET_RATIO:.0%} of the trivial endpoint's rate: {ratio:.0%}, {verdict}")
        # When the client, not the server, sets the pace, rates converge; the
        # server's CPU per request says what the ratio is once the server is the limit.
        cpu_ratio = base.cpu_per_request_ms / run.cpu_per_request_ms
        verdict = "met" if cpu_ratio >= TARGET_RATIO else "NOT met"
        print(f"  server-bound estimate (trivial CPU/request over its CPU/request): {cpu_ratio:.0%}, {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", help="an empty SQLite path or PostgreSQL URL (default: a temporary SQLite file)")
    parser.add_argument("--events", type=int, default=5000, help="events of synthetic history to record")
    parser.add_argument("--requests", type=int, default=3000, help="requests per target per round, at most")
    parser.add_argument("--seconds", type=float, default=15.0, help="seconds per target per round, at most")
    parser.add_argument("--concurrency", type=int, default=8, help="requests in flight")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        store = args.store or str(Path(scratch) / "citycoop.db")
        partnership_id = record_history(store, args.events)
        targets = [
            Target("trivial: /health", "/health"),
            Target("one partnership", f"/partnerships/{partnership_id}"),
            Target(f"feed page of {FEED_PAGE} events", f"/feed/sections/1,{FEED_PAGE}"),
            *page_targets(partnership_id),
        ]
        with server(store, args.workers) as (base_url, process):
            runs = asyncio.run(measure(base_url, process.pid, targets, args))
        report(runs, targets[0].name, args, "PostgreSQL" if store.startswith("postgres") else "SQLite")


if __name__ == "__main__":
    main()
