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
"""

from __future__ import annotations

from typing import Any


def difference(older: Any, newer: Any) -> Any:
    """The patch that turns ``newer`` into ``older``; None if they are equal."""
    if older == newer:
        return None
    return _changed(older, newer)


def _changed(older: Any, newer: Any) -> Any:
    """The patch between two values known to differ."""
    if isinstance(older, dict) and isinstance(newer, dict):
        # Most fields are equal: compared here, in one comprehension, the few that differ are patched.
        changed = {
            name: {"=": value} if (other := newer.get(name, _MISSING)) is _MISSING else _changed(value, other)
            for name, value in older.items()
            if value != newer.get(name, _MISSING)
        }
        removed = [name for name in newer if name not in older]
        return {"{": changed, **({"-": removed} if removed else {})}
    if isinstance(older, list) and isinstance(newer, list):
        return _list_difference(older, newer)
    return {"=": older}


_MISSING = object()


def _list_difference(older: list[Any], newer: list[Any]) -> Any:
    before = 0
    shortest = min(len(older), len(newer))
    while before < shortest and older[before] == newer[before]:
        before += 1
    after = 0
    while after < shortest - before and older[-1 - after] == newer[-1 - after]:
        after += 1
    if len(older) == len(newer) and before + after == len(older) - 1:
        return {"#": [before, _changed(older[before], newer[before])]}
    return {"[": [before, after, older[before : len(older) - after]]}


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
