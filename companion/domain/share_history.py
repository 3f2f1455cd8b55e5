"""The profile's share as a timeline: which scheme and level (or per-LIVE rules) was in force on each local day."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from companion.domain.economics import check_share_bps, share_percent_text
from companion.domain.errors import ValidationError

MAX_PERIODS = 200


@dataclass(frozen=True)
class SharePeriod:
    """From local date `effective_from` until the next period: a fixed `share_bps`, or (None) the per-LIVE rules
    of the scheme `scheme_key`. `level_name` is None for rules or a custom split typed as a bare share."""

    effective_from: date
    scheme_key: str
    level_name: str | None
    share_bps: int | None

    @property
    def rule_based(self) -> bool:
        return self.share_bps is None

    def label(self) -> str:
        if self.share_bps is None:
            return f"{self.scheme_key}: per-LIVE rules"
        level = f" {self.level_name}" if self.level_name else ""
        return f"{self.scheme_key}{level} ({share_percent_text(self.share_bps)} %)"


@dataclass(frozen=True)
class StreamShareSetting:
    """What the creator set on one stream: an override share (None: the rules decide), a breach deduction."""

    share_bps: int | None = None
    breach_bps: int = 0
    note: str = ""


def check_timeline(periods: Iterable[SharePeriod]) -> tuple[SharePeriod, ...]:
    """Sorted by date; at least one; one period per date; shares 0–100 %."""
    checked = sorted(periods, key=lambda p: p.effective_from)
    if not checked:
        raise ValidationError("the share history needs at least one entry", field="share_history")
    if len(checked) > MAX_PERIODS:
        raise ValidationError(f"the share history has at most {MAX_PERIODS} entries", field="share_history")
    for before, after in pairwise(checked):
        if before.effective_from == after.effective_from:
            raise ValidationError(f"two share entries start on {after.effective_from}", field="share_history")
    for period in checked:
        if not period.scheme_key.strip():
            raise ValidationError(f"the entry from {period.effective_from} has no scheme", field="share_history")
        if period.share_bps is not None:
            check_share_bps(period.share_bps)
    return tuple(checked)


def in_force(periods: Sequence[SharePeriod], day: date) -> SharePeriod | None:
    """The period in force on `day`; before the first period, the first one (history starts with the first gift)."""
    found = periods[0] if periods else None
    for period in periods:
        if period.effective_from <= day:
            found = period
    return found


def spans(
    periods: Sequence[SharePeriod], first: date | None, last: date | None
) -> list[tuple[SharePeriod, date | None, date | None]]:
    """The periods that cover local days `first`..`last` (None: open), each with the local days it covers there:
    [from, until) with None for an open side."""
    out: list[tuple[SharePeriod, date | None, date | None]] = []
    end_exclusive = last + timedelta(days=1) if last is not None else None
    for index, period in enumerate(periods):
        begin: date | None = None if index == 0 else period.effective_from
        until = periods[index + 1].effective_from if index + 1 < len(periods) else None
        lo = begin if first is None else (first if begin is None else max(first, begin))
        hi = until if end_exclusive is None else (end_exclusive if until is None else min(until, end_exclusive))
        if lo is not None and hi is not None and lo >= hi:
            continue
        out.append((period, lo, hi))
    return out
