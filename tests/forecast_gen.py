"""Seeded daily gift histories for forecast tests and benches: weekly habits, skipped days, lognormal nights,
whale nights, trends, a level change and a break — the shapes real creators' incomes take.

    from tests.forecast_gen import FAMILY, Creator, generate
    days = generate(FAMILY["growing"], date(2024, 1, 1), 800, seed=3)   # diamonds per local day
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Creator:
    """How one creator's income behaves. Defaults: four evenings a week, one whale night in eight, flat."""

    stream_weekdays: tuple[int, ...] = (1, 3, 4, 5)  # Tue, Thu, Fri, Sat (Monday = 0)
    skip_chance: float = 0.15  # a planned evening that does not happen
    extra_chance: float = 0.04  # an unplanned stream on another day
    night_median: int = 1500  # diamonds on a typical night at the start
    night_sigma: float = 0.8  # lognormal spread of ordinary nights
    weekend_boost: float = 1.6  # Fri / Sat nights earn more
    whale_chance: float = 1 / 8  # a night with one big gifter
    whale_median: float = 8.0  # a whale night adds about this many typical nights ...
    whale_sigma: float = 0.6  # ... with its own lognormal spread
    trend_per_year: float = 0.0  # +0.6: income grows 60 % a year; -0.4: shrinks 40 % a year
    level_change_at: float | None = None  # fraction of the span where income jumps ...
    level_change: float = 1.0  # ... by this factor
    break_at: float | None = None  # fraction of the span where a 3-week break starts
    break_days: int = 21


FAMILY: dict[str, Creator] = {
    "flat": Creator(),
    "growing": Creator(trend_per_year=0.6),
    "shrinking": Creator(trend_per_year=-0.4),
    "whales": Creator(whale_chance=1 / 8, whale_median=15.0, whale_sigma=0.9, night_sigma=0.6),
    "level-change": Creator(level_change_at=0.7, level_change=0.5),
    "break": Creator(break_at=0.8),
    "daily": Creator(stream_weekdays=(0, 1, 2, 3, 4, 5, 6), skip_chance=0.3, whale_chance=1 / 20),
}


def generate(creator: Creator, first_day: date, days: int, seed: int) -> list[int]:
    """Diamonds for each of `days` local days from `first_day` (zeros on days without a stream)."""
    rng = random.Random(seed)
    growth = math.log1p(creator.trend_per_year) / 365 if creator.trend_per_year else 0.0
    change_day = None if creator.level_change_at is None else int(creator.level_change_at * days)
    break_day = None if creator.break_at is None else int(creator.break_at * days)
    out = []
    for i in range(days):
        weekday = (first_day + timedelta(days=i)).weekday()
        planned = weekday in creator.stream_weekdays
        live = rng.random() >= creator.skip_chance if planned else rng.random() < creator.extra_chance
        if break_day is not None and break_day <= i < break_day + creator.break_days:
            live = False
        if not live:
            out.append(0)
            continue
        level = creator.night_median * math.exp(growth * i)
        if change_day is not None and i >= change_day:
            level *= creator.level_change
        if weekday in (4, 5):
            level *= creator.weekend_boost
        night = level * rng.lognormvariate(0.0, creator.night_sigma)
        if rng.random() < creator.whale_chance:
            night += level * creator.whale_median * rng.lognormvariate(0.0, creator.whale_sigma)
        out.append(int(night))
    return out
