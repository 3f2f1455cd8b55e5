"""Reading the LIVE history out of TikTok's "Download your data" (JSON format): the .zip or the JSON inside it.

Nobody publishes a checked description of this file, so the reader is tolerant about its shape (sections may be
null, [] or {}; key spelling, case, spaces and underscores vary; unknown keys are listed, never fatal) and strict
about size (a hostile file is refused before it can eat the memory). Pure: no database, no clock."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from companion.domain.errors import ValidationError

#: The biggest JSON we read (uncompressed). A heavy account's whole download is tens of MB; 128 MiB of JSON
#: already needs over a GB of memory as Python objects.
MAX_JSON_BYTES = 128 * 1024 * 1024
#: Containers nested deeper than this are refused (the real file nests about 5 deep).
MAX_DEPTH = 64
#: Digits in a number: more than any diamond total, far less than what makes int() slow.
MAX_DIGITS = 15
#: Entries in GoLiveList: years of daily LIVEs are a few thousand.
MAX_LIVES = 100_000
#: Problems and unknown keys named one by one; past these a count stands for the rest (a hostile file has millions).
MAX_NAMED = 100

#: What TotalEarning may count (TikTok does not say): the preview and `--earning-unit` offer these.
EARNING_UNITS = {
    "diamonds": "diamonds (TikTok's usual unit for LIVE gifts)",
    "usd": "US dollars you earned (converted to diamonds at your share)",
}
DEFAULT_UNIT = "diamonds"
EXPECTED = (
    "expected TikTok's “Download your data” in JSON format: the .zip, or the user_data_tiktok.json "
    "(older: user_data.json) inside it, with a “TikTok Live” → “Go Live History” → “GoLiveList” section"
)
#: Top-level sections of the download (normalised) that tell a TikTok export from any other JSON.
_KNOWN_SECTIONS = frozenset(
    {"tiktoklive", "profile", "activity", "youractivity", "video", "comment", "directmessages", "directmessage",
     "appsettings", "adsanddata", "tiktokshop", "incomepluswallet", "income+wallet", "poi"}
)  # fmt: skip
_LIVE_FIELDS = frozenset(
    {"livestarttime", "liveendtime", "liveduration", "roomtitle", "totalearning", "totalgifter", "totalview"}
)
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?")
_ZONE_SUFFIX = re.compile(r"\s*(?:UTC|GMT|Z|\+00:?00)$", re.IGNORECASE)


class TikTokExportRefused(ValidationError):
    """The file is not a readable TikTok data download; `problems` names each (nothing was imported)."""

    def __init__(self, problems: list[str], source: str = "") -> None:
        self.problems = problems
        where = f"{source}: " if source else ""
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(f"{where}{problems[0]}{more}; nothing was imported", field=None)


@dataclass(frozen=True)
class TikTokLive:
    """One LIVE as TikTok lists it. Times are UTC (the download writes UTC, with or without saying so)."""

    entry: int  # 1-based position in GoLiveList, for messages
    started_at: datetime
    ended_at: datetime | None
    duration_seconds: int | None
    title: str
    earning: Decimal | None  # TotalEarning as written; its unit is the importer's choice
    gifters: int | None
    views: int | None


@dataclass(frozen=True)
class TikTokExport:
    lives: tuple[TikTokLive, ...]
    member: str  # the JSON file read (inside the zip, or the file itself)
    unknown_keys: tuple[str, ...] = ()  # keys of LIVE entries this reader does not use, as spelled in the file
    notes: tuple[str, ...] = field(default=())  # what was left out and why (never a reason to refuse)


def norm_key(key: str) -> str:
    """Keys compare without case, spaces, underscores or hyphens ("Go Live History" == "go_live_history")."""
    return re.sub(r"[\s_\-]+", "", key).casefold()


# ---- reading bytes ---------------------------------------------------------------------------------------


def read_export(path: Path) -> TikTokExport:
    """Read a download from disk (.zip or .json). Refused with `TikTokExportRefused` naming what was expected."""
    name = path.name
    try:
        with path.open("rb") as handle:
            head = handle.read(4)
            handle.seek(0)
            if head.startswith(b"PK"):
                member, data = _from_zip(handle, name)
            else:
                member, data = name, _read_capped(handle, name)
    except OSError as exc:
        raise TikTokExportRefused([f"cannot read the file ({exc.strerror or exc})"], name) from None
    return parse_export(data, member)


def _read_capped(handle: Any, name: str) -> bytes:
    # The size a zip declares can lie: read at most one byte past the cap, whatever it says.
    data = handle.read(MAX_JSON_BYTES + 1)
    if len(data) > MAX_JSON_BYTES:
        raise TikTokExportRefused([f"the JSON is larger than {MAX_JSON_BYTES // (1024 * 1024)} MiB uncompressed"], name)
    return bytes(data)


def _from_zip(handle: Any, name: str) -> tuple[str, bytes]:
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, ValueError):
        raise TikTokExportRefused([f"the .zip is damaged; {EXPECTED}"], name) from None
    with archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        by_base = {Path(info.filename).name.casefold(): info for info in members}
        chosen = by_base.get("user_data_tiktok.json") or by_base.get("user_data.json")
        if chosen is None:
            jsons = [info for info in members if info.filename.casefold().endswith(".json")]
            chosen = jsons[0] if len(jsons) == 1 else None
        if chosen is None:
            if any(info.filename.casefold().endswith(".txt") for info in members):
                raise TikTokExportRefused(
                    ["this download is in TXT format; request it again from TikTok choosing “JSON”"], name
                )
            raise TikTokExportRefused([f"no user_data_tiktok.json in the .zip; {EXPECTED}"], name)
        if chosen.file_size > MAX_JSON_BYTES:
            raise TikTokExportRefused(
                [f"{chosen.filename} is larger than {MAX_JSON_BYTES // (1024 * 1024)} MiB uncompressed"], name
            )
        try:
            with archive.open(chosen) as member:
                return chosen.filename, _read_capped(member, f"{name}: {chosen.filename}")
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
            raise TikTokExportRefused([f"cannot unpack {chosen.filename} ({exc})"], name) from None


# ---- parsing ---------------------------------------------------------------------------------------------


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise ValueError(f"a number with more than {MAX_DIGITS} digits")
    return int(text)


def _parse_float(text: str) -> Decimal:
    if len(text) > MAX_DIGITS * 2 + 8:  # digits, a point and an exponent
        raise ValueError("a number too long to be a total")
    return Decimal(text)


def _depth_ok(node: Any) -> bool:
    stack: list[tuple[Any, int]] = [(node, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False
        if isinstance(item, dict):
            stack.extend((value, depth + 1) for value in item.values())
        elif isinstance(item, list):
            stack.extend((value, depth + 1) for value in item)
    return True


def parse_export(data: bytes, member: str = "") -> TikTokExport:
    """The LIVEs in a download's JSON. A file that is not JSON, or JSON that is not a TikTok download, is
    refused naming what was expected; a download without LIVEs gives none (its section may be null)."""
    if len(data) > MAX_JSON_BYTES:
        raise TikTokExportRefused([f"the JSON is larger than {MAX_JSON_BYTES // (1024 * 1024)} MiB"], member)
    try:
        text = data.decode("utf-8-sig")
        document = json.loads(text, parse_int=_parse_int, parse_float=_parse_float)
    except UnicodeDecodeError:
        raise TikTokExportRefused([f"not a text file; {EXPECTED}"], member) from None
    except json.JSONDecodeError as exc:
        raise TikTokExportRefused(
            [f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg}); {EXPECTED}"], member
        ) from None
    except RecursionError:
        raise TikTokExportRefused([f"the JSON nests deeper than {MAX_DEPTH} levels"], member) from None
    except ValueError as exc:  # from the number hooks
        raise TikTokExportRefused([f"the JSON holds {exc}"], member) from None
    if not _depth_ok(document):
        raise TikTokExportRefused([f"the JSON nests deeper than {MAX_DEPTH} levels"], member)
    if not isinstance(document, dict):
        raise TikTokExportRefused([f"the JSON is a {type(document).__name__}, not an object; {EXPECTED}"], member)
    sections = {norm_key(str(k)): v for k, v in document.items()}
    if not any(key in _KNOWN_SECTIONS for key in sections):
        shown = ", ".join(f"“{k}”" for k in list(document)[:5]) or "nothing"
        raise TikTokExportRefused([f"this JSON holds {shown}, not TikTok's sections; {EXPECTED}"], member)
    entries, notes = _live_entries(sections)
    return _read_entries(entries, member, notes)


def _child(node: Any, key: str) -> Any:
    """A dict's value under a normalised key (None when absent or when the node is no dict)."""
    if isinstance(node, Mapping):
        for k, v in node.items():
            if norm_key(str(k)) == key:
                return v
    return None


