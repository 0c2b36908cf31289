"""How the service itself is doing: up (health) and able to read its store
(readiness), for load balancers and orchestrators."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel

from ..storage.errors import translated_store_errors
from .dependencies import App
from .problems import problem_responses

router = APIRouter(tags=["service"])


class Health(BaseModel):
    status: Literal["up"] = "up"


class Readiness(BaseModel):
    status: Literal["ready"] = "ready"
    store: Literal["sqlite", "postgresql"]
    head: int
    """Position of the newest event in the log (0 when it is empty)."""


@router.get("/health", summary="The process is up")
async def health() -> Health:
    return Health()


@router.get("/ready", summary="The store can be read", responses=problem_responses(503))
def ready(app: App) -> Readiness:
    with translated_store_errors(app.location):
        head = app.recorder.max_notification_id() or 0
    return Readiness(store="postgresql" if app.location.is_postgres else "sqlite", head=head)
