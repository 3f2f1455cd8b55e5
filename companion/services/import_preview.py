"""What the import dialog shows before anything is imported: the first rows of a CSV and the column mapping
guessed for it, or the first events of a log as parsed. Reads the file only, never the database."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from companion.integrations.events import parse_record
from companion.integrations.native_csv import COLUMNS, REQUIRED, guess_mapping, read_preview

__all__ = ["COLUMNS", "REQUIRED", "EventPreview", "event_preview", "guess_mapping", "read_preview"]


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
