"""Patches that turn a JSON document back into the version before it.

A read model's past versions are kept as the difference from the version
that followed them: most events change one field of a document, or one item
of one of its lists, so the difference is a few dozen characters however long
the document has grown. A patch is a JSON value of one of these shapes:

- ``{"=": value}``: the older value is ``value``;
- ``{"{": {name: patch}, "-": [name, …]}``: a mapping whose fields ``name``
  are patched (a field the older one lacked is listed under ``"-"``, one the
  newer lacks is patched with ``{"=": value}``);
- ``{"[": [kept_before, kept_after, items]}``: a list whose first
  ``kept_before`` and last ``kept_after`` items stayed, around ``items``;
- ``{"#": [index, patch]}``: a list of the same length with one item patched.

The versions are cut as events change a document in place, so the version
before is kept as a copy of its own: ``advance`` compares that copy with the
document, returns the patch, and brings the copy up to date by copying only
what changed. Neither version is written out or read back whole.
"""

from __future__ import annotations

from typing import Any

import orjson


def advance(older: Any, newer: Any) -> tuple[Any, Any]:
    """The patch that turns ``newer`` back into ``older`` (None if they are
    equal), and ``older`` made equal to ``newer``, sharing nothing with it:
    changed in place where it can be, with the parts that differ copied."""
    if older == newer:
        return None, older
    return _advanced(older, newer)


def _advanced(older: Any, newer: Any) -> tuple[Any, Any]:
    """``advance`` for values known to differ."""
    if isinstance(older, dict) and isinstance(newer, dict):
        changed = {}
        # Most fields are equal: compared in one pass, only those that differ are patched.
        for name in [name for name, value in older.items() if value != newer.get(name, _MISSING)]:
            if name in newer:
                changed[name], older[name] = _advanced(older[name], newer[name])
            else:
                changed[name] = {"=": older.pop(name)}
        added = [name for name in newer if name not in older]
        for name in added:
            older[name] = _copy(newer[name])
        return {"{": changed, **({"-": added} if added else {})}, older
    if isinstance(older, list) and isinstance(newer, list):
        return _list_advanced(older, newer)
    return {"=": older}, _copy(newer)


_MISSING = object()


def _list_advanced(older: list[Any], newer: list[Any]) -> tuple[Any, list[Any]]:
    before = 0
    shortest = min(len(older), len(newer))
    while before < shortest and older[before] == newer[before]:
        before += 1
    after = 0
    while after < shortest - before and older[-1 - after] == newer[-1 - after]:
        after += 1
    if len(older) == len(newer) and before + after == len(older) - 1:
        item, older[before] = _advanced(older[before], newer[before])
        return {"#": [before, item]}, older
    end = len(older) - after
    patch = {"[": [before, after, older[before:end]]}
    older[before:end] = _copy(newer[before : len(newer) - after])
    return patch, older


def dump(document: Any) -> str:
    """One spelling per document (keys sorted, no spaces, UTF-8 as it is), so
    rebuilt tables compare equal byte for byte."""
    return orjson.dumps(document, option=orjson.OPT_SORT_KEYS).decode()


def _copy(value: Any) -> Any:
    if isinstance(value, dict | list):
        return orjson.loads(orjson.dumps(value))
    return value


def patched(newer: Any, patch: Any) -> Any:
    """``newer`` turned into the version before it by ``patch`` (changed in place where it can be)."""
    if "=" in patch:
        return patch["="]
    if "{" in patch:
        for name in patch.get("-", ()):
            del newer[name]
        for name, field in patch["{"].items():
            newer[name] = patched(newer.get(name), field)
        return newer
    if "#" in patch:
        index, item = patch["#"]
        newer[index] = patched(newer[index], item)
        return newer
    before, after, items = patch["["]
    return [*newer[:before], *items, *newer[len(newer) - after :]]
