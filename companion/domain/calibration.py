"""Forecast bands calibrated on the creator's own past: backtest, then widen or shift until p10–p90 held 8 in 10.

Point forecast: a recency-weighted daily average (an exponentially weighted mean of the days before the origin,
half-life chosen by the backtest) times the days ahead, each day weighted by its weekday's share of income (a
slower weighted mean per weekday). Calibration (split-conformal on a multiplicative scale): at every past day with
`WARMUP_DAYS` of history before it, forecast the next N days and keep the error r = ln((actual + c) / (forecast
+ c)), c a small offset so that an empty stretch stays finite. The band for the future is the forecast scaled by
the 10th / 50th / 90th percentiles of those errors: a trend the average lags behind shows up as a shift, a
heavy tail (whale nights) as a wide upper side — nothing is trimmed. Coverage is then measured honestly: for each
of the last non-overlapping N-day stretches, the band as it would have been drawn then (from the errors known
then) and whether the real total fell inside.

Too little history (fewer than `MIN_WINDOWS` independent N-day stretches to learn from) gets the plain bootstrap
of domain/projection.py drawn wider, labelled rough. Floats here only shape the band; totals are whole diamonds."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from companion.domain.projection import Band, DailyHistory, Projection, check_days, project

#: Days of history an origin needs before its forecast counts in the backtest.
WARMUP_DAYS = 28
#: Independent stretches (origins ÷ horizon) needed before the band is called calibrated.
MIN_WINDOWS = 6
#: The backtest learns from at most this much history (3 years): older income says little, and it bounds the time.
MAX_HISTORY_DAYS = 3 * 366
#: Half-lives (days) the backtest chooses from: how fast the average forgets.
HALF_LIVES = (14, 28, 56, 112)
#: The weekday shares forget slowly: a weekly habit changes less than the level.
WEEKDAY_HALF_LIFE = 182
#: Offset for empty stretches, as a share of an average stretch's income.
OFFSET_SHARE = 0.05
#: A rough band (too little history) stretches the bootstrap's log-distance from the middle by this much.
ROUGH_STRETCH = 1.6
#: The most recent stretches whose outcome the coverage line reports.
COVERAGE_WINDOWS = 24
LOW, HIGH = 0.10, 0.90
#: How much a band widens for want of independent stretches (see `_bounds`).
SMALL_SAMPLE = 1.0

_SAME = 1e-9  # errors this close to a bound are on it (float noise of a constant history)

CALIBRATED, ROUGH, EMPTY = "calibrated", "rough", "no-history"


@dataclass(frozen=True)
class Coverage:
    """How often the band as drawn back then held the real total, over the last non-overlapping stretches."""

    held: int
    of: int
    days: int  # each stretch's length (the horizon)
    below: int = 0  # misses under p10
    above: int = 0  # misses over p90


@dataclass(frozen=True)
class Forecast:
    projection: Projection
    status: str  # CALIBRATED, ROUGH or EMPTY
    coverage: Coverage | None  # None when there was too little history to measure
    biggest_day: int  # the biggest single day of the history, in diamonds (what one big night can add)
    half_life: int | None  # the half-life the backtest chose (None unless calibrated)


def _quantile(ordered: Sequence[float], q: float) -> float:
    """Linear-interpolated quantile of an ascending sequence."""
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class _Backtest:
    """The rolling-origin errors of one half-life at one horizon."""

    half_life: int
    offset: float
    errors: list[float]  # errors[k]: origin `WARMUP_DAYS + k`
    forecast: float  # the point forecast from the end of the history


class _Past:
    """The history as the backtest reads it: running totals, and for every origin i (0..n) the weekday factors
    learnt from the days before i (7 × that weekday's share of income; all 1 before any income)."""

    def __init__(self, values: Sequence[int], first_weekday: int) -> None:
        self.values = values
        self.n = n = len(values)
        self.first_weekday = first_weekday
        self.prefix = prefix = [0] * (n + 1)
        keep_week = 0.5 ** (7 / WEEKDAY_HALF_LIFE)
        sums, weights, means = [0.0] * 7, [0.0] * 7, [0.0] * 7
        flat = (1.0,) * 7
        self.factors: list[tuple[float, ...]] = [flat]
        for i, diamonds in enumerate(values):
            prefix[i + 1] = prefix[i] + diamonds
            w = (first_weekday + i) % 7
            sums[w] = sums[w] * keep_week + diamonds
            weights[w] = weights[w] * keep_week + 1.0
            means[w] = sums[w] / weights[w]
            whole = sum(means)
            self.factors.append(tuple(7 * x / whole for x in means) if whole > 0 and i >= 6 else flat)
        self._spans: dict[int, list[float]] = {}
        self._levels: dict[int, list[float]] = {}

    def spans(self, horizon: int) -> list[float]:
        """For every origin: the horizon in "average days" (weeks count 7; a leftover day its weekday factor)."""
        if horizon not in self._spans:
            weeks, rest = divmod(horizon, 7)
            if rest == 0:
                self._spans[horizon] = [7.0 * weeks] * (self.n + 1)
            else:
                self._spans[horizon] = [self.span_at(origin, horizon) for origin in range(self.n + 1)]
        return self._spans[horizon]

    def span_at(self, origin: int, horizon: int) -> float:
        weeks, rest = divmod(horizon, 7)
        f, w0 = self.factors[origin], self.first_weekday + origin
        return 7 * weeks + sum(f[(w0 + k) % 7] for k in range(rest))

    def levels(self, half_life: int) -> list[float]:
        """For every origin: the exponentially weighted daily average of the days before it."""
        if half_life not in self._levels:
            keep = 0.5 ** (1 / half_life)
            total = weight = 0.0
            out = [0.0]
            for diamonds in self.values:
                total = total * keep + diamonds
                weight = weight * keep + 1.0
                out.append(total / weight)
            self._levels[half_life] = out
        return self._levels[half_life]

    def offset(self, horizon: int) -> float:
        return max(1.0, OFFSET_SHARE * self.prefix[self.n] / self.n * horizon)

    def backtest(self, horizon: int, half_life: int) -> _Backtest:
        levels, spans, prefix, log = self.levels(half_life), self.spans(horizon), self.prefix, math.log
        c = self.offset(horizon)
        errors = [
            log((prefix[o + horizon] - prefix[o] + c) / (levels[o] * spans[o] + c))
            for o in range(WARMUP_DAYS, self.n - horizon + 1)
        ]
        return _Backtest(half_life, c, errors, levels[self.n] * spans[self.n])


def _bounds(ordered: Sequence[float], horizon: int) -> tuple[float, float, float]:
    """The 10th / 50th / 90th percentiles of the errors, the outer two pushed out from the middle by
    `SMALL_SAMPLE` ÷ the number of independent stretches: overlapping windows repeat the same few stretches, and a
    percentile of few stretches is too narrow more often than too wide."""
    low, mid, high = _quantile(ordered, LOW), _quantile(ordered, 0.5), _quantile(ordered, HIGH)
    widen = 1 + SMALL_SAMPLE * horizon / len(ordered)
    return mid - (mid - low) * widen, mid, mid + (high - mid) * widen


def _band(forecast: float, offset: float, bounds: tuple[float, float, float]) -> Band:
    low, mid, high = ((forecast + offset) * math.exp(b) - offset for b in bounds)
    return Band(max(0, round(low)), max(0, round(mid)), max(0, round(high)))


def _coverage(test: _Backtest, horizon: int, n: int) -> Coverage:
    """Walk back from the end in non-overlapping stretches; judge each with the errors known at its origin."""
    held = below = above = of = 0
    origin = n - horizon
    while of < COVERAGE_WINDOWS:
        known = origin - horizon + 1 - WARMUP_DAYS  # errors whose stretch ended before `origin`
        if known < (MIN_WINDOWS - 1) * horizon:  # so that a calibrated band always has its latest stretch judged
            break
        low, _, high = _bounds(sorted(test.errors[:known]), horizon)
        error = test.errors[origin - WARMUP_DAYS]
        of += 1
        if error < low - _SAME:
            below += 1
        elif error > high + _SAME:
            above += 1
        else:
            held += 1
        origin -= horizon
    return Coverage(held, of, horizon, below, above)


def _rough(history: DailyHistory, start: date, days: int, with_path: bool) -> Projection:
    """The bootstrap band, stretched on a log scale around its middle: few days of history under-state the spread."""
    raw = project(history, start, days, with_path=with_path)
    offset = max(1.0, OFFSET_SHARE * raw.total.p50)

    def stretch(band: Band) -> Band:
        mid = band.p50 + offset
        low = mid * ((band.p10 + offset) / mid) ** ROUGH_STRETCH - offset
        high = mid * ((band.p90 + offset) / mid) ** ROUGH_STRETCH - offset
        return Band(max(0, round(low)), band.p50, max(band.p50, round(high)))

    return Projection(raw.start, raw.days, stretch(raw.total), tuple(stretch(b) for b in raw.path), raw.basis_days)


def forecast(history: DailyHistory, start: date, days: int, *, with_path: bool = False) -> Forecast:
    """The band of diamonds over `days` local days from `start` (the day after `history` ends), calibrated on
    `history` when it is long enough, rough (wider) otherwise."""
    check_days(days)
    recent = history.basis(MAX_HISTORY_DAYS)
    values = recent.diamonds
    biggest = max(values, default=0)
    n = len(values)
    if n == 0:
        zero = Band(0, 0, 0)
        return Forecast(Projection(start, days, zero, (zero,) * days if with_path else (), 0), EMPTY, None, 0, None)
    if n - WARMUP_DAYS - days + 1 < MIN_WINDOWS * days:
        return Forecast(_rough(history, start, days, with_path), ROUGH, None, biggest, None)
    past = _Past(values, recent.first_day.weekday())
    best: tuple[float, _Backtest] | None = None
    for half_life in HALF_LIVES:
        test = past.backtest(days, half_life)
        low, _, high = _bounds(sorted(test.errors), days)
        if best is None or high - low < best[0]:
            best = (high - low, test)
    assert best is not None
    test = best[1]
    total = _band(test.forecast, test.offset, _bounds(sorted(test.errors), days))
    path = _path(past, days, test, total) if with_path else ()
    projection = Projection(start, days, total, path, n)
    return Forecast(projection, CALIBRATED, _coverage(test, days, n), biggest, test.half_life)


def _path(past: _Past, days: int, test: _Backtest, total: Band) -> tuple[Band, ...]:
    """The cumulative band at the end of each day: calibrated at a few horizons, the error percentiles
    interpolated between them, so a chart costs a handful of backtests, not one a day."""
    knots = sorted({h for h in (1, 3, 7, 14) if h < days} | {days})
    bounds = {days: _bounds(sorted(test.errors), days)}
    for h in knots[:-1]:
        bounds[h] = _bounds(sorted(past.backtest(h, test.half_life).errors), h)
    level = past.levels(test.half_life)[past.n]
    out = []
    for d in range(1, days + 1):
        right = next(h for h in knots if h >= d)
        left = max((h for h in knots if h <= d), default=right)
        t = 0.0 if right == left else (d - left) / (right - left)
        low, mid, high = (x + (y - x) * t for x, y in zip(bounds[left], bounds[right], strict=True))
        out.append(_band(level * past.span_at(past.n, d), past.offset(d), (low, mid, high)))
    out[-1] = total
    return tuple(out)
