"""What a command said, in a few bytes, so that an idempotency key given
again can be told to be the same command (a retry, answered as the first
time) or another (refused: a key names one command).

The digest is of what the command means, not of how it was typed: a field
that only restates another (``Command.aliases``, e.g. ``--approximate`` for
the attendance qualifier about) is digested at its default, and text in
Unicode's composed form (NFC), so São Paulo typed with a combining tilde is
the same command as São Paulo typed with one ã. For a command with neither,
the digest is byte for byte the one earlier releases recorded.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable
from contextlib import suppress
from typing import Any
from uuid import UUID

import orjson

from ...domain.errors import InvalidValueError
from .commands import Command


def fingerprints(command: Command, resolve: Callable[[str, str], UUID]) -> tuple[str, ...]:
    """The command's fingerprint (``add-field:3f9c…``), then, if it differs,
    the one release 0.2 recorded for it as typed, which a retry of a command
    recorded then must still match.

    The records it names are digested as the ids they resolve to, so that a
    command naming a record by id and the same command in an import file
    naming it by a local name are one command.
    """
    typed = command.model_dump(mode="json")
    for name in command.references:
        with suppress(InvalidValueError):  # the command is refused for it when it is carried out
            typed[name] = str(resolve(typed[name], name))
    defaults = {name: type(command).model_fields[name].default for name in command.aliases}
    spelled = orjson.dumps(typed, option=orjson.OPT_SORT_KEYS)
    if _as_meant(typed, defaults) and unicodedata.is_normalized("NFC", spelled.decode()):
        return (_digest_of(typed["kind"], spelled),)  # what it says is what it means: one digest
    meant = _composed({**typed, **defaults})
    return tuple(dict.fromkeys((_digest(meant), _digest(typed))))


def _as_meant(typed: dict[str, Any], defaults: dict[str, Any]) -> bool:
    """Whether every field that only restates another is at its default."""
    return all(type(typed[name]) is type(default) and typed[name] == default for name, default in defaults.items())


def _composed(value: Any) -> Any:
    """``value`` with every text in it in Unicode's composed form (NFC)."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {key: _composed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_composed(item) for item in value]
    return value


def _digest(fields: dict[str, Any]) -> str:
    return _digest_of(fields["kind"], orjson.dumps(fields, option=orjson.OPT_SORT_KEYS))


def _digest_of(kind: str, spelled: bytes) -> str:
    """The fingerprint of a command of ``kind`` whose fields are spelled so in
    JSON. When that JSON is in composed form (NFC), so is every text in it:
    JSON adds only quotes, brackets and escapes of characters that compose
    with nothing, and an escape can only make it look not composed."""
    return f"{kind}:{hashlib.sha256(spelled).hexdigest()[:32]}"
