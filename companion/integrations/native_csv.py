"""The native gift CSV: `received_at,sender,gift,coins_each,count,stream`, parsed strictly, every error kept."""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from companion.domain.catalog import clean_gift_name, gift_key
from companion.domain.economics import MAX_COINS, MAX_COUNT
from companion.domain.errors import ImportRejected, RowError, ValidationError
from companion.domain.text import CONTROLS, MAX_GIFT_NAME, MAX_SENDER, MAX_TITLE, clean_text, printable
from companion.domain.time_styles import TimeReading
from companion.domain.timeutil import accepted_range
from companion.integrations.csv_columns import COLUMNS as COLUMNS  # (its home until issue 15)
from companion.integrations.csv_columns import REQUIRED
from companion.integrations.csv_columns import guess_mapping as guess_mapping  # (its home until issue 15)
from companion.integrations.formula_guard import unguard

#: Errors listed before the rest are summarised: enough to fix a file, bounded for a huge broken one.
MAX_ERRORS = 200


class CsvGiftRow(NamedTuple):  # a tuple: a million of them build several times faster than dataclasses
    line: int
    received_at: datetime
    sender: str
    gift: str
    coins_each: int | None  # None: take the catalog's price at `received_at`
    count: int  # type: ignore[assignment]  # (shadows tuple.count, which nothing here uses)
    stream: str
    key: str  # identity of this row among all imports: the same row imported twice is stored once


_WHOLE = re.compile(r"[+-]?[0-9]{1,18}")  # ASCII digits only; 18 digits keeps SQLite's 64-bit integers safe


def _whole_number(text: str, field: str, minimum: int, maximum: int) -> int:
    raw = text.strip()
    if not _WHOLE.fullmatch(raw):
        raise ValidationError(f"'{printable(raw)}' is not a whole number", field=field)
    value = int(raw)
    if value < minimum:
        raise ValidationError(f"must be at least {minimum} (got {value})", field=field)
    if value > maximum:
        raise ValidationError(f"must be at most {maximum:,} (got {value:,})", field=field)
    return value


_Fields = tuple[datetime, str, str, int | None, int, str]
_UNSEEN = "\x00"  # a value `folded` never holds (a text with NUL folds to None)


def _parse_fields(
    line: int, cell: dict[str, str], bounds: tuple[datetime, datetime], times: TimeReading
) -> tuple[_Fields, list[RowError]]:
    """Parse one record's cells, collecting an error per bad field (so one pass shows them all)."""
    errors: list[RowError] = []

    def attempt(name: str, parse: Callable[[str], Any]) -> Any:
        try:
            return parse(cell[name])
        except ValidationError as exc:
            errors.append(RowError(line, exc.field or name, str(exc)))
            return None

    fields = (
        attempt("received_at", lambda v: times.parse(v, "received_at", bounds)),
        attempt("sender", lambda v: clean_text(unguard(v), "sender", MAX_SENDER)),
        attempt("gift", lambda v: clean_gift_name(unguard(v))),
        attempt("coins_each", lambda v: _whole_number(v, "coins_each", 0, MAX_COINS) if v.strip() else None),
        attempt("count", lambda v: _whole_number(v, "count", 1, MAX_COUNT)),
        attempt("stream", lambda v: clean_text(unguard(v), "stream", MAX_TITLE)),
    )
    return fields, errors


def _fast_fields(
    at: str,
    sender: str,
    gift: str,
    coins: str,
    count: str,
    stream: str,
    folded: dict[str, str | None],
    bounds: tuple[datetime, datetime],
    times: TimeReading,
) -> _Fields | None:
    """The fields of a plainly well-formed row, or None to let `_parse_fields` judge it. Accepts only what
    `_parse_fields` accepts, with the same result; it exists because a million rows go through it.
    `folded` remembers texts already whitespace-folded (a file repeats its senders, gifts and titles); None for
    a text with control characters, which `_parse_fields` cleans."""
    moment = times.fast(at)
    if moment is None or not bounds[0] <= moment <= bounds[1]:
        return None
    texts = []
    for raw in (sender, gift, stream):
        text = folded.get(raw, _UNSEEN)
        if text is _UNSEEN:
            text = folded[raw] = None if CONTROLS.search(raw) else " ".join(unguard(raw).split())
        if text is None:
            return None
        texts.append(text)
    sender, gift, stream = texts
    if not gift or len(gift) > MAX_GIFT_NAME or len(sender) > MAX_SENDER or len(stream) > MAX_TITLE:
        return None
    if not (count.isascii() and count.isdigit() and len(count) <= 7) or not 1 <= int(count) <= MAX_COUNT:
        return None
    if coins and not (coins.isascii() and coins.isdigit() and len(coins) <= 8 and int(coins) <= MAX_COINS):
        return None
    return moment, sender, gift, int(coins) if coins else None, int(count), stream


