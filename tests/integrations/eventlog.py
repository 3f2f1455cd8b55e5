"""Build event-log records (TikTokLive gift events) for tests."""

from __future__ import annotations

import json
from typing import Any

T0 = 1_793_560_500_000  # 2026-11-01T19:15:00Z in milliseconds


def gift_event(
    msg_id: int | str,
    sender: str = "luna",
    gift: str = "Rose",
    coins: int | None = 1,
    count: int = 1,
    end: bool | None = None,
    group: int | str | None = None,
    streakable: bool = True,
    at_ms: int | None = None,
    gift_id: int | None = 5655,
) -> dict[str, Any]:
    gift_part: dict[str, Any] = {"id": gift_id, "name": gift, "type": 1 if streakable else 2}
    if coins is not None:
        gift_part["diamond_count"] = coins
    return {
        "msg_id": str(msg_id),
        "create_time": at_ms if at_ms is not None else T0 + int(str(msg_id)[-4:] or 0) * 1000,
        "user": {"unique_id": sender, "nickname": sender.title()},
        "gift": gift_part,
        "repeat_count": count,
        "repeat_end": (1 if end else 0) if end is not None else (0 if streakable else 1),
        "group_id": group if group is not None else (f"g-{sender}-{gift}" if streakable else 0),
    }


def lines(*records: dict[str, Any] | str) -> str:
    return "\n".join(r if isinstance(r, str) else json.dumps(r) for r in records) + "\n"
