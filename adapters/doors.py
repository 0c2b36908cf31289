"""What the two doors, ``reads.Reads`` and ``writes.Writes``, share: the
application service on one store, opened by a door and closed with it.

For one command, a store that does not exist yet is made aside
(``storage.new_store``): the write door puts it in place when it is closed
after a success that recorded something, and removes it otherwise; the read
door reads an empty one, then discards it.
"""

from __future__ import annotations

import os
from typing import ClassVar, Self

from .application.service import CityCoop
from .projections.runner import release_read_model_database
from .storage.errors import translated_store_errors
from .storage.location import StoreLocation
from .storage.new_store import NewStore

ONE_COMMAND = {"POSTGRES_POOL_SIZE": "1"}
"""The settings of a store opened for one command (unless set in the
environment): on PostgreSQL, a pool that opens one connection, not the
library's five, each of which the server starts a process for; the command
gets more if it needs them at once (the library's overflow, ten)."""


class Door:
    writes: ClassVar[bool] = False
    """Whether this door writes, and so keeps a store it had to make."""

    def __init__(self, app: CityCoop, new_store: NewStore | None = None) -> None:
        self._app = app
        self._new_store = new_store

    @classmethod
    def open(cls, store: str | None = None, *, one_command: bool = False) -> Self:
        """The door of the store named (or of ``CITYCOOP_STORE``, or the default
        file). A store that does not exist is made at once, for a program or a
        server that keeps the door open while others use the store too; with
        ``one_command``, for a command that opens the door once, it is made
        aside and kept only if this door writes, the command succeeds and
        something was recorded (a seal of a misspelt path makes nothing)."""
        if not one_command:
            return cls(CityCoop(store))
        location = StoreLocation.from_environment(store)
        with translated_store_errors(location):
            new_store = NewStore.for_location(location, writing=cls.writes)
        if new_store is None:
            return cls(CityCoop(store, env=_for_one_command()))
        try:
            app = CityCoop(store, env={"SQLITE_DBNAME": str(new_store.path)})
        except BaseException:
            new_store.finish(succeeded=False)
            raise
        return cls(app, new_store)

    def close(self, *, succeeded: bool = True) -> None:
        """Close the store; a store made for this door is kept only after a
        success that recorded something."""
        try:
            if succeeded and self._new_store is not None:
                succeeded = self._app.holds_events()
            release_read_model_database(self._app)
            self._app.close()
        finally:
            if self._new_store is not None:
                new_store, self._new_store = self._new_store, None
                with translated_store_errors(self._app.location):
                    new_store.finish(succeeded=succeeded)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc_info: object) -> None:
        self.close(succeeded=exc_type is None)


def _for_one_command() -> dict[str, str]:
    return {name: value for name, value in ONE_COMMAND.items() if name not in os.environ}