class ErrorLog:
    """Row errors of one import: the first MAX_ERRORS kept (the last place taken by a summary of the rest when
    there are more), every one counted, so checking can go on to the end of a huge file in bounded memory."""

    def __init__(self, limit: int = MAX_ERRORS) -> None:
        self.limit = limit
        self.kept: list[RowError] = []
        self.count = 0

    def add(self, error: RowError) -> None:
        self.count += 1
        if len(self.kept) < self.limit:
            self.kept.append(error)

    def __bool__(self) -> bool:
        return self.count > 0

    def listed(self) -> list[RowError]:
        """In file order; past the limit, the last entry says how many more there are."""
        errors = sorted(self.kept, key=lambda e: e.line)
        if self.count <= self.limit:
            return errors
        more = self.count - self.limit + 1
        return [*errors[:-1], RowError(errors[-2].line, "file", f"and {more:,} more problems after this line")]


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM; anything else is refused rather than guessed."""
    codec = _codec(data[:2])
    try:
        return data.decode("utf-8-sig" if codec == "utf-8" else "utf-16")
    except UnicodeDecodeError as exc:
        raise ImportRejected([RowError(_line_of(data, exc.start, codec), "file", _not_text(codec))]) from None


def _codec(start: bytes) -> str:
    return {b"\xff\xfe": "utf-16-le", b"\xfe\xff": "utf-16-be"}.get(start, "utf-8")


def _not_text(codec: str) -> str:
    if codec == "utf-8":
        return "is not UTF-8 text; save it as CSV UTF-8"
    return "is not valid UTF-16 text (damaged or cut off?)"


def _line_of(data: bytes, position: int, codec: str) -> int:
    """The line of byte `position` in `data` (the text before it decoded, any damage replaced)."""
    if codec == "utf-8":
        return data[:position].count(b"\n") + 1
    return data[: position - position % 2].decode(codec, errors="replace").count("\n") + 1


def _bad_text_line(path: Path, codec: str) -> int:
    """The line where `path` stops being valid text, read a megabyte at a time (only called when it does)."""
    decoder = codecs.getincrementaldecoder(codec)()
    lines = 0
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(1 << 20)
            pending = decoder.getstate()[0]
            try:
                lines += decoder.decode(chunk, final=not chunk).count("\n")
            except UnicodeDecodeError as exc:
                return lines + _line_of(pending + chunk, exc.start, codec)
            if not chunk:
                return lines + 1


def read_native_csv(path: Path) -> list[CsvGiftRow]:
    rows, errors = read_native_csv_collecting(path)
    if errors:
        raise ImportRejected(errors, str(path))
    return rows


def read_native_csv_collecting(
    path: Path,
    mapping: dict[str, str] | None = None,
    progress: Callable[[int], None] | None = None,
    times: TimeReading | None = None,
) -> tuple[list[CsvGiftRow], list[RowError]]:
    """The good rows and the per-row errors, so a caller can add its own checks and report all at once.
    A file that cannot be read or has a wrong header is refused outright."""
    errors = ErrorLog()
    rows = list(stream_native_csv(path, errors, mapping, progress, times))
    return rows, errors.listed()


def stream_native_csv(
    path: Path,
    errors: ErrorLog,
    mapping: dict[str, str] | None = None,
    progress: Callable[[int], None] | None = None,
    times: TimeReading | None = None,
) -> Iterator[CsvGiftRow]:
    """The good rows of `path` as they are read (memory does not grow with the file), problems into `errors`.
    A file that cannot be read or has a wrong header is refused outright (ImportRejected)."""
    try:
        with path.open("rb") as handle:
            codec = _codec(handle.read(2))
        with path.open(encoding="utf-8-sig" if codec == "utf-8" else "utf-16", newline="") as text:
            yield from iter_native_csv(text, errors, mapping, progress, times)
    except OSError as exc:
        raise ImportRejected([RowError(0, "file", f"cannot be read: {exc.strerror or exc}")], str(path)) from None
    except UnicodeDecodeError:
        # not text from here on: whatever else the file has, that is the problem to fix first
        raise ImportRejected([RowError(_bad_text_line(path, codec), "file", _not_text(codec))], str(path)) from None
    except ImportRejected as exc:
        raise ImportRejected(exc.errors, str(path)) from None


def parse_native_csv(lines: Iterable[str]) -> list[CsvGiftRow]:
    """All rows, or ImportRejected listing each bad line with its field. Blank lines are skipped."""
    rows, errors = parse_native_csv_collecting(lines)
    if errors:
        raise ImportRejected(errors)
    return rows


def parse_native_csv_collecting(
    lines: Iterable[str],
    mapping: dict[str, str] | None = None,
    progress: Callable[[int], None] | None = None,
    times: TimeReading | None = None,
) -> tuple[list[CsvGiftRow], list[RowError]]:
    """Good rows and per-row errors; a broken header is refused outright (ImportRejected)."""
    errors = ErrorLog()
    rows = list(iter_native_csv(lines, errors, mapping, progress, times))
    return rows, errors.listed()


def read_preview(path: Path, limit: int = 20) -> tuple[list[str], list[list[str]]]:
    """The header and the first `limit` records, as text (for the import dialog)."""
    try:
        with path.open("rb") as handle:
            data = handle.read(1 << 20)
    except OSError as exc:
        raise ImportRejected([RowError(0, "file", f"cannot be read: {exc.strerror or exc}")], str(path)) from None
    try:
        text = decode(data)
    except ImportRejected:
        text = data.decode("utf-8", errors="replace")  # the preview may cut a character; the import checks
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[list[str]] = []
    try:
        header = next(reader, [])
        for record in reader:
            if any(cell.strip() for cell in record):
                rows.append(record)
            if len(rows) >= limit:
                break
    except csv.Error:
        pass  # the preview shows what it could read; the import names the bad line
    return header, rows


def _header_index(header: Sequence[str], mapping: dict[str, str] | None) -> dict[str, int | None]:
    """Where each of our columns is in the file (None: mapped to nothing); ImportRejected for a bad header."""
    names = [h.strip().lower() for h in header]
    if mapping is not None:
        wanted = {column: source.strip().lower() for column, source in mapping.items() if source}
        problems = [
            f"there is no column '{printable(mapping[c])}' (for {c})" for c, src in wanted.items() if src not in names
        ]  # first: a misspelt column is the likelier mistake
        problems += [f"{c} is not mapped to a column" for c in REQUIRED if c not in wanted]
        if problems:
            raise ImportRejected([RowError(1, "header", "; ".join(problems))])
        return {c: names.index(wanted[c]) if c in wanted else None for c in COLUMNS}
    missing = [c for c in COLUMNS if c not in names]
    unknown = [h for h in names if h not in COLUMNS]
    if missing or unknown or len(set(names)) != len(names):
        detail = "; ".join(
            part
            for part in (
                f"missing {', '.join(missing)}" if missing else "",
                f"unexpected {printable(', '.join(unknown), 200)}" if unknown else "",
                "a column appears twice" if len(set(names)) != len(names) else "",
            )
            if part
        )
        raise ImportRejected([RowError(1, "header", f"{detail} (expected: {','.join(COLUMNS)})")])
    return {name: names.index(name) for name in COLUMNS}


#: Row identities a file may have before the rest are counted on disk (~70 bytes each in memory).
IDENTITIES_IN_MEMORY = 2_000_000


class Occurrences:
    """How many times each row identity (a 64-bit digest) has come so far in one file: the numbered keys of
    identical rows. The first IDENTITIES_IN_MEMORY identities are counted in a set (fast); those after, in a
    temporary SQLite file, so a file of any size needs bounded memory."""

    def __init__(self, in_memory: int | None = None) -> None:
        self.in_memory = IDENTITIES_IN_MEMORY if in_memory is None else in_memory
        self.seen: set[int] = set()
        self.repeats: dict[int, int] = {}  # only identities that came more than once
        self.spill: sqlite3.Connection | None = None
        self.folder: tempfile.TemporaryDirectory[str] | None = None

    def number(self, short: int) -> int:
        """1 for an identity's first row, 2 for its second, …"""
        if short in self.seen:
            number = self.repeats[short] = self.repeats.get(short, 1) + 1
            return number
        if len(self.seen) < self.in_memory:
            self.seen.add(short)
            return 1
        if self.spill is None:
            self.folder = tempfile.TemporaryDirectory(prefix="companion-import-")
            self.spill = sqlite3.connect(Path(self.folder.name) / "seen.sqlite3", isolation_level=None)
            for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-65536"):
                self.spill.execute(f"PRAGMA {pragma}")
            self.spill.execute("CREATE TABLE seen (digest INTEGER PRIMARY KEY, n INTEGER NOT NULL)")
            self.spill.execute("BEGIN")
        found = self.spill.execute(
            "INSERT INTO seen VALUES (?, 1) ON CONFLICT (digest) DO UPDATE SET n = n + 1 RETURNING n",
            (short - (1 << 63),),  # SQLite's integers are signed
        ).fetchone()
        return int(found[0])

    def close(self) -> None:
        if self.spill is not None:
            self.spill.close()
            self.spill = None
        if self.folder is not None:
            self.folder.cleanup()
            self.folder = None


