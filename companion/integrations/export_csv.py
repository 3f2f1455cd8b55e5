"""Write gifts as the native CSV (`received_at,sender,gift,coins_each,count,stream`), UTF-8 with a BOM so
spreadsheet apps pick the right encoding, and safe to open in them (no cell can run as a formula)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import datetime, tzinfo
from typing import Any, Protocol, TextIO

from companion.domain.timeutil import to_local
from companion.integrations.formula_guard import GUARD, NEEDS_GUARD
from companion.integrations.native_csv import COLUMNS


def neutralise(text: str) -> str:
    """The cell text to write for `text`: a guard (a no-break space) before every place a spreadsheet could
    start a formula — the start of the cell, and after any separator (`,` `;` tab `|`) or line break, since
    spreadsheets in many locales split on `;` — so `x;=1+1` cannot become a live `=1+1` cell. The importer takes
    each guard out again (native_csv.unguard), so our own exports round-trip exactly. (An apostrophe, the other
    common guard, would come back as part of the name.)"""
    return NEEDS_GUARD.sub(lambda found: found.group(1) + GUARD, text)


def instant_text(gift: ExportGift, tz: tzinfo | None) -> str:
    local = to_local(gift.received_at, tz)
    return local.isoformat(timespec="milliseconds" if local.microsecond else "seconds")


def write_header(out: TextIO) -> Any:
    """Start the file (BOM and header) and return the writer for `write_rows`."""
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    return writer


def write_rows(writer: Any, gifts: Iterable[ExportGift], tz: tzinfo | None) -> int:
    written = 0
    for gift in gifts:
        writer.writerow(
            (
                instant_text(gift, tz),
                neutralise(gift.sender),
                neutralise(gift.gift_name),
                gift.coins_each,
                gift.count,
                neutralise(gift.stream_title),
            )
        )
        written += 1
    return written


class ExportGift(Protocol):
    """A stored gift as the export needs it (the store's export rows have this shape; integrations never import
    the store)."""

    @property
    def received_at(self) -> datetime: ...
    @property
    def sender(self) -> str: ...
    @property
    def gift_name(self) -> str: ...
    @property
    def coins_each(self) -> int: ...
    @property
    def count(self) -> int: ...
    @property
    def stream_title(self) -> str: ...
