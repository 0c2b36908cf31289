"""The patches that keep a read model's older versions: each turns the version
after it back into it, whatever the two JSON documents are, and is short when
little changed however long the document has grown; the copy of the older
version it was made from becomes the newer, sharing nothing with it."""

from __future__ import annotations

import copy
from itertools import pairwise
from typing import Any

import orjson
from hypothesis import given
from hypothesis import strategies as st

from citycoop.adapters.projections.patches import advance, patched

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.sampled_from(["", "a", "b", "Wuxi"]),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.sampled_from("abcde"), children, max_size=5),
    max_leaves=20,
)


def difference(older: Any, newer: Any) -> Any:
    """The patch from ``newer`` back to ``older``, made from a copy of ``older``."""
    patch, _ = advance(copy.deepcopy(older), newer)
    return patch


def back(newer: Any, patch: Any) -> Any:
    """``newer`` patched as a reader does: from stored text, changed in place."""
    return patched(orjson.loads(orjson.dumps(newer)), orjson.loads(orjson.dumps(patch)))


@given(JSON, JSON)
def test_a_patch_turns_any_newer_document_back_into_the_older(older: Any, newer: Any) -> None:
    kept = copy.deepcopy(newer)
    patch, advanced = advance(copy.deepcopy(older), newer)

    assert newer == kept, "making the patch leaves the newer version as it is"
    assert advanced == newer, "the copy of the older version became the newer"
    if older == newer:
        assert patch is None
    else:
        assert back(newer, patch) == older


@given(JSON, JSON)
def test_the_copy_brought_up_to_date_shares_nothing_with_the_document(older: Any, newer: Any) -> None:
    kept = copy.deepcopy(newer)
    _, advanced = advance(older, newer)

    scrambled(newer)

    assert advanced == kept, "changing the document in place later leaves the copy as it was"


def scrambled(value: Any) -> Any:
    """``value`` with every list and mapping in it changed in place."""
    if isinstance(value, dict):
        for name in list(value):
            value[name] = scrambled(value[name])
        value["changed"] = True
    elif isinstance(value, list):
        value[:] = [scrambled(item) for item in value]
        value.append("changed")
    return value


@given(st.lists(JSON, max_size=6), st.lists(JSON, max_size=6))
def test_patches_chain_from_the_newest_version_down_to_the_oldest(first: list[Any], second: list[Any]) -> None:
    versions: list[Any] = [{"items": first}, {"items": first + second}, {"items": second, "more": first}]
    patches = [difference(older, newer) for older, newer in pairwise(versions)]

    document = versions[-1]
    for patch, older in reversed(list(zip(patches, versions, strict=False))):
        document = document if patch is None else back(document, patch)
        assert document == older


def test_the_patch_of_one_item_changed_in_a_long_list_names_that_item_alone() -> None:
    partners = [{"partnership_id": str(number), "projects_shared": number} for number in range(500)]
    older = {"key": "wuxi", "partners": partners}
    newer = copy.deepcopy(older)
    newer["partners"][250]["projects_shared"] += 3
    added = copy.deepcopy(newer)
    added["partners"].insert(100, {"partnership_id": "new", "projects_shared": 0})

    changed, inserted = difference(older, newer), difference(newer, added)

    assert changed == {"{": {"partners": {"#": [250, {"{": {"projects_shared": {"=": 250}}}]}}}
    assert inserted == {"{": {"partners": {"[": [100, 400, []]}}}
    assert back(added, inserted) == newer
    assert back(newer, changed) == older