def stored_instant(moment: datetime) -> datetime:
    """`moment` at the precision gifts are stored at (whole milliseconds, the rest dropped as store/types does)."""
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def row_digest(received_at: datetime, sender: str, name_key: str, count: int) -> bytes:
    """The identity of a gift from any source: who sent what (the gift's name key), how many, when (the UTC
    instant at the stored precision, milliseconds): not the price or stream, which an export fills in. CSV rows
    and gifts logged by hand are keyed by it (GiftService.log), and event-log or live gifts, keyed by their
    event, are matched by it (services/importing.py), so re-importing an export of any of them adds nothing.
    (Times with at most millisecond digits give the same text as before this rule: stored keys stay valid.)"""
    instant = stored_instant(received_at) if received_at.microsecond % 1000 else received_at
    identity = "\x1f".join((instant.isoformat(), sender, name_key, str(count)))
    return hashlib.sha256(identity.encode("utf-8")).digest()


def row_key(digest: bytes, number: int) -> str:
    """The key of the `number`th row (from 1) of one identity in a file."""
    return f"csv:{digest[:12].hex()}:{number}"


def iter_native_csv(
    lines: Iterable[str],
    errors: ErrorLog,
    mapping: dict[str, str] | None = None,
    progress: Callable[[int], None] | None = None,
    times: TimeReading | None = None,
) -> Iterator[CsvGiftRow]:
    """Good rows as they are parsed, each bad field into `errors`; a broken header is refused outright
    (ImportRejected). `mapping` (our column → the file's column) reads a file with other column names;
    `progress` is called now and then with the line reached; `times` says how the time cells are written
    (default: ISO 8601 with an offset, a time without one refused)."""
    reader = csv.reader(lines, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise ImportRejected([RowError(1, "header", f"is not valid CSV ({exc})")]) from None
    if header is None:
        raise ImportRejected([RowError(1, "header", "the file is empty")])
    index = _header_index(header, mapping)
    width = len(header)
    # which identities this file has had and how often: the only state that grows with the file
    occurrences = Occurrences()
    try:
        yield from _rows(reader, errors, index, width, occurrences, progress, times or TimeReading())
    finally:
        occurrences.close()


def _rows(
    reader: Any,
    errors: ErrorLog,
    index: dict[str, int | None],
    width: int,
    occurrences: Occurrences,
    progress: Callable[[int], None] | None,
    times: TimeReading,
) -> Iterator[CsvGiftRow]:
    at_i, sender_i, gift_i, count_i = (index[c] for c in REQUIRED)
    assert at_i is not None and sender_i is not None and gift_i is not None and count_i is not None
    coins_i, stream_i = index["coins_each"], index["stream"]
    seen, count_of = occurrences.seen, occurrences.number
    folded: dict[str, str | None] = {}
    gift_keys: dict[str, str] = {}
    bounds = accepted_range()
    while True:
        line = reader.line_num + 1  # where this record starts (a quoted cell may span lines)
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.add(RowError(line, "row", f"is not valid CSV ({exc}); check the quotes from this line on"))
            break
        if progress is not None and line % 10_000 == 0:
            progress(line)
        if len(record) != width:
            if any(cell.strip() for cell in record):
                errors.add(RowError(line, "row", f"has {len(record)} fields, expected {width}"))
            continue
        coins_text = record[coins_i] if coins_i is not None else ""
        stream_text = record[stream_i] if stream_i is not None else ""
        fields = _fast_fields(
            record[at_i],
            record[sender_i],
            record[gift_i],
            coins_text,
            record[count_i],
            stream_text,
            folded,
            bounds,
            times,
        )
        if fields is None:  # any doubt: the field-by-field path decides, naming each bad field
            if not any(cell.strip() for cell in record):
                continue
            cell = {
                "received_at": record[at_i], "sender": record[sender_i], "gift": record[gift_i],
                "coins_each": coins_text, "count": record[count_i], "stream": stream_text,
            }  # fmt: skip
            fields, row_errors = _parse_fields(line, cell, bounds, times)
            if row_errors:
                for error in row_errors:
                    errors.add(error)
                continue
        received_at, sender, gift, coins, count, stream = fields
        key = gift_keys.get(gift)
        if key is None:
            key = gift_keys[gift] = gift_key(gift)
        digest = row_digest(received_at, sender, key, count)
        short = int.from_bytes(digest[:8])
        if short in seen or len(seen) >= occurrences.in_memory:
            number = count_of(short)
        else:  # the usual case, inline: a million rows go through here
            seen.add(short)
            number = 1
        yield CsvGiftRow(line, received_at, sender, gift, coins, count, stream, row_key(digest, number))
