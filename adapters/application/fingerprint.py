"""What a command said, in a few bytes, so that an idempotency key given
again can be told to be the same command (a retry, answered as the first
time) or another (refused: a key names one command)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextlib import suppress
from uuid import UUID

import orjson

from ...domain.errors import InvalidValueError
from .commands import Command


def fingerprint(command: Command, resolve: Callable[[str, str], UUID]) -> str:
    """The command's kind and a digest of its fields (``add-field:3f9c…``).

    The records it names are digested as the ids they resolve to, so that a
    command naming a record by id and the same command in an import file
    naming it by a local name are one command.
    """
    fields = command.model_dump(mode="json")
    for name in command.references:
        with suppress(InvalidValueError):  # the command is refused for it when it is carried out
            fields[name] = str(resolve(fields[name], name))
    digest = hashlib.sha256(orjson.dumps(fields, option=orjson.OPT_SORT_KEYS)).hexdigest()
    return f"{fields['kind']}:{digest[:32]}"
