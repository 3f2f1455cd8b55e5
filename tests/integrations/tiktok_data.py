"""A synthetic TikTok "Download your data" (JSON) built from the published field names, with the quirks the
reader must survive: null sections, both date styles, key spelling and case variants, keys nobody documented."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any


def live(
    start: str, earning: Any, *, end: str | None = None, title: str = "", style: str = "published"
) -> dict[str, Any]:
    """One GoLiveList entry; `style` spells the keys as published, in lower snake case, or in odd case."""
    fields = {
        "LiveStartTime": start, "LiveEndTime": end, "LiveDuration": None, "RoomTitle": title,
        "TotalEarning": earning, "TotalGifter": "12", "TotalView": 340,
    }  # fmt: skip
    if style == "snake":
        names = {"LiveStartTime": "live_start_time", "LiveEndTime": "live end time", "RoomTitle": "room_title",
                 "TotalEarning": "total_earning", "TotalGifter": "total_gifter", "TotalView": "TOTAL_VIEW",
                 "LiveDuration": "live_duration"}  # fmt: skip
        fields = {names[k]: v for k, v in fields.items()}
    elif style == "odd":
        fields = {k.upper() if i % 2 else k.lower(): v for i, (k, v) in enumerate(fields.items())}
    return fields


def export(*lives: dict[str, Any], old: bool = False, extra_sections: bool = True) -> dict[str, Any]:
    """A whole download; `old` uses the older "Tiktok Live" spelling (user_data.json)."""
    document: dict[str, Any] = {}
    if extra_sections:
        document.update({
            "Activity": {"Like List": {"ItemFavoriteList": []}, "Login History": None},
            "Ads and data": {},
            "App Settings": {"Settings": {"SettingsMap": {"Language": "en"}}},
            "Comment": None,
            "Profile": {"Profile Information": {"ProfileMap": {"userName": "creator"}}},
        })  # fmt: skip
    section = "Tiktok Live" if old else "TikTok Live"
    document[section] = {
        "Go Live History": {"GoLiveList": list(lives)},
        "Go Live Settings": {"SettingsMap": None},
        "Watch Live History": {"WatchLiveMap": {}},
    }
    return document


def write_json(path: Path, document: Any) -> Path:
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def write_zip(path: Path, document: Any, member: str = "user_data_tiktok.json") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, json.dumps(document))
    return path


#: Three LIVEs as the tests use them: an evening one with " UTC", a null-heavy one, one in the old date style.
THREE = (
    live("2026-11-10 19:02:00 UTC", 5200, end="2026-11-10 20:10:00 UTC", title="Friday night"),
    {**live("2026-11-12 18:00:00", "1,500", style="snake"), "total_gifter": None, "room_title": None,
     "Unheard Of Key": {"nested": [1, 2]}},
    {**live("2026-11-14 21:30:00", 0, end="2026-11-14 21:34:00", style="odd"), "CoverURI": "https://x/y.jpg"},
)  # fmt: skip