def _live_entries(sections: dict[str, Any]) -> tuple[list[Any], list[str]]:
    if "tiktoklive" not in sections:
        return [], ["this download has no “TikTok Live” section (TikTok leaves it out when you never went LIVE)"]
    history = _child(sections["tiktoklive"], "golivehistory")
    listing = history if isinstance(history, list) else _child(history, "golivelist")
    if listing is None or listing == {}:
        return [], ["the “Go Live History” in this download is empty"]
    if isinstance(listing, Mapping):  # one LIVE written as an object instead of a list of one
        listing = [listing]
    if not isinstance(listing, list):
        raise TikTokExportRefused([f"“GoLiveList” is a {type(listing).__name__}, not a list of LIVEs; {EXPECTED}"])
    if len(listing) > MAX_LIVES:
        raise TikTokExportRefused([f"“GoLiveList” has {len(listing):,} entries, more than {MAX_LIVES:,}"])
    return listing, []


def _read_entries(entries: list[Any], member: str, notes: list[str]) -> TikTokExport:
    lives: list[TikTokLive] = []
    problems: list[str] = []
    unknown: dict[str, None] = {}
    no_start = 0
    for number, raw in enumerate(entries, start=1):
        if raw is None or raw == {}:
            continue
        if not isinstance(raw, Mapping):
            problems.append(f"GoLiveList entry {number} is a {type(raw).__name__}, not an object")
            continue
        values = {}
        for key, value in raw.items():
            normal = norm_key(str(key))
            if normal in _LIVE_FIELDS:
                values[normal] = value
            else:
                if len(unknown) <= MAX_NAMED:
                    unknown.setdefault(str(key)[:60], None)
        try:
            live = _live(number, values)
        except ValueError as exc:
            problems.append(f"GoLiveList entry {number}, {exc}")
            continue
        if live is None:
            no_start += 1
        else:
            lives.append(live)
    if problems:
        named = problems[:MAX_NAMED]
        if len(problems) > MAX_NAMED:
            named.append(f"{len(problems) - MAX_NAMED:,} more problems in GoLiveList")
        raise TikTokExportRefused(named, member)
    if no_start:
        notes.append(f"{no_start} LIVE{'s' if no_start != 1 else ''} without a start time left out (cannot be placed)")
    keys = sorted(unknown, key=str.casefold)[:MAX_NAMED]
    if len(unknown) > MAX_NAMED:
        keys.append("…")
    return TikTokExport(tuple(lives), member, tuple(keys), tuple(notes))


