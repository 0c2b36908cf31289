"""Tamper evidence, end to end: a byte changed anywhere in a stored event,
even in the framing of its own seal, is found by ``citycoop audit verify``."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from citycoop.adapters.application.importing import record_demo
from citycoop.adapters.application.service import CityCoop
from reliability.processes import citycoop

CONFERENCE_HELD = 3
"""The log position of the 2023 conference in the founding story."""


@pytest.fixture
def demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "citycoop.db"
    app = CityCoop(str(path))
    record_demo(app, actor="clerk")
    app.close()
    return path


def change_one_byte(store: Path, position: int, offset: int) -> None:
    with closing(sqlite3.connect(store)) as connection:
        (state,) = connection.execute("SELECT state FROM stored_events WHERE rowid = ?", (position,)).fetchone()
        changed = bytearray(state)
        changed[offset] = ord("#") if changed[offset] != ord("#") else ord("%")
        connection.execute("UPDATE stored_events SET state = ? WHERE rowid = ?", (bytes(changed), position))
        connection.commit()


@pytest.mark.parametrize(
    ("offset", "where"),
    [(20, "a fact"), (-40, "the hash"), (-2, "the seal's closing quote"), (-1, "the seal's closing brace")],
)
def test_a_byte_changed_anywhere_in_a_stored_event_is_found_by_the_audit(
    demo_file: Path, home: Path, offset: int, where: str
) -> None:
    intact = citycoop("--store", str(demo_file), "audit", "verify", home=home)
    assert intact.returncode == 0, intact.stdout + intact.stderr

    change_one_byte(demo_file, CONFERENCE_HELD, offset)
    result = citycoop("--store", str(demo_file), "audit", "verify", home=home)

    assert result.returncode == 1, f"a changed byte in {where} went unnoticed: {result.stdout}"
    assert f"the first at position {CONFERENCE_HELD}" in result.stdout
