"""What the import dialog shows before anything is imported: the first rows of a CSV and the column mapping
guessed for it, or the first events of a log as parsed. Reads the file only, never the database."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

from companion.domain.time_styles import DEFAULT_STYLE, STYLES, TimeReading, detect_style
from companion.integrations.csv_columns import COLUMNS, REQUIRED, guess_mapping, parse_column_map, with_own_names
from companion.integrations.events import parse_record
from companion.integrations.native_csv import read_preview

__all__ = [
    "COLUMNS", "REQUIRED", "STYLES", "CsvPlan", "EventPreview", "TimeReading", "csv_plan", "event_preview",
    "guess_mapping", "parse_column_map", "read_preview", "time_samples",
]  # fmt: skip

#: Rows whose time cells decide the date format when none is chosen.
SAMPLE_ROWS = 20


@dataclass(frozen=True)
class CsvPlan:
    """How a CSV will be read: the column mapping (None: the native header) and how its times are written;
    `detected` when the date format was read off the file rather than chosen (shown, so it can be changed)."""

    mapping: dict[str, str] | None
    times: TimeReading
    detected: bool = False

    def describe_times(self) -> str:
        return f"{self.times.describe()}{' (detected)' if self.detected else ''}"


def time_samples(header: list[str], rows: list[list[str]], mapping: dict[str, str] | None) -> list[str]:
    """The time cells of preview `rows`: the mapped column, else the one named received_at."""
    wanted = (mapping or {}).get("received_at", "received_at").strip().lower()
    names = [h.strip().lower() for h in header]
    if wanted not in names:
        return []
    at = names.index(wanted)
    return [row[at] for row in rows if len(row) > at]


def csv_plan(path: Path, pairs: dict[str, str] | None, style: str | None, zone: tzinfo) -> CsvPlan:
    """The plan for importing `path`: `pairs` (our field → the file's column, as `--map` gives them) completed
    by the file's columns that carry our names; `style` None is ISO unless the first rows' times plainly are
    another style; times without an offset are read in `zone`."""
    header, rows = read_preview(path, SAMPLE_ROWS)
    mapping = with_own_names(header, pairs) if pairs is not None else None
    detected = None if style is not None else detect_style(time_samples(header, rows, mapping))
    chosen = style or detected or DEFAULT_STYLE
    return CsvPlan(mapping, TimeReading(chosen, zone), detected not in (None, DEFAULT_STYLE))


@dataclass(frozen=True)
class EventPreview:
    """One line of an event log as the import would read it; `problem` says why it would be refused."""

    line: int  # 0: the file as a whole
    at: datetime | None = None
    sender: str = ""
    gift: str = ""
    coins_each: int | None = None
    count: int = 0
    streak: str = ""  # "single", "…" (a streak still running) or "end"
    problem: str = ""


def event_preview(path: Path, limit: int) -> list[EventPreview]:
    """The first `limit` non-blank lines of an event log."""
    shown: list[EventPreview] = []
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as handle:
            for number, text in enumerate(handle, start=1):
                if len(shown) >= limit:
                    break
                if not text.strip():
                    continue
                try:
                    signal, problems = parse_record(json.loads(text), number)
                except json.JSONDecodeError:
                    shown.append(EventPreview(number, problem="not valid JSON"))
                    continue
                if signal is None:
                    shown.append(EventPreview(number, problem="; ".join(f"{p.field}: {p.message}" for p in problems)))
                    continue
                streak = ("end" if signal.repeat_end else "…") if signal.streakable else "single"
                gift = signal.gift_name
                shown.append(
                    EventPreview(number, signal.at, signal.sender, gift, signal.coins_each, signal.repeat_count, streak)
                )
    except OSError as exc:
        shown.append(EventPreview(0, problem=f"cannot be read: {exc.strerror or exc}"))
    return shown
