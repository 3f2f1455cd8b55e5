"""The gift event log (`--format events`): one JSON object a line, fields as TikTokLive's gift event.

    {"msg_id": "7301", "create_time": 1762024500000, "user": {"unique_id": "luna", "nickname": "Luna"},
     "gift": {"id": 5655, "name": "Rose", "diamond_count": 1, "type": 1},
     "repeat_count": 5, "repeat_end": 1, "group_id": "1762024500123"}

Live capture writes this format; importing it runs the events through the same streak collector.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from companion.domain.catalog import clean_gift_name
from companion.domain.economics import MAX_COINS, MAX_COUNT
from companion.domain.errors import ImportRejected, RowError, ValidationError
from companion.domain.text import MAX_SENDER, clean_text, printable
from companion.domain.timeutil import accepted_range
from companion.integrations.native_csv import ErrorLog
from companion.integrations.streaks import FinishedGift, GiftSignal, StreakCollector

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: A whole number given as text: ASCII digits, one optional sign, at most 19 digits (64-bit).
_WHOLE = re.compile(r"[+-]?[0-9]{1,19}")


def _get(record: dict[str, Any], path: str) -> Any:
    value: Any = record
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _integer(value: Any, field: str, minimum: int, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValidationError(f"must be a whole number (got {json.dumps(value)[:40]})", field=field)
    if isinstance(value, str):
        text = value.strip()
        if not _WHOLE.fullmatch(text):
            raise ValidationError(f"'{printable(text)}' is not a whole number", field=field)
        value = int(text)
    number = int(value)
    if not minimum <= number <= maximum:
        raise ValidationError(f"must be from {minimum:,} to {maximum:,} (got {number:,})", field=field)
    return number


def _identifier(value: Any, field: str, required: bool) -> str:
    if value is None or value == "" or value == 0:
        if required:
            raise ValidationError("is missing", field=field)
        return ""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValidationError(f"must be a number or text (got {json.dumps(value)[:40]})", field=field)
    text = str(value).strip()
    if len(text) > 64:
        raise ValidationError("is longer than 64 characters", field=field)
    return text


def _moment(value: Any, bounds: tuple[datetime, datetime]) -> datetime:
    """create_time (milliseconds since 1970) inside the accepted dates (the same range as every input)."""
    try:
        millis = _integer(value, "create_time", -(2**63), 2**63 - 1)
    except ValidationError:
        shown = printable(json.dumps(value, ensure_ascii=False))
        raise ValidationError(f"{shown} is not a time in milliseconds since 1970", field="create_time") from None
    first, last = bounds
    if not _millis(first) <= millis <= _millis(last):  # checked before any date arithmetic, which could overflow
        try:
            shown = f"{_EPOCH + timedelta(milliseconds=millis):%Y-%m-%d}"
        except OverflowError:
            shown = "beyond any calendar"
        raise ValidationError(
            f"{millis} ms is {shown}, outside the accepted dates ({first:%Y-%m-%d} to {last:%Y-%m-%d};"
            " milliseconds since 1970 expected)",
            field="create_time",
        )
    return _EPOCH + timedelta(milliseconds=millis)


def _millis(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(milliseconds=1)


def parse_record(
    record: Any, line: int, bounds: tuple[datetime, datetime] | None = None
) -> tuple[GiftSignal | None, list[RowError]]:
    """One event-log object → a signal, or every problem it has (each naming its field). `bounds`: the accepted
    dates (default `accepted_range()` now; a caller parsing many lines passes them once)."""
    accepted = bounds if bounds is not None else accepted_range()
    try:
        return _parse(record, line, accepted)
    except RecursionError:  # a value nested just under JSON's limit: showing it in a message goes past it
        return None, [RowError(line, "line", "is nested too deeply to be an event")]


def _parse(record: Any, line: int, accepted: tuple[datetime, datetime]) -> tuple[GiftSignal | None, list[RowError]]:
    if not isinstance(record, dict):
        return None, [RowError(line, "line", "is not a JSON object")]
    errors: list[RowError] = []

    def attempt(field: str, parse: Callable[[], Any]) -> Any:
        try:
            return parse()
        except ValidationError as exc:
            errors.append(RowError(line, exc.field or field, str(exc)))
            return None

    msg_id = attempt("msg_id", lambda: _identifier(record.get("msg_id"), "msg_id", required=True))
    at = attempt("create_time", lambda: _moment(record.get("create_time"), accepted))
    sender = attempt(
        "user.unique_id",
        lambda: _text(_get(record, "user.unique_id"), "user.unique_id", MAX_SENDER, required=True),
    )
    nickname = attempt("user.nickname", lambda: _text(_get(record, "user.nickname"), "user.nickname", MAX_SENDER))

    def optional_int(path: str, maximum: int) -> int | None:
        return attempt(path, lambda: _optional_int(_get(record, path), path, 0, maximum))  # type: ignore[no-any-return]

    gift_id = optional_int("gift.id", 2**63 - 1)
    gift_name = attempt("gift.name", lambda: _gift_name(_get(record, "gift.name")))
    coins = optional_int("gift.diamond_count", MAX_COINS)
    gift_type = optional_int("gift.type", 1000)
    count = attempt("repeat_count", lambda: _integer(record.get("repeat_count", 1), "repeat_count", 1, MAX_COUNT))
    repeat_end = attempt("repeat_end", lambda: _flag(record.get("repeat_end"), "repeat_end"))
    group_id = attempt("group_id", lambda: _identifier(record.get("group_id"), "group_id", required=False))
    if errors:
        return None, errors
    signal = GiftSignal(
        line=line, msg_id=msg_id, at=at, sender=sender, nickname=nickname or "", gift_id=gift_id,
        gift_name=gift_name, coins_each=coins, streakable=gift_type == 1, repeat_count=count,
        repeat_end=repeat_end, group_id=group_id,
    )  # fmt: skip
    return signal, []


def _text(value: Any, field: str, max_length: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError("must be text", field=field)
    return clean_text(value, field, max_length, required=required)


def _gift_name(value: Any) -> str:
    if not isinstance(value, str):
        raise ValidationError("is missing" if value is None else "must be text", field="gift.name")
    try:
        return clean_gift_name(value)
    except ValidationError as exc:
        raise ValidationError(str(exc), field="gift.name") from None


def _optional_int(value: Any, field: str, minimum: int, maximum: int) -> int | None:
    return None if value is None else _integer(value, field, minimum, maximum)


def _flag(value: Any, field: str) -> bool:
    if value is None or value in (0, 1):  # True/False compare equal to 1/0
        return bool(value)
    raise ValidationError(f"must be true/false or 1/0 (got {json.dumps(value)[:40]})", field=field)


def parse_event_lines(
    lines: Iterable[str], progress: Callable[[int], None] | None = None
) -> tuple[list[FinishedGift], list[RowError]]:
    """Finished gifts of a whole log (open streaks flushed at their highest count) and every bad line.
    `progress` is called now and then with the number of lines read."""
    errors = ErrorLog()
    gifts = list(iter_event_gifts(enumerate(lines, start=1), errors, progress))
    return gifts, errors.listed()


def iter_event_gifts(
    lines: Iterable[tuple[int, str]],
    errors: ErrorLog,
    progress: Callable[[int], None] | None = None,
    conflicts: list[int] | None = None,
) -> Iterator[FinishedGift]:
    """Finished gifts as the numbered lines go by (open streaks flushed at the end, at their highest count),
    each problem into `errors`, the lines of events whose msg_id came before with other content into
    `conflicts`. Memory holds the open streaks and the event ids seen, not the gifts."""
    collector = StreakCollector()
    if conflicts is not None:
        collector.conflicts = conflicts
    bounds = accepted_range()
    for number, text in lines:
        if progress is not None and number % 5000 == 0:
            progress(number)
        if not text.strip():
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            errors.add(RowError(number, "line", f"is not valid JSON (cut off or damaged?): {exc.msg}"))
        except ValueError:  # an integer of thousands of digits (Python's limit against slow conversions)
            errors.add(RowError(number, "line", "has a number too long to be real (over 4,300 digits)"))
        except RecursionError:
            errors.add(RowError(number, "line", "is nested too deeply to be an event"))
        else:
            signal, problems = parse_record(record, number, bounds)
            for problem in problems:
                errors.add(problem)
            if signal is not None:
                yield from collector.feed(signal)
    yield from collector.flush()


def _text_lines(handle: BinaryIO) -> Iterator[tuple[int, str]]:
    """Numbered lines of UTF-8 text; a line that is not UTF-8 refuses the file (it is not an event log)."""
    for number, raw in enumerate(handle, start=1):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            yield number, raw.decode("utf-8")
        except UnicodeDecodeError:
            raise ImportRejected([RowError(number, "line", "is not UTF-8 text")]) from None


def stream_event_log(
    path: Path, errors: ErrorLog, progress: Callable[[int], None] | None = None, conflicts: list[int] | None = None
) -> Iterator[FinishedGift]:
    """The finished gifts of the log at `path`, read a line at a time; problems into `errors`, lines of
    conflicting duplicate events into `conflicts`."""
    try:
        with path.open("rb") as handle:
            yield from iter_event_gifts(_text_lines(handle), errors, progress, conflicts)
    except OSError as exc:
        raise ImportRejected([RowError(0, "file", f"cannot be read: {exc.strerror or exc}")], str(path)) from None
    except ImportRejected as exc:
        raise ImportRejected(exc.errors, str(path)) from None


def read_event_log(
    path: Path, progress: Callable[[int], None] | None = None
) -> tuple[list[FinishedGift], list[RowError]]:
    errors = ErrorLog()
    gifts = list(stream_event_log(path, errors, progress))
    return gifts, errors.listed()


def record_line(record: dict[str, Any]) -> str:
    """One event as a log line (compact JSON, no newline inside)."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))
