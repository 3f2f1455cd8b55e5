"""What every hostile import must show: refused with problems and the database unchanged, or stored exactly."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from companion.domain.errors import ImportRejected
from companion.services import Services
from companion.services.gifts import ImportResult


class Snapshot(NamedTuple):
    gifts: int
    items: int
    diamonds: int
    streams: int


def snapshot(services: Services) -> Snapshot:
    con = sqlite3.connect(services.db.path)
    try:
        gifts, items, diamonds = con.execute(
            "SELECT count(*), coalesce(sum(count), 0), coalesce(sum(diamonds), 0) FROM gift_event"
        ).fetchone()
        streams = con.execute("SELECT count(*) FROM stream").fetchone()[0]
        return Snapshot(int(gifts), int(items), int(diamonds), int(streams))
    finally:
        con.close()


def check_all_or_nothing(services: Services, path: Path, text: str, load: Callable[[Path], ImportResult]) -> None:
    """Write `text` to `path` and import it with `load`: a refusal names a problem and changes nothing; an
    accepted file adds exactly the gifts and streams it reports."""
    path.write_text(text, encoding="utf-8", newline="")
    before = snapshot(services)
    try:
        result = load(path)
    except ImportRejected as exc:
        assert exc.errors, "a refusal names at least one problem"
        assert snapshot(services) == before, "a refused import changed the database"
        return
    after = snapshot(services)
    assert after.gifts - before.gifts == result.added
    assert after.streams - before.streams == result.streams_created
