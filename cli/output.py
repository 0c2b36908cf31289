"""Where the CLI writes besides its answers: an export file that must never
destroy what is already at its path, and a standard output that may be full
or closed, which is then blamed in one line rather than the store.

Only the standard library and click are imported: ``citycoop --help`` stays fast.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import click

from ..adapters.shared_names import STORE_COMPANIONS
from .context import UsageError


class OutputError(click.ClickException):
    """Raised when what the command prints or exports cannot be written: exit status 1."""


class BlamingWriter:
    """A text stream whose write errors name the output, not whatever was being read."""

    def __init__(self, stream: IO[str], name: str) -> None:
        self._stream = stream
        self._name = name

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as error:
            raise output_error(self._name, error) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as error:
            raise output_error(self._name, error) from None


def output_error(name: str, error: OSError) -> OutputError:
    return OutputError(f"{name}: cannot write: {error.strerror or error}")


@contextmanager
def guarded_stdout() -> Iterator[None]:
    """Turn a standard output that cannot be written (``> /dev/full``, a closed
    pipe) into one line naming it, however deep the write that failed was.

    Once it has failed, standard output is pointed at /dev/null so that the
    interpreter's own flush at exit does not print a second complaint."""
    try:
        yield
        sys.stdout.flush()
    except OSError as error:
        if not _stdout_is_broken(error):
            raise
        _silence_stdout()
        raise output_error("standard output", error) from None
    except OutputError as error:
        if error.message.startswith("standard output:"):
            _silence_stdout()
        raise


def _stdout_is_broken(error: OSError) -> bool:
    if error.errno in (errno.EPIPE, errno.ENOSPC):
        return True
    try:
        sys.stdout.flush()
    except OSError:
        return True
    return False


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


@contextmanager
def export_file(path: Path, *, force: bool, store_file: Path | None) -> Iterator[IO[str]]:
    """The file an export is written to, opened safely.

    Never the store itself (nor its journal), compared by device and inode so
    that no other spelling of the path gets past. A new path is created
    exclusively, and removed again if the export fails. An existing one only
    with ``force``, and only if it is a regular file that is not read-only:
    it is then written through the path as given (a symlink's target keeps
    being the file), never replaced by another file, and only once the
    export has finished (until then it is written aside)."""
    _refuse_store(path, store_file)
    if not os.path.lexists(path):
        yield from _new_file(path)
        return
    if not force:
        raise UsageError(f"file: {path} exists; give --force to overwrite it")
    yield from _existing_file(path, store_file)


def _refuse_store(path: Path, store_file: Path | None) -> None:
    if store_file is None:
        return
    try:
        target = os.stat(path)
    except OSError:
        return
    for suffix in STORE_COMPANIONS:
        try:
            companion = os.stat(f"{store_file}{suffix}")
        except OSError:
            continue
        if (companion.st_dev, companion.st_ino) == (target.st_dev, target.st_ino):
            raise UsageError(f"file: {path} is the store itself; export to another file")


def _new_file(path: Path) -> Iterator[IO[str]]:
    try:
        out = path.open("x", encoding="utf-8")
    except FileExistsError:
        raise UsageError(f"file: {path} exists; give --force to overwrite it") from None
    except OSError as error:
        raise output_error(f"file {path}", error) from None
    finished = False
    try:
        with out:
            yield out
        finished = True
    except OSError as error:
        raise output_error(f"file {path}", error) from None
    finally:
        if not finished:
            path.unlink(missing_ok=True)


def _existing_file(path: Path, store_file: Path | None) -> Iterator[IO[str]]:
    import shutil  # only an export over a file needs them

    _check_overwritable(path, os.stat(path))
    try:
        # Not written until checked again on the open file itself, and
        # non-blocking so that a FIFO swapped in meanwhile cannot hang it.
        descriptor = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as error:
        raise output_error(f"file {path}", error) from None
    with os.fdopen(descriptor, "w", encoding="utf-8") as target:
        _check_overwritable(path, os.fstat(descriptor))
        _refuse_store(path, store_file)
        try:
            os.set_blocking(descriptor, True)
            # The export is written aside first: one that is refused or fails
            # leaves the file as it was; only a finished one is copied in.
            with _scratch_beside(path) as scratch:
                yield scratch
                scratch.flush()
                scratch.seek(0)
                os.ftruncate(descriptor, 0)
                shutil.copyfileobj(scratch, target)
                target.flush()
        except OSError as error:
            raise output_error(f"file {path}", error) from None


def _scratch_beside(path: Path) -> IO[str]:
    """A file without a name (gone when closed, or if the process dies) on the
    file system of ``path``'s target where it can be made, else in the temporary folder."""
    import tempfile

    try:
        return tempfile.TemporaryFile("w+", encoding="utf-8", dir=os.path.dirname(os.path.realpath(path)))
    except OSError:
        return tempfile.TemporaryFile("w+", encoding="utf-8")


def _check_overwritable(path: Path, status: os.stat_result) -> None:
    if not stat.S_ISREG(status.st_mode):
        raise UsageError(f"file: {path} is not a regular file; export to a file")
    if not status.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise UsageError(f"file: {path} is read-only; make it writable or export to another file")