def _live(number: int, values: dict[str, Any]) -> TikTokLive | None:
    started = _instant(values.get("livestarttime"), "LiveStartTime")
    if started is None:
        return None
    ended = _instant(values.get("liveendtime"), "LiveEndTime")
    if ended is not None and ended < started:
        raise ValueError(f"LiveEndTime {ended:%Y-%m-%d %H:%M:%S} is before LiveStartTime")
    duration = _duration(values.get("liveduration"))
    title = values.get("roomtitle")
    return TikTokLive(
        entry=number,
        started_at=started,
        ended_at=ended,
        duration_seconds=duration,
        title=str(title).strip()[:200] if title is not None else "",
        earning=_number(values.get("totalearning"), "TotalEarning"),
        gifters=_count(values.get("totalgifter"), "TotalGifter"),
        views=_count(values.get("totalview"), "TotalView"),
    )


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() in ("", "-", "null", "N/A"))


def _instant(value: Any, name: str) -> datetime | None:
    """`YYYY-MM-DD HH:MM:SS`, with or without " UTC" (both are UTC); a number is epoch seconds or milliseconds."""
    if _blank(value):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        seconds = value / 1000 if value > 10**11 else value
        try:
            return datetime.fromtimestamp(int(seconds), UTC)
        except (OverflowError, OSError, ValueError):
            raise ValueError(f"{name} {value} is not a time") from None
    text = _ZONE_SUFFIX.sub("", str(value).strip())
    match = _DATE.fullmatch(text)
    if match is None:
        raise ValueError(f"{name} “{str(value)[:40]}” is not a time like 2025-03-01 20:15:00")
    year, month, day, hour, minute = (int(g) for g in match.groups()[:5])
    second = int(match.group(6) or 0)
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError:
        raise ValueError(f"{name} “{value}” is not a real date") from None


def _number(value: Any, name: str) -> Decimal | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{name} is true/false, not a number")
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, str):
        cleaned = value.strip().replace(",", "").replace(" ", "")
        if len(cleaned) > MAX_DIGITS + 4:
            raise ValueError(f"{name} “{value[:30]}…” is too long to be a total")
        try:
            number = Decimal(cleaned)
        except InvalidOperation:
            raise ValueError(f"{name} “{value[:40]}” is not a number") from None
    else:
        raise ValueError(f"{name} is a {type(value).__name__}, not a number")
    if not number.is_finite() or number < 0:
        raise ValueError(f"{name} {value} is not a number of 0 or more")
    if number.adjusted() >= MAX_DIGITS:
        raise ValueError(f"{name} {value} is too large to be a total")
    return number


def _count(value: Any, name: str) -> int | None:
    number = _number(value, name)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise ValueError(f"{name} {value} is not a whole number")
    return int(number)


def _duration(value: Any) -> int | None:
    """Seconds, as a number or `H:MM:SS` / `MM:SS`; anything else is left out (the start and end still tell)."""
    if _blank(value) or isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return int(value) if 0 <= value < 10**7 else None
    parts = str(value).strip().split(":")
    if all(p.isdigit() for p in parts) and 1 <= len(parts) <= 3:
        seconds = 0
        for part in parts:
            seconds = seconds * 60 + int(part[:7])
        return seconds
    return None


def iter_lives(export: TikTokExport) -> Iterator[TikTokLive]:
    """The LIVEs oldest first (the download lists them newest first)."""
    return iter(sorted(export.lives, key=lambda live: live.started_at))
