"""Goals: "US$X by date D" — how far along, and what it takes: diamonds a day, streams at your average."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_CEILING, Decimal

from companion.domain.economics import usd_per_diamond
from companion.domain.errors import ValidationError


def _ceil(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_CEILING))


@dataclass(frozen=True)
class GoalNeeds:
    """What reaching a goal takes from `today` on (today counts as a day left)."""

    reached: bool
    remaining_usd: Decimal  # 0 when reached
    diamonds: int  # more diamonds needed at the share
    days_left: int  # 0 when the due date has passed
    per_day: int | None  # diamonds a day; None when no days are left
    streams: int | None  # more streams at the average stream; None without a stream average
    possible: bool  # False when the share is 0 % or the date has passed with money still missing

    def describe(self, target_text: str, due: date) -> str:
        if self.reached:
            return f"Reached: {target_text} is in."
        if not self.possible:
            return (
                f"{target_text} by {due:%d %b %Y} can no longer be reached"
                if self.days_left == 0
                else f"{target_text} cannot be reached at a 0 % share"
            )
        parts = [f"{self.diamonds:,} more diamonds: {self.per_day:,} a day for {self.days_left} days"]
        if self.streams is not None:
            parts.append(f"about {self.streams:,} more streams at your average")
        return "; ".join(parts)


def goal_needs(
    target_usd: Decimal,
    earned_usd: Decimal,
    share_bps: int,
    today: date,
    due: date,
    average_stream_diamonds: int | None = None,
) -> GoalNeeds:
    """The goal solver. `earned_usd` counts toward the target already; `average_stream_diamonds` is the
    creator's average per stream (None or 0: no stream estimate)."""
    if target_usd <= 0:
        raise ValidationError("a goal needs an amount above 0", field="target")
    remaining = max(target_usd - earned_usd, Decimal(0))
    days_left = max((due - today).days + 1, 0)
    if remaining == 0:
        return GoalNeeds(True, Decimal(0), 0, days_left, 0, 0, True)
    per_diamond = usd_per_diamond(share_bps)
    if per_diamond == 0:
        return GoalNeeds(False, remaining, 0, days_left, None, None, False)
    diamonds = _ceil(remaining / per_diamond)
    per_day = _ceil(Decimal(diamonds) / days_left) if days_left else None
    streams = _ceil(Decimal(diamonds) / average_stream_diamonds) if average_stream_diamonds else None
    return GoalNeeds(False, remaining, diamonds, days_left, per_day, streams, days_left > 0)


def check_goal(title: str, target_minor: int, due: date, today: date) -> None:
    if isinstance(target_minor, bool) or not isinstance(target_minor, int) or target_minor <= 0:
        raise ValidationError("the goal amount must be more than 0", field="target")
    if due < today:
        raise ValidationError(f"the due date {due} is already past", field="due")
    if len(title) > 80:
        raise ValidationError("the goal title is longer than 80 characters", field="title")


@dataclass(frozen=True)
class Goal:
    id: int
    title: str
    target_minor: int  # in `currency`'s minor units
    currency: str
    due: date
    created_at: datetime  # earnings from the local day it was set on count toward it
