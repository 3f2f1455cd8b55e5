"""The native gift CSV: `received_at,sender,gift,coins_each,count,stream`, parsed strictly, every error kept."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from companion.domain.catalog import clean_gift_name, gift_key
from companion.domain.economics import MAX_COINS, MAX_COUNT
from companion.domain.errors import ImportRejected, RowError, ValidationError
from companion.domain.text import MAX_SENDER, MAX_TITLE, clean_text
from companion.domain.timeutil import parse_instant

COLUMNS = ("received_at", "sender", "gift", "coins_each", "count", "stream")
#: Errors listed before the rest are summarised: enough to fix a file, bounded for a huge broken one.
MAX_ERRORS = 200


@dataclass(frozen=True)
class CsvGiftRow:
    line: int
    received_at: datetime
    sender: str
    gift: str
    coins_each: int | None  # None: take the catalog's price at `received_at`
    count: int
    stream: str
    key: str  # identity of this row among all imports: the same row imported twice is stored once


_WHOLE = re.compile(r"[+-]?[0-9]{1,18}")  # ASCII digits only; 18 digits keeps SQLite's 64-bit integers safe


def _whole_number(text: str, field: str, minimum: int, maximum: int) -> int:
    raw = text.strip()
    if not _WHOLE.fullmatch(raw):
        raise ValidationError(f"'{raw[:40]}' is not a whole number", field=field)
    value = int(raw)
    if value < minimum:
        raise ValidationError(f"must be at least {minimum} (got {value})", field=field)
    if value > maximum:
        raise ValidationError(f"must be at most {maximum:,} (got {value:,})", field=field)
    return value


_Fields = tuple[datetime, str, str, int | None, int, str]


def _parse_fields(line: int, cell: dict[str, str]) -> tuple[_Fields, list[RowError]]:
    """Parse one record's cells, collecting an error per bad field (so one pass shows them all)."""
    errors: list[RowError] = []

    def attempt(name: str, parse: Callable[[str], Any]) -> Any:
        try:
            return parse(cell[name])
        except ValidationError as exc:
            errors.append(RowError(line, exc.field or name, str(exc)))
            return None

    fields = (
        attempt("received_at", lambda v: parse_instant(v, "received_at")),
        attempt("sender", lambda v: clean_text(v, "sender", MAX_SENDER)),
        attempt("gift", lambda v: clean_gift_name(v)),
        attempt("coins_each", lambda v: _whole_number(v, "coins_each", 0, MAX_COINS) if v.strip() else None),
        attempt("count", lambda v: _whole_number(v, "count", 1, MAX_COUNT)),
        attempt("stream", lambda v: clean_text(v, "stream", MAX_TITLE)),
    )
    return fields, errors


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; anything else is refused rather than guessed."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportRejected([RowError(line, "file", "is not UTF-8 text; save it as CSV UTF-8")]) from None


def read_native_csv(path: Path) -> list[CsvGiftRow]:
    rows, errors = read_native_csv_collecting(path)
    if errors:
        raise ImportRejected(errors, str(path))
    return rows


def read_native_csv_collecting(path: Path) -> tuple[list[CsvGiftRow], list[RowError]]:
    """The good rows and the per-row errors, so a caller can add its own checks and report all at once.
    A file that cannot be read or has a wrong header is refused outright."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportRejected([RowError(0, "file", f"cannot be read: {exc.strerror or exc}")], str(path)) from None
    try:
        return parse_native_csv_collecting(io.StringIO(decode(data), newline=""))
    except ImportRejected as exc:
        raise ImportRejected(exc.errors, str(path)) from None


def parse_native_csv(lines: Iterable[str]) -> list[CsvGiftRow]:
    """All rows, or ImportRejected listing each bad line with its field. Blank lines are skipped."""
    rows, errors = parse_native_csv_collecting(lines)
    if errors:
        raise ImportRejected(errors)
    return rows


def parse_native_csv_collecting(lines: Iterable[str]) -> tuple[list[CsvGiftRow], list[RowError]]:
    """Good rows and per-row errors; a broken header is refused outright (ImportRejected)."""
    reader = csv.reader(lines, strict=True)
    errors: list[RowError] = []
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise ImportRejected([RowError(1, "header", f"is not valid CSV ({exc})")]) from None
    if header is None:
        raise ImportRejected([RowError(1, "header", "the file is empty")])
    names = [h.strip().lower() for h in header]
    missing = [c for c in COLUMNS if c not in names]
    unknown = [h for h in names if h not in COLUMNS]
    if missing or unknown or len(set(names)) != len(names):
        detail = "; ".join(
            part
            for part in (
                f"missing {', '.join(missing)}" if missing else "",
                f"unexpected {', '.join(unknown)}" if unknown else "",
                "a column appears twice" if len(set(names)) != len(names) else "",
            )
            if part
        )
        raise ImportRejected([RowError(1, "header", f"{detail} (expected: {','.join(COLUMNS)})")])
    index = {name: names.index(name) for name in COLUMNS}

    rows: list[CsvGiftRow] = []
    seen: Counter[str] = Counter()
    while True:
        line = reader.line_num + 1  # where this record starts (a quoted cell may span lines)
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(RowError(line, "row", f"is not valid CSV ({exc}); check the quotes from this line on"))
            break
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(names):
            errors.append(RowError(line, "row", f"has {len(record)} fields, expected {len(names)}"))
            continue
        cell = {name: record[i] for name, i in index.items()}
        parsed, row_errors = _parse_fields(line, cell)
        if row_errors:
            errors.extend(row_errors)
            if len(errors) >= MAX_ERRORS:
                break
            continue
        received_at, sender, gift, coins, count, stream = parsed
        # Who sent what, how many, when: not the price or stream cells, which an export fills in, so
        # re-importing our own export of these gifts adds nothing.
        identity = "\x1f".join((received_at.isoformat(), sender, gift_key(gift), str(count)))
        digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:24]
        seen[digest] += 1
        rows.append(CsvGiftRow(line, received_at, sender, gift, coins, count, stream, f"csv:{digest}:{seen[digest]}"))
    return rows, errors
