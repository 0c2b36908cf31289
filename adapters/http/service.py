"""How the service itself is doing: up (health) and able to read its store
(readiness), for load balancers and orchestrators."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel

from .dependencies import Door
from .problems import UNAVAILABLE

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


@router.get(
    "/ready",
    summary="The store can be read",
    description=(
        "200 once the head of the log was read; 503 (with `Retry-After`) when the store cannot be read,"
        " or did not answer within 2 s (`citycoop serve --ready-timeout`)."
    ),
    responses=UNAVAILABLE,
)
def ready(reads: Door) -> Readiness:
    return Readiness(store="postgresql" if reads.location.is_postgres else "sqlite", head=reads.head())
