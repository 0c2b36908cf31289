"""``citycoop serve``: the read-only HTTP JSON API, on uvicorn."""

from __future__ import annotations

import os

import click

from ..adapters.shared_names import (
    DEFAULT_READY_SECONDS,
    DEFAULT_REQUEST_SECONDS,
    READY_TIMEOUT_VARIABLE,
    REQUEST_TIMEOUT_VARIABLE,
    STORE_VARIABLE,
)
from . import collector
from .context import Settings, UsageError, pass_settings


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes; use several against PostgreSQL.",
)
@click.option(
    "--follow/--no-follow",
    default=True,
    show_default=True,
    help="Keep the projections up to date while serving (off where 'citycoop projections run' does it).",
)
@click.option("--access-log/--no-access-log", default=True, show_default=True, help="Log every request.")
@click.option(
    "--request-timeout",
    default=DEFAULT_REQUEST_SECONDS,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    envvar=REQUEST_TIMEOUT_VARIABLE,
    help="Seconds a request may take; past them it is answered 503 with Retry-After.",
)
@click.option(
    "--ready-timeout",
    default=DEFAULT_READY_SECONDS,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    envvar=READY_TIMEOUT_VARIABLE,
    help="Seconds /ready may take; past them it says 503 (not ready).",
)
@pass_settings
def serve(
    settings: Settings,
    *,
    host: str,
    port: int,
    workers: int,
    follow: bool,
    access_log: bool,
    request_timeout: float,
    ready_timeout: float,
) -> None:
    """Serve the read models and the event feed over a read-only HTTP JSON API,
    and pages for auditors at / (the register, partnerships, histories, proof).

    The contract is at /openapi.json (browse it at /docs). Every write method
    is refused with 405.

    \b
    Example:
      citycoop serve --port 8000
      citycoop --store postgresql://postgres@127.0.0.1/test serve --workers 4
    """
    from contextlib import nullcontext

    import uvicorn

    from ..adapters.reads import StoreLocation, projections_followed
    from ..domain.errors import InvalidInputError

    location = StoreLocation.from_environment(settings.store)
    try:
        location.environment()
    except InvalidInputError as error:
        raise UsageError(str(error)) from None
    # Workers are separate processes that build the API from an import string,
    # so the store and the deadlines (read by adapters.http.deadline) reach them
    # through the environment.
    os.environ[STORE_VARIABLE] = location.location
    os.environ[REQUEST_TIMEOUT_VARIABLE] = str(request_timeout)
    os.environ[READY_TIMEOUT_VARIABLE] = str(ready_timeout)
    collector.resume()
    with projections_followed(location.location) if follow else nullcontext():
        uvicorn.run(
            "citycoop.adapters.http:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            access_log=access_log,
            server_header=False,
            timeout_graceful_shutdown=5,
        )
