"""What the two doors, ``reads.Reads`` and ``writes.Writes``, share: the
application service on one store, opened by a door and closed with it."""

from __future__ import annotations

from typing import Self

from .application.service import CityCoop


class Door:
    def __init__(self, app: CityCoop) -> None:
        self._app = app

    @classmethod
    def open(cls, store: str | None = None) -> Self:
        """The door of the store named (or of ``CITYCOOP_STORE``, or the default file)."""
        return cls(CityCoop(store))

    def close(self) -> None:
        self._app.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
