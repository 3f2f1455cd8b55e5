"""Gift streaks → finished gifts, shared by the event-log import and live capture (pure, stdlib only).

TikTok sends a streakable gift (type 1) again and again while the viewer keeps tapping, each time with a higher
`repeat_count`, and once more with `repeat_end` when the streak is over. A streak counts once, at its end, with
its count; a streak whose end never arrives counts its highest count seen. The same event delivered twice counts
once. Every finished gift carries a stable key, so storing it again (a re-import, or the end arriving after an
unfinished streak was already stored) updates or skips instead of adding.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime

from companion.domain.catalog import gift_key


@dataclass(frozen=True)
class GiftSignal:
    """One gift event as TikTok (and our event log) describes it."""

    line: int  # where it came from (a file line, or the running number of a live event)
    msg_id: str
    at: datetime  # UTC
    sender: str  # the viewer's @handle (user.unique_id)
    nickname: str
    gift_id: int | None
    gift_name: str
    coins_each: int | None  # gift.diamond_count; None: not given, the catalog's price applies
    streakable: bool
    repeat_count: int
    repeat_end: bool
    group_id: str  # "" when the event has none


@dataclass(frozen=True)
class FinishedGift:
    """A gift to store: `count` items of `gift_name`. `final` is False for a streak cut off before its end."""

    key: str
    line: int
    at: datetime
    sender: str
    gift_id: int | None
    gift_name: str
    coins_each: int | None
    count: int
    final: bool


@dataclass
class _Open:
    first: GiftSignal
    count: int
    last_at: datetime
    last_line: int
    emitted: int = 0  # highest count already handed out as an unfinished streak


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]


def _gift_identity(signal: GiftSignal) -> str:
    return str(signal.gift_id) if signal.gift_id is not None else gift_key(signal.gift_name)


def streak_key(signal: GiftSignal) -> str:
    """Which streak an event belongs to: sender + gift + TikTok's group id (a new group is a new streak)."""
    return "ev:" + _digest("streak", signal.sender, _gift_identity(signal), signal.group_id)


def single_key(signal: GiftSignal) -> str:
    return "ev:" + _digest("msg", signal.msg_id)


class StreakCollector:
    """Feed gift events in arrival order; get finished gifts back. Not thread-safe: one owner feeds it."""

    def __init__(self) -> None:
        self._seen_msgs: set[str] = set()
        self._open: dict[str, _Open] = {}
        self._closed: set[str] = set()

    @property
    def open_streaks(self) -> int:
        return len(self._open)

    def feed(self, signal: GiftSignal) -> list[FinishedGift]:
        if signal.msg_id in self._seen_msgs:
            return []  # the same event delivered twice
        self._seen_msgs.add(signal.msg_id)
        if not signal.streakable:
            return [self._finished(single_key(signal), signal, signal.line, signal.repeat_count, final=True)]
        grouped = bool(signal.group_id)
        slot = streak_key(signal) if grouped else "slot:" + _digest(signal.sender, _gift_identity(signal))
        if slot in self._closed:
            return []  # a late or repeated event of a streak already counted at its end
        if signal.repeat_end:
            current = self._open.pop(slot, None)
            count = max(signal.repeat_count, current.count if current else 0)
            first = current.first if current else signal
            if grouped:
                self._closed.add(slot)
            return [self._finished(self._key(slot, first), first, signal.line, count, final=True)]
        current = self._open.get(slot)
        if current is None:
            self._open[slot] = _Open(signal, signal.repeat_count, signal.at, signal.line)
        else:
            if signal.repeat_count > current.count:
                current.count = signal.repeat_count
                current.last_line = signal.line
            current.last_at = max(current.last_at, signal.at)
        return []

    @staticmethod
    def _key(slot: str, first: GiftSignal) -> str:
        if first.group_id:
            return slot
        # Without a group id, streaks of one sender and gift are told apart by the event that opened them.
        return "ev:" + _digest("streak-msg", first.sender, _gift_identity(first), first.msg_id)

    def flush(self) -> list[FinishedGift]:
        """Every streak still open, at its highest count (the end of a file, or the end of a capture)."""
        finished = [self._unfinished(slot, current) for slot, current in self._open.items()]
        self._open.clear()
        return [gift for gift in finished if gift is not None]

    def flush_stale(self, now: datetime, quiet_seconds: float) -> list[FinishedGift]:
        """Open streaks with no event for `quiet_seconds`, at their highest count so far. They stay open: if
        their end still arrives it is handed out again with the same key and the final count."""
        finished: list[FinishedGift] = []
        for slot, current in self._open.items():
            if (now - current.last_at).total_seconds() >= quiet_seconds:
                gift = self._unfinished(slot, current)
                if gift is not None:
                    finished.append(gift)
        return finished

    def _unfinished(self, slot: str, current: _Open) -> FinishedGift | None:
        if current.count <= current.emitted:
            return None  # already handed out at this count
        current.emitted = current.count
        key = self._key(slot, current.first)
        return self._finished(key, current.first, current.last_line, current.count, final=False)

    @staticmethod
    def _finished(key: str, first: GiftSignal, line: int, count: int, final: bool) -> FinishedGift:
        return FinishedGift(
            key=key, line=line, at=first.at, sender=first.sender, gift_id=first.gift_id,
            gift_name=first.gift_name, coins_each=first.coins_each, count=count, final=final,
        )  # fmt: skip


def merge_by_key(gifts: list[FinishedGift]) -> list[FinishedGift]:
    """One gift per key, the highest count winning (a flushed streak and its late end share a key)."""
    merged: dict[str, FinishedGift] = {}
    for gift in gifts:
        known = merged.get(gift.key)
        if known is None or gift.count > known.count:
            merged[gift.key] = gift if known is None else replace(known, count=gift.count, final=gift.final)
    return list(merged.values())
