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
from datetime import datetime, timedelta

from companion.domain.catalog import gift_key

#: An end event with the ended streak's count this soon after it is that end sent again, not a new streak.
REPEATED_END = timedelta(seconds=5)


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


def streak_key(signal: GiftSignal, round_: int = 1) -> str:
    """Which streak an event belongs to: sender + gift + TikTok's group id (a new group is a new streak); a
    group id used again after its streak ended is a new streak, its `round_` counting from 2."""
    parts = ("streak", signal.sender, _gift_identity(signal), signal.group_id)
    return "ev:" + _digest(*parts, *((str(round_),) if round_ > 1 else ()))


def _content(signal: GiftSignal) -> int:
    """What an event says (everything but where it was read): two deliveries of one event say the same."""
    return hash(replace(signal, line=0))


def single_key(signal: GiftSignal) -> str:
    return "ev:" + _digest("msg", signal.msg_id)


class StreakCollector:
    """Feed gift events in arrival order; get finished gifts back. Not thread-safe: one owner feeds it."""

    def __init__(self) -> None:
        self._seen_msgs: dict[str, int] = {}  # msg_id → what it said (`_content`)
        self._open: dict[str, _Open] = {}
        # grouped streaks that ended: group → (time of their last event, round, final count); what comes after
        # in the same group is a late or repeated event of that streak, or the group's next streak
        self._closed: dict[str, tuple[datetime, int, int]] = {}
        self._round: dict[str, int] = {}  # group slot → its current round (only groups reused after an end)
        #: Lines of events whose msg_id came before with different content (the first is kept).
        self.conflicts: list[int] = []

    @property
    def open_streaks(self) -> int:
        return len(self._open)

    def feed(self, signal: GiftSignal) -> list[FinishedGift]:
        content = _content(signal)
        known = self._seen_msgs.get(signal.msg_id)
        if known is not None:
            if known != content:
                self.conflicts.append(signal.line)  # same id, different event: keep the first, say so
            return []  # the same event delivered twice
        self._seen_msgs[signal.msg_id] = content
        if not signal.streakable:
            return [self._finished(single_key(signal), signal, signal.line, signal.repeat_count, final=True)]
        grouped = bool(signal.group_id)
        slot = self._group_slot(signal) if grouped else "slot:" + _digest(signal.sender, _gift_identity(signal))
        if slot is None:
            return []  # a late or repeated event of a streak already counted at its end
        if signal.repeat_end:
            current = self._open.pop(slot, None)
            count = max(signal.repeat_count, current.count if current else 0)
            first = current.first if current else signal
            if grouped:
                last_at = max(signal.at, current.last_at) if current else signal.at
                base = streak_key(signal)
                self._closed[base] = (last_at, self._round.get(base, 1), count)
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

    def _group_slot(self, signal: GiftSignal) -> str | None:
        """The slot (and key) of a grouped event's streak, or None for a late or repeated event of one that
        ended. TikTok reuses a group id now and then: what follows the end of its group's streak — later than
        its last event, and not the end sent again (same count, within REPEATED_END) — opens the next round."""
        base = streak_key(signal)
        closed = self._closed.get(base)
        if closed is None:
            return streak_key(signal, self._round.get(base, 1))
        ended_at, round_, final = closed
        if signal.at <= ended_at:
            return None
        if signal.repeat_end and signal.repeat_count == final and signal.at - ended_at <= REPEATED_END:
            return None
        del self._closed[base]
        self._round[base] = round_ + 1
        return streak_key(signal, round_ + 1)

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
