"""A new SQLite store comes into being only when a command wrote to it.

A command refused (a bad import, a rule of the business, a store that
cannot be used) must leave nothing behind, not even an empty store or the
directories it would have been in. So a store that does not exist yet is
made aside, in a hidden file beside the path asked for
(``.citycoop.db.<hex>.new``), and linked into place only once the command
that made it has succeeded; otherwise it is removed with any directory made
for it. A process killed meanwhile leaves only that hidden file. Linking
never replaces a file: if another process created the store meanwhile, this
command's write is refused rather than either being lost.

A reader of a store that does not exist reads an empty one made in a
temporary directory, removed afterwards. This is for one command (the
CLI's); a program or server that keeps a door open makes the store in place.
Only that reader's store needs ``shutil`` and ``tempfile``, imported when it
is made: a recording command on a store that exists makes none, and the two
(with the compression modules ``shutil`` loads) cost it a few milliseconds.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from ..shared_names import STORE_COMPANIONS
from .errors import StoreUnavailableError
from .location import StoreLocation


@dataclass
class NewStore:
    """Where a new store is made (``path``), and what ``finish`` then does with it."""

    path: Path
    target: Path | None
    """Where the store goes once its command succeeded; None for a reader's store, which is discarded."""
    made_directories: list[Path] = field(default_factory=list)

    @classmethod
    def for_location(cls, location: StoreLocation, *, writing: bool) -> NewStore | None:
        """The store to make aside, or None where the store exists (or is not an SQLite file)."""
        target = location.sqlite_path
        if target is None or target.exists():
            return None
        if not writing:
            import tempfile

            return cls(Path(tempfile.mkdtemp(prefix="citycoop-empty-")) / target.name, None)
        made = make_directories(target.parent)
        return cls(target.parent / f".{target.name}.{secrets.token_hex(4)}.new", target, made)

    def finish(self, *, succeeded: bool) -> None:
        """Put the store in place if its command succeeded, else remove every trace of it."""
        if self.target is None:
            import shutil

            shutil.rmtree(self.path.parent, ignore_errors=True)
            return
        if not succeeded:
            self._discard()
            return
        _checkpoint(self.path)
        try:
            os.link(self.path, self.target)
        except FileExistsError:
            self._discard()
            raise StoreUnavailableError(
                f"store: {self.target} was created by another process meanwhile; nothing was recorded, retry"
            ) from None
        self._remove_files()

    def _discard(self) -> None:
        self._remove_files()
        for directory in reversed(self.made_directories):
            try:
                directory.rmdir()
            except OSError:
                break

    def _remove_files(self) -> None:
        for suffix in STORE_COMPANIONS:
            try:
                Path(f"{self.path}{suffix}").unlink()
            except OSError:  # never made: missing, or no folder to be in
                continue


def _checkpoint(path: Path) -> None:
    """Move what the write-ahead log still holds into the file itself: only
    the file is linked into place, under a name its old log does not have."""
    if not Path(f"{path}-wal").exists():
        return
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def make_directories(directory: Path) -> list[Path]:
    """Make ``directory`` and any missing parent; the ones made, outermost first."""
    missing: list[Path] = []
    while not directory.exists():
        missing.append(directory)
        directory = directory.parent
    missing.reverse()
    for each in missing:
        try:
            each.mkdir()
        except FileExistsError:
            continue
    return missing
