"""Write gifts as the native CSV (`received_at,sender,gift,coins_each,count,stream`), UTF-8 with a BOM so
spreadsheet apps pick the right encoding, and safe to open in them (no cell can run as a formula)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import datetime, tzinfo
from typing import Any, Protocol, TextIO

from companion.domain.timeutil import to_local
from companion.integrations.native_csv import COLUMNS

#: A text cell starting with one of these could run as a formula in Excel, LibreOffice or Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Put in front of such a cell. A no-break space makes the cell text in spreadsheet apps (they do not trim it,
#: unlike a plain space), and the importer folds leading whitespace — U+00A0 included — away, so the
#: original text comes back exactly. (An apostrophe, the other common guard, would come back as part of the
#: name.) Names the app stores never begin with whitespace, so nothing real is ever stripped.
GUARD = "\u00a0"


def neutralise(text: str) -> str:
    """The cell text to write for `text`: guarded when a spreadsheet would read it as a formula."""
    return GUARD + text if text.startswith(FORMULA_STARTS) else text


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
