"""The hash chain: each event sealed with a hash that covers the one before it."""

from __future__ import annotations

import hashlib
import hmac
import json
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import StoredEvent

from citycoop.adapters.storage.chain import GENESIS, Chain, UnsealedEventError, hash_of, is_sealed, unsealed

WUXI_SINGAPORE = UUID("712a8a14-4928-5786-9e6c-a9b3845f5511")


def stored(version: int, state: dict[str, object], originator_id: UUID = WUXI_SINGAPORE) -> StoredEvent:
    body = json.dumps(state, sort_keys=True, separators=(",", ":")).encode()
    return StoredEvent(originator_id, version, "citycoop.domain.partnership:Partnership.FieldAdded", body)


def test_a_sealed_state_is_still_json_and_ends_with_its_hash() -> None:
    event = stored(1, {"field": "tourism"})
    (sealed,) = Chain().seal([event], {})
    assert json.loads(sealed.state) == {"field": "tourism", "~chain": hash_of(sealed.state)}
    assert is_sealed(sealed.state)
    assert unsealed(sealed.state) == event.state


def test_each_hash_links_to_the_previous_event_of_the_same_record() -> None:
    chain = Chain()
    first, second = stored(1, {"field": "tourism"}), stored(2, {"field": "sport"})
    sealed = chain.seal([first, second], {})
    assert hash_of(sealed[0].state) == chain.link(GENESIS, first, first.state)
    assert hash_of(sealed[1].state) == chain.link(hash_of(sealed[0].state), second, second.state)


def test_the_chain_continues_from_the_head_it_is_given_and_moves_the_head() -> None:
    chain = Chain()
    heads = {WUXI_SINGAPORE: "ab" * 32}
    (sealed,) = chain.seal([stored(5, {"field": "sport"})], heads)
    assert hash_of(sealed.state) == chain.link("ab" * 32, stored(5, {"field": "sport"}), b'{"field":"sport"}')
    assert heads[WUXI_SINGAPORE] == hash_of(sealed.state)


def test_records_have_chains_of_their_own() -> None:
    other = uuid4()
    heads: dict[UUID, str] = {}
    sealed = Chain().seal([stored(1, {"field": "sport"}), stored(1, {"field": "sport"}, other)], heads)
    assert set(heads) == {WUXI_SINGAPORE, other}
    assert hash_of(sealed[0].state) != hash_of(sealed[1].state)


@pytest.mark.parametrize(
    "altered",
    [
        stored(1, {"field": "trade"}),
        stored(2, {"field": "tourism"}),
        stored(1, {"field": "tourism"}, uuid4()),
        StoredEvent(WUXI_SINGAPORE, 1, "citycoop.domain.partnership:Partnership.StageChanged", b'{"field":"tourism"}'),
    ],
    ids=["state", "version", "record", "topic"],
)
def test_any_change_to_an_event_changes_its_hash(altered: StoredEvent) -> None:
    chain = Chain()
    original = stored(1, {"field": "tourism"})
    assert chain.link(GENESIS, altered, altered.state) != chain.link(GENESIS, original, original.state)


def test_with_an_audit_key_the_hash_is_a_keyed_mac() -> None:
    event = stored(1, {"field": "tourism"})
    plain, keyed = Chain().link(GENESIS, event, event.state), Chain(b"wuxi-audit").link(GENESIS, event, event.state)
    assert keyed != plain
    assert keyed != Chain(b"another key").link(GENESIS, event, event.state)
    message = bytes.fromhex(GENESIS) + WUXI_SINGAPORE.bytes + (1).to_bytes(8, "big") + event.topic.encode() + b"\0"
    assert plain == hashlib.sha256(message + event.state).hexdigest()
    assert keyed == hmac.new(b"wuxi-audit", message + event.state, hashlib.sha256).hexdigest()


def test_an_unsealed_state_has_no_hash_and_is_returned_as_it_is() -> None:
    state = b'{"field":"tourism"}'
    assert not is_sealed(state)
    assert unsealed(state) == state
    with pytest.raises(UnsealedEventError):
        hash_of(state)


@pytest.mark.parametrize("key", [None, b"the registry's audit key"])
def test_a_batch_of_interleaved_records_is_sealed_event_by_event_as_link_says(key: bytes | None) -> None:
    chain, other = Chain(key), uuid4()
    batch = [
        stored(5, {"field": "sport"}),
        stored(1, {"field": "tourism"}, other),
        stored(6, {"field": "education"}),
        stored(2, {"field": "health"}, other),
        stored(7, {"field": "trade"}),
    ]
    heads = {WUXI_SINGAPORE: "cd" * 32}

    sealed = chain.seal(batch, heads)

    expected, previous = [], {WUXI_SINGAPORE: "cd" * 32}
    for event in batch:
        previous[event.originator_id] = chain.link(previous.get(event.originator_id, GENESIS), event, event.state)
        expected.append(previous[event.originator_id])
    assert [hash_of(event.state) for event in sealed] == expected
    assert heads == previous
