"""Projections from the creator's own daily history: p10 / p50 / p90 of the diamonds the next days bring.

Method (a two-stage bootstrap by weekday). Each day of the basis (the last `BASIS_DAYS` local days, days without
a stream counting as zero) goes into the pool of its weekday. One simulated future: first resample each weekday's
pool with replacement (a plausible "world" the history could have come from — this carries the uncertainty of
estimating the average from few days), then draw every future day from its weekday's resampled pool and add
them up. The band is the 10th / 50th / 90th percentile of many such futures. Gift income is lumpy: one big gift
can make a month, so the band is the answer, never a lone number. A fixed seed makes the result repeatable."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from companion.domain.errors import ValidationError

#: Half a year of days: long enough for a stable weekday pattern, short enough to follow a growing channel.
BASIS_DAYS = 182
SIMULATIONS = 1000
SEED = 20250210
MAX_DAYS = 3660
PERCENTILES = (10, 50, 90)


@dataclass(frozen=True)
class DailyHistory:
    """Diamonds per local day from `first_day`, one entry per day, zeros included."""

    first_day: date
    diamonds: tuple[int, ...]

    @property
    def last_day(self) -> date:
        return self.first_day + timedelta(days=len(self.diamonds) - 1)

    def basis(self, max_days: int = BASIS_DAYS) -> DailyHistory:
        """The most recent `max_days` days."""
        keep = self.diamonds[-max_days:] if max_days > 0 else ()
        return DailyHistory(self.first_day + timedelta(days=len(self.diamonds) - len(keep)), tuple(keep))


def daily_history(first_day: date, last_day: date, by_day: dict[date, int]) -> DailyHistory:
    """Days `first_day`..`last_day` (inclusive) with the diamonds of `by_day`; missing days are zero."""
    if last_day < first_day:
        return DailyHistory(first_day, ())
    span = (last_day - first_day).days + 1
    return DailyHistory(first_day, tuple(by_day.get(first_day + timedelta(days=i), 0) for i in range(span)))


@dataclass(frozen=True)
class Band:
    """Three percentiles of a total: 1 in 10 outcomes falls below p10, 1 in 10 above p90."""

    p10: int
    p50: int
    p90: int

    def plus(self, amount: int) -> Band:
        return Band(self.p10 + amount, self.p50 + amount, self.p90 + amount)


@dataclass(frozen=True)
class Projection:
    start: date  # the first projected day
    days: int
    total: Band  # diamonds over all `days`
    path: tuple[Band, ...]  # cumulative band at the end of each day (empty unless asked for)
    basis_days: int  # how many days of history it rests on (0: no history, everything is zero)


def _percentile(ordered: Sequence[int], percent: int) -> int:
    """Nearest-rank percentile of an ascending sequence."""
    index = (percent * (len(ordered) - 1) + 50) // 100
    return ordered[index]


def _band(values: list[int]) -> Band:
    values.sort()
    return Band(*(_percentile(values, p) for p in PERCENTILES))


def _pools(basis: DailyHistory) -> list[list[int]]:
    pools: list[list[int]] = [[] for _ in range(7)]
    for offset, diamonds in enumerate(basis.diamonds):
        pools[(basis.first_day + timedelta(days=offset)).weekday()].append(diamonds)
    everything = list(basis.diamonds)
    # Under a week of history some weekdays have no day of their own: they borrow from all days.
    return [pool or everything for pool in pools]


def check_days(days: int) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise ValidationError(f"days must be a whole number from 1 to {MAX_DAYS} (got {days!r})", field="days")
    return days


def project(
    history: DailyHistory,
    start: date,
    days: int,
    *,
    with_path: bool = False,
    simulations: int = SIMULATIONS,
    seed: int = SEED,
    basis_days: int = BASIS_DAYS,
) -> Projection:
    """The band of diamonds over `days` local days from `start`, from the last `basis_days` days of `history`.
    `with_path` also gives the cumulative band at the end of each day (for a chart)."""
    check_days(days)
    if simulations < 1:
        raise ValidationError("simulations must be at least 1", field="simulations")
    basis = history.basis(basis_days)
    if not basis.diamonds:
        zero = Band(0, 0, 0)
        return Projection(start, days, zero, (zero,) * days if with_path else (), 0)
    pools = _pools(basis)
    weekdays = [(start + timedelta(days=i)).weekday() for i in range(days)]
    plan = [(w, pools[w], len(pools[w])) for w in weekdays]
    rand = random.Random(seed).random
    totals: list[int] = []
    paths: list[list[int]] = [[] for _ in range(days)] if with_path else []
    for _ in range(simulations):
        # The resampled "world" is drawn lazily. A future day picks one of its weekday's n slots; of those, d
        # were picked before (their values are in `seen`). With one uniform x in [0, n): x < n - d means a
        # fresh slot, whose value is a random day of the pool (x rescaled to [0, n) picks it); otherwise x - (n - d)
        # picks one of the d seen slots. Same distribution as resampling whole pools first, one draw a day.
        worlds: tuple[list[int], ...] = ([], [], [], [], [], [], [])
        running = 0
        cumulative: list[int] = []
        for w, pool, n in plan:
            seen = worlds[w]
            fresh = n - len(seen)
            x = rand() * n
            if x < fresh:
                j = int(x * n / fresh)
                value = pool[j if j < n else n - 1]  # j == n only through float rounding at the very edge
                seen.append(value)
            else:
                value = seen[int(x - fresh)]
            running += value
            if with_path:
                cumulative.append(running)
        totals.append(running)
        for day, value in enumerate(cumulative):
            paths[day].append(value)
    path = tuple(_band(day) for day in paths)
    return Projection(start, days, _band(totals), path, len(basis.diamonds))
