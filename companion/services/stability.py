"""Income stability in plain words: how much weeks differ, how much rests on the biggest gifters, and a gentle
flag when one gifter suddenly spends far above their own habit (the creator's side of overspending)."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

from companion.domain.timeutil import local_midnight_utc, to_local, zone
from companion.store.db import Database
from companion.store.insights import InsightsRepo
from companion.store.repositories import GiftRepo, ProfileRepo

WEEKS = 12
CONCENTRATION_DAYS = 90
#: A gifter is flagged when the last 7 days reach this many times their usual week (the median of their
#: active weeks) and also beat every earlier week of theirs, and the sum is big enough to matter.
JUMP_FACTOR = 5
JUMP_MIN_DIAMONDS = 5_000
JUMP_MIN_HISTORY_WEEKS = 3
JUMPS_SHOWN = 3


@dataclass(frozen=True)
class WeekToWeek:
    weeks: list[tuple[date, int]]  # (Monday, diamonds) of the last complete weeks, oldest first
    mean: Decimal
    variation_percent: int | None  # coefficient of variation, whole percent; None without enough weeks
    words: str


@dataclass(frozen=True)
class Concentration:
    total: int
    top1: tuple[str, int] | None
    top1_percent: int
    top5_percent: int
    words: str


@dataclass(frozen=True)
class SpendingJump:
    sender: str
    recent: int  # diamonds in the last 7 days
    usual: int  # their median active week before that
    words: str


@dataclass(frozen=True)
class Stability:
    week_to_week: WeekToWeek
    concentration: Concentration
    jumps: list[SpendingJump]

    @property
    def jumps_words(self) -> str:
        """The gentle flag: who jumped, then one kind suggestion (not repeated per gifter)."""
        if not self.jumps:
            return ""
        shown = self.jumps[:JUMPS_SHOWN]  # the biggest few: a gentle note, not a list to police
        lines = "\n".join(f"• {jump.words}" for jump in shown)
        if len(self.jumps) > len(shown):
            lines += f"\n• and {len(self.jumps) - len(shown)} more gifters above their usual this week"
        return (
            f"{lines}\nBig gifts are welcome. If this seems out of character for someone, a kind word that nobody "
            "needs to spend beyond their means goes a long way."
        )


def _percent(part: int, whole: int) -> int:
    if whole <= 0:
        return 0
    return int((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def describe_weeks(weeks: list[tuple[date, int]]) -> WeekToWeek:
    values = [d for _, d in weeks]
    active = [v for v in values if v > 0]
    if len(active) < 3:
        return WeekToWeek(weeks, Decimal(0), None, "Not enough weeks with gifts yet to say how steady your income is.")
    mean = Decimal(sum(values)) / len(values)
    spread = (sum((Decimal(v) - mean) ** 2 for v in values) / Decimal(len(values))).sqrt()
    cv = int((spread * 100 / mean).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)) if mean else 0
    if cv < 15:
        feel = "steady: most weeks are close to your average"
    elif cv < 35:
        feel = "fairly steady, with some ups and downs"
    elif cv < 60:
        feel = "uneven: good and quiet weeks differ a lot"
    else:
        feel = "very uneven: a few big weeks carry the rest"
    low, high = min(values), max(values)
    words = (
        f"Over the last {len(values)} weeks your income was {feel}. Weeks ranged from {low:,} to {high:,} "
        f"diamonds; a typical week is within about {cv} % of the average."
    )
    return WeekToWeek(weeks, mean, cv, words)


def describe_concentration(senders: list[tuple[str, int]], days: int) -> Concentration:
    total = sum(d for _, d in senders)
    named = [(s, d) for s, d in senders if s]
    if total <= 0 or not named:
        return Concentration(total, None, 0, 0, f"No gifts from named gifters in the last {days} days.")
    top1 = named[0]
    p1 = _percent(top1[1], total)
    p5 = _percent(sum(d for _, d in named[:5]), total)
    if p1 >= 50:
        note = "one person carries most of your income; a change in their habits would be felt"
    elif p5 >= 60:
        note = "a handful of regulars carry most of your income"
    elif p5 >= 30:
        note = "a few regulars give a large part of it, and the rest comes from many gifters"
    else:
        note = "your income is spread over many gifters"
    words = f"In the last {days} days {top1[0]} gave {p1} % of your diamonds and your top 5 gifters {p5} %: {note}."
    return Concentration(total, top1, p1, p5, words)


def find_jumps(windows: list[tuple[str, int, int]], recent_index: int) -> list[SpendingJump]:
    """`windows`: (sender, 7-day window index, diamonds); `recent_index` is the last 7 days."""
    history: dict[str, dict[int, int]] = {}
    for sender, index, diamonds in windows:
        if sender:
            history.setdefault(sender, {})[index] = diamonds
    jumps = []
    for sender, weeks in history.items():
        recent = weeks.get(recent_index, 0)
        before = [d for i, d in weeks.items() if i < recent_index and d > 0]
        if recent < JUMP_MIN_DIAMONDS or len(before) < JUMP_MIN_HISTORY_WEEKS:
            continue
        usual = int(statistics.median(before))
        if recent >= JUMP_FACTOR * usual and recent > max(before):
            words = f"{sender} sent {recent:,} diamonds in the last 7 days, far above their usual {usual:,} a week."
            jumps.append(SpendingJump(sender, recent, usual, words))
    return sorted(jumps, key=lambda j: j.recent, reverse=True)


class StabilityService:
    def __init__(self, db: Database, profile_id: int, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.profile_id = profile_id
        self.clock = clock

    def overview(self) -> Stability:
        now = self.clock()
        with self.db.session() as s:
            profile = ProfileRepo(s).get(self.profile_id)
            tz = zone(profile.time_zone)
            today = to_local(now, tz).date()
            this_monday = today - timedelta(days=today.weekday())
            mondays = [this_monday - timedelta(weeks=WEEKS - i) for i in range(WEEKS)]
            gifts = GiftRepo(s)
            weeks = [
                (
                    monday,
                    gifts.totals(
                        self.profile_id,
                        local_midnight_utc(monday, tz),
                        local_midnight_utc(monday + timedelta(days=7), tz),
                    ).diamonds,
                )
                for monday in mondays
            ]
            insights = InsightsRepo(s)
            senders = insights.sender_totals(self.profile_id, now - timedelta(days=CONCENTRATION_DAYS), None)
            # 7-day windows ending now: index WEEKS is the last 7 days, 0..WEEKS-1 the weeks before
            window_ms = 7 * 86_400_000
            windows = insights.sender_windows(self.profile_id, now - timedelta(weeks=WEEKS + 1), window_ms)
        return Stability(
            describe_weeks(weeks), describe_concentration(senders, CONCENTRATION_DAYS), find_jumps(windows, WEEKS)
        )
