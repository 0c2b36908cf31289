"""The whole log as JSON Lines, and back into an empty store.

An export is a header line, one line per event (its position, record id,
version, topic, its fields with their provenance, its hash in its record's
chain and the global chain's hash at its position), and a closing line with
the count and the head. Every line can be checked against the lines before
it, so a restore names the first line that was edited, removed, inserted,
reordered or cut off, and writes nothing; a clean one writes the events at
their original positions, with their original bytes, in one transaction: the
restored store has the same states, read models and chain head.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ...domain.errors import CityCoopError, InvalidInputError
from ...domain.values import invalid_value
from ..storage import chain as chains
from ..storage.chain import GENESIS, Chain
from ..storage.codec import canonical_json, decode_state
from ..storage.key_check import CHECKED_TEXT, note_key_check
from ..storage.sql import RawEvent
from .global_chain import Head, TamperedLogError, link
from .record_chains import RecordChains
from .storage import GENESIS_BYTES, PAGE_SIZE, ChainRow, Storage

FORMAT = "citycoop-export"
FORMAT_VERSION = 1
M = TypeVar("M", bound=BaseModel)


class TextOut(Protocol):
    """Where an export is written: a text file, standard output, or a wrapper of either."""

    def write(self, text: str, /) -> int: ...


class ExportFileError(InvalidInputError):
    """Raised when an export cannot be restored: a line is not what the lines before it promise."""


class StoreNotEmptyError(CityCoopError):
    """Raised when an export would be restored into a store that already holds events."""


@dataclass(frozen=True)
class Restored:
    events: int
    head: Head


def export(storage: Storage, chain: Chain, out: TextOut) -> Head:
    """Write the log as it stands now; refuses (mid-way) at an event that
    does not match its chain, since its export could not be restored."""
    with storage.reading() as c:
        stop = storage.head(c)
    _write(out, {"format": FORMAT, "version": FORMAT_VERSION, "keyed": chain.keyed, "exported_at": _now()})
    records = RecordChains(chain, storage.to_identity)
    global_hash, position, count = GENESIS_BYTES, 0, 0
    for page in storage.row_pages(stop=stop):
        for row in page:
            event_hash, finding = records.check(row)
            if finding is not None:
                raise TamperedLogError(f"export: the log was altered at {finding}; run 'citycoop audit verify'")
            raw = storage.event(row)
            event = decode_state(raw.state)
            if canonical_json(event) != chains.unsealed(raw.state):
                raise TamperedLogError(f"export: the event at position {raw.position} is not stored as canonical JSON")
            global_hash = link(chain, global_hash, raw.position, event_hash)
            position, count = raw.position, count + 1
            _write(
                out,
                {
                    "position": raw.position,
                    "originator_id": str(UUID(bytes=raw.identity)),
                    "version": raw.version,
                    "topic": raw.topic,
                    "event": event,
                    "hash": event_hash.hex(),
                    "chain": global_hash.hex(),
                },
            )
    _write(out, {"end": {"events": count, "position": position, "chain": global_hash.hex()}})
    return Head(position, global_hash.hex())


class _Header(BaseModel):
    model_config = ConfigDict(extra="forbid")

    format: str
    version: int
    keyed: bool
    exported_at: str


class _Line(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    position: int = Field(ge=1)
    originator_id: UUID = Field(strict=False)
    version: int = Field(ge=1)
    topic: str
    event: dict[str, Any]
    hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    chain: str = Field(pattern=r"^[0-9a-f]{64}$")


class _End(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    events: int
    position: int
    chain: str


def restore(storage: Storage, chain: Chain, mapper: Any, lines: Iterable[str]) -> Restored:
    """Check every line and write the events, all in one transaction: all of
    them, or, at the first line that is wrong, none."""
    with storage.writing() as c:
        if count := storage.count(c):
            raise StoreNotEmptyError(f"store: it holds {count} events already; restore needs an empty store")
        reader = _Reader(chain, mapper)
        pending: list[tuple[RawEvent, ChainRow]] = []
        for number, text in enumerate(lines, start=1):
            if (event := reader.read(number, text)) is not None:
                pending.append(event)
            if len(pending) == PAGE_SIZE:
                _insert(storage, c, pending)
        _insert(storage, c, pending)
        reader.finish()
        head = reader.head
        storage.set_chain_tracking(c, head.position, bytes.fromhex(head.hash))
        if reader.count:
            note_key_check(storage.sql, c, chain.digest(CHECKED_TEXT), 0)
    return Restored(reader.count, head)


def _insert(storage: Storage, c: Any, pending: list[tuple[RawEvent, ChainRow]]) -> None:
    if pending:
        storage.insert_events(c, [raw for raw, _ in pending])
        storage.append_chain(c, [row for _, row in pending])
        pending.clear()


class _Reader:
    """Reads an export line by line, checking each against those before it."""

    def __init__(self, chain: Chain, mapper: Any) -> None:
        self._chain = chain
        self._mapper = mapper
        self._heads: dict[UUID, str] = {}
        self._versions: dict[UUID, int] = {}
        self._global = GENESIS_BYTES
        self._line = 0
        self._ended = False
        self.count = 0
        self.head = Head(0, GENESIS)

    def read(self, number: int, text: str) -> tuple[RawEvent, ChainRow] | None:
        """The event on line ``number``, or None for the header and the closing line."""
        self._line = number
        if self._ended:
            if text.strip():
                raise self._error("there is more after the closing line")
            return None
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise self._error(f"not valid JSON ({error.msg}): the export was cut off or edited") from None
        if number == 1:
            self._header(document)
            return None
        if isinstance(document, dict) and "end" in document:
            self._end(document)
            return None
        return self._event(document)

    def finish(self) -> None:
        if self._line == 0:
            raise ExportFileError("line 1: the export is empty")
        if not self._ended:
            raise ExportFileError(f"line {self._line + 1}: the export ends without its closing line: it was cut off")

    def _header(self, document: Any) -> None:
        header = self._parse(_Header, document)
        if header.format != FORMAT or header.version != FORMAT_VERSION:
            raise self._error(f"not a {FORMAT} version {FORMAT_VERSION} file")
        if header.keyed != self._chain.keyed:
            having = "with an audit key" if header.keyed else "without an audit key"
            raise self._error(f"the export was sealed {having}; set CITYCOOP_AUDIT_KEY as it was when it was made")

    def _event(self, document: Any) -> tuple[RawEvent, ChainRow]:
        line = self._parse(_Line, document)
        record_id = line.originator_id
        if line.position <= self.head.position:
            raise self._error(
                f"position {line.position} does not follow position {self.head.position}: lines were reordered"
            )
        last_version = self._versions.get(record_id, 0)
        if line.version != last_version + 1:
            raise self._error(
                f"record {record_id} version {line.version} does not follow version {last_version}:"
                " a line was removed, repeated or reordered"
            )
        stored = StoredEvent(record_id, line.version, line.topic, canonical_json(line.event))
        (sealed,) = self._chain.seal([stored], self._heads)
        event_hash = chains.hash_of(sealed.state)
        if event_hash != line.hash:
            raise self._error("the event does not match its hash: it was edited, or exported under another audit key")
        self._global = link(self._chain, self._global, line.position, bytes.fromhex(event_hash))
        if self._global.hex() != line.chain:
            raise self._error("the log's chain breaks here: a line before it was removed, or lines were reordered")
        try:
            self._mapper.to_domain_event(sealed)
        except (ValidationError, ValueError, TypeError, AttributeError, ImportError) as error:
            raise self._error(f"not a valid {line.topic} event: {str(error).splitlines()[0]}") from None
        self._versions[record_id] = line.version
        self.count += 1
        self.head = Head(line.position, line.chain)
        raw = RawEvent(line.position, record_id.bytes, line.version, line.topic, sealed.state)
        return raw, ChainRow(line.position, bytes.fromhex(event_hash), self._global)

    def _end(self, document: Any) -> None:
        end = self._parse(_End, document["end"])
        if (end.events, end.position, end.chain) != (self.count, self.head.position, self.head.hash):
            raise self._error(
                f"the closing line promises {end.events} events up to position {end.position},"
                f" but {self.count} events up to position {self.head.position} came before it"
            )
        self._ended = True

    def _parse(self, model: type[M], document: Any) -> M:
        try:
            return model.model_validate(document)
        except ValidationError as error:
            raise self._error(str(invalid_value(error))) from None

    def _error(self, problem: str) -> ExportFileError:
        return ExportFileError(f"line {self._line}: {problem}")


def _write(out: TextOut, document: dict[str, Any]) -> None:
    out.write(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n")


def _now() -> str:
    return datetime.now(tz=UTC).isoformat()
