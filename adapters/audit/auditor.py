"""What the audit answers and does, over the application's store: the read
door asks it for histories, the log, past states, verification and exports;
the write door has it seal the log and restore exports.

Each method imports the module that does its work: every write seals, and
sealing needs only ``global_chain``, not the export, the histories or the
verification.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from ...domain.errors import InvalidValueError
from ..application.service import CityCoop
from ..storage.errors import translated_store_errors
from ..storage.sql import sql_of
from . import global_chain
from .global_chain import Head
from .storage import Storage, storage_for

if TYPE_CHECKING:
    from ..storage.recorded_times import MomentInLog
    from .event_log import LogFilter, LogPage
    from .export import Restored, TextOut
    from .history import HistoryEntry
    from .report import Verification
    from .time_travel import RecordAsOf, RecordKnownOn

_HASH = re.compile(r"^[0-9a-f]{64}$")


class Auditor:
    def __init__(self, app: CityCoop) -> None:
        self.app = app
        with self._store():
            self.storage: Storage = storage_for(sql_of(app.recorder))

    def history(self, record_id: UUID) -> list[HistoryEntry]:
        from . import history

        with self._store():
            return history.history(self.storage, self.app.mapper, record_id)

    def log(self, selection: LogFilter, *, after: int = 0, limit: int = 50) -> LogPage:
        from .event_log import read_log

        with self._store():
            return read_log(self.storage, selection, after=after, limit=limit)

    def record(self, record_id: UUID, *, version: int | None = None, as_of: datetime | None = None) -> RecordAsOf:
        """A record as of a version, as of a recorded time, or as it is now."""
        from . import time_travel

        with self._store():
            if as_of is not None:
                return time_travel.record_as_of(self.app, self.storage, record_id, as_of)
            if version is None:
                version = self.app.get_record(record_id).version
            return time_travel.record_at_version(self.app, record_id, version)

    def record_known_on(self, record_id: UUID, *, known_on: datetime, true_on: str) -> RecordKnownOn:
        from . import time_travel

        with self._store():
            return time_travel.record_known_on(
                self.storage, self.app.mapper, record_id, known_on=known_on, true_on=true_on
            )

    def moment_in_log(self, moment: datetime) -> MomentInLog:
        """Where the log ended at ``moment``, and whether that can still change."""
        from . import time_travel

        with self._store():
            return time_travel.moment_in_log(self.storage, moment)

    def recorded_at(self, position: int) -> datetime | None:
        """When the event at ``position`` was recorded; None where there is none."""
        from . import time_travel

        with self._store():
            return time_travel.recorded_at_position(self.storage, position)

    def verify(self, *, expect: str | None = None) -> Verification:
        if expect is not None:
            expect = expect.strip().lower()
            if not _HASH.match(expect):
                raise InvalidValueError("expect", "must be the 64 hex digits that 'citycoop audit seal' printed")
        from . import verification

        with self._store():
            altered = self.app.check_audit_key(writing=False)
            return verification.verify(self.storage, self.app.chain, expect=expect, key_check_altered=altered)

    def seal(self) -> Head:
        """Extend the global chain to the end of the log and return its head."""
        with self._store():
            self.app.check_audit_key(writing=False)
            return global_chain.extend(self.storage, self.app.chain)

    def export(self, out: TextOut) -> Head:
        from . import export

        with self._store():
            self.app.check_audit_key(writing=False)
            return export.export(self.storage, self.app.chain, out)

    def restore(self, lines: Iterable[str]) -> Restored:
        from . import export

        with self._store():
            self.app.check_audit_key(writing=True)
            return export.restore(self.storage, self.app.chain, self.app.mapper, lines)

    @contextmanager
    def _store(self) -> Iterator[None]:
        with translated_store_errors(self.app.location):
            yield
