"""SQLite connections of the read models' own, and throwaway SQLite files.

The read models commit without waiting for the disk, which SQLite only
allows to be set outside a transaction, so they use connections of their own
on the store's file; read models built aside from the live ones (as of a
past position) use a temporary file of their own. ``shutil`` and
``tempfile`` are imported only for those: a recording command never builds
aside, and the two (with the compression modules ``shutil`` loads) cost
it a few milliseconds of its start.
"""

from __future__ import annotations

from pathlib import Path

from eventsourcing.sqlite import SQLiteConnection, SQLiteConnectionPool, SQLiteDatastore

CACHE_KIB = 16 * 1024
CHECKPOINT_PAGES = 16_384


class _ReadModelPool(SQLiteConnectionPool):
    def _create_connection(self) -> SQLiteConnection:
        connection = super()._create_connection()
        with connection.cursor() as cursor:
            # In WAL mode, NORMAL commits without waiting for the disk (read
            # models are derived: a crash of the machine can only roll back
            # their last batches together with those batches' tracking
            # positions, which are then applied again); SQLite only takes it
            # outside a transaction, hence connections of the read models' own.
            # Only checkpoints wait for the disk then: one after every batch
            # (SQLite's default, once the log holds 4 MiB) cost a rebuild more
            # time than its writes did. A page cache of 16 MiB was as fast as
            # one of 64 MiB or 1 GiB, with far less memory.
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            cursor.execute(f"PRAGMA wal_autocheckpoint = {CHECKPOINT_PAGES}")
        return connection


class ReadModelDatastore(SQLiteDatastore):
    def __init__(self, db_name: str, *, lock_timeout: int | None) -> None:
        super().__init__(db_name, lock_timeout=lock_timeout)
        self.pool = _ReadModelPool(db_name=db_name, lock_timeout=lock_timeout)


def discard(datastore: SQLiteDatastore, folder: str) -> None:
    import shutil

    datastore.close()
    shutil.rmtree(folder, ignore_errors=True)


def scratch_datastore() -> tuple[SQLiteDatastore, str]:
    """A datastore on a new file in a temporary folder of its own, and the folder.

    A file, not memory: its page cache is bounded, so building read models
    aside over a long log takes no more memory than over a short one (an
    in-memory database took 5.7 times as much at 1M events as at 100k).
    """
    import tempfile

    folder = tempfile.mkdtemp(prefix="citycoop-read-models-")
    return ReadModelDatastore(str(Path(folder) / "read-models.db"), lock_timeout=None), folder
