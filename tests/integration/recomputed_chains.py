"""The hash chains of the events table recomputed from its raw rows, for the
tests that hold the stored hashes to them."""

from __future__ import annotations

from uuid import UUID

from citycoop.adapters.storage.chain import GENESIS, Chain, hash_of, unsealed


class Row:
    def __init__(self, row: tuple[object, ...]) -> None:
        _, originator_id, version, topic, state = row
        self.originator_id = UUID(str(originator_id))
        self.originator_version = int(version)
        self.topic = str(topic)
        self.state = bytes(state)


def recomputed(rows: list[tuple[object, ...]], key: bytes | None) -> list[tuple[str, str]]:
    """(stored hash, hash recomputed from the previous event of the same record), per row."""
    chain, heads, pairs = Chain(key), dict[UUID, str](), []
    for row in map(Row, rows):
        expected = chain.link(heads.get(row.originator_id, GENESIS), row, unsealed(row.state))
        heads[row.originator_id] = hash_of(row.state)
        pairs.append((hash_of(row.state), expected))
    return pairs
