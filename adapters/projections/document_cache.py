"""The rows of a projection's tables kept in memory from one batch to the next."""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .tables import Document
    from .versions import Version


class DocumentCache:
    """Rows as committed, kept between the batches of one run so that the rows
    most events touch are neither read nor decoded again. It holds committed
    rows only: after a batch that did not commit, the runner clears it.

    Its size is bounded by the length of the rows' JSON, not by their number:
    documents grow with their record's history, so a bound on their number
    would let memory grow with the log.
    """

    BUDGET = 1024 * 1024
    """Characters of JSON kept (each row counted ``OVERHEAD`` longer than it
    is), several times as many bytes once decoded."""
    OVERHEAD = 256

    def __init__(self) -> None:
        self.rows: OrderedDict[Any, Document | None] = OrderedDict()
        self.stored: dict[Any, tuple[Any, ...]] = {}
        """The column values of the rows known to be in the table, as stored."""
        self.versions: dict[Any, Version] = {}
        """The current version of each row kept, of a table that keeps versions."""
        self.sizes: dict[Any, int] = {}
        self.size = 0

    def used(self, key: Any, size: int) -> None:
        """Note that the row of ``key`` was just read or written, as ``size`` characters of JSON."""
        self.rows.move_to_end(key)
        size += self.OVERHEAD
        self.size += size - self.sizes.get(key, 0)
        self.sizes[key] = size

    def trim(self) -> None:
        """Forget the rows used least recently beyond the budget; done between
        batches only, so a row changed in a batch is never read back stale."""
        while self.size > self.BUDGET:
            key, _ = self.rows.popitem(last=False)
            self.stored.pop(key, None)
            self.versions.pop(key, None)
            self.size -= self.sizes.pop(key, 0)

    def clear(self) -> None:
        self.rows.clear()
        self.stored.clear()
        self.versions.clear()
        self.sizes.clear()
        self.size = 0
