"""Projections in money: the next days and the month's end as a p10–p90 band, and what-if under every level.

History is the creator's own: diamonds per local day (the profile's time zone), days without a stream counting
as zero, complete days only (up to yesterday). Today's gifts so far count as earned, not as history. Bands are
calibrated on that history (domain/calibration.py) and carry what the backtest measured: how many of the last
past stretches of the same length the band, as drawn back then, held."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal

from companion.domain.calibration import CALIBRATED, EMPTY, MAX_HISTORY_DAYS, ROUGH, Coverage, Forecast, forecast
from companion.domain.economics import cash_for_diamonds
from companion.domain.money import money_text
from companion.domain.projection import BASIS_DAYS, Band, DailyHistory, daily_history
from companion.domain.schemes import Level
from companion.domain.timeutil import local_midnight_utc, to_local, zone
from companion.services.economics import Display, EconomicsService
from companion.store.db import Database
from companion.store.economics_repo import PayoutRepo
from companion.store.insights import InsightsRepo
from companion.store.repositories import GiftRepo, ProfileRepo

DEFAULT_DAYS = 30
#: Forecasts kept per service (history + start + days → result): the Payouts page asks for the month twice.
_CACHED = 8


@dataclass(frozen=True)
class CashBand:
    """A band in money, each percentile converted from unrounded US dollars and rounded once."""

    p10: Decimal
    p50: Decimal
    p90: Decimal


def _stretches(days: int, count: int) -> str:
    if days == 7:
        return "week" if count == 1 else "weeks"
    if days == 1:
        return "day" if count == 1 else "days"
    return f"stretch{'' if count == 1 else 'es'} of {days} days"


def coverage_line(calibration: str, coverage: Coverage | None, basis_days: int) -> str:
    """What the range rests on, in words: how often it held in the creator's own past, or why it is rough."""
    if calibration == CALIBRATED and coverage is not None and coverage.of:
        misses = ""
        if coverage.below or coverage.above:
            misses = f" ({coverage.below} ended below it, {coverage.above} above)"
        return (
            f"In your history, a range drawn this way held {coverage.held} of your last {coverage.of} "
            f"{_stretches(coverage.days, coverage.of)}{misses}."
        )
    if calibration == ROUGH:
        return (
            f"Rough range: only {basis_days} days of history, too few to check it against your own past, "
            "so it is drawn wider."
        )
    return ""


def cash_band(band: Band, share_bps: int, display: Display) -> CashBand:
    return CashBand(*(display.cash(d, share_bps) for d in (band.p10, band.p50, band.p90)))


@dataclass(frozen=True)
class ProjectionView:
    """The next `days` local days from `start` (tomorrow): diamonds and cash at the profile's share."""

    start: date
    days: int
    diamonds: Band
    cash: CashBand  # in `currency`
    currency: str
    share_bps: int
    basis_days: int
    path: tuple[Band, ...]  # cumulative diamonds band at the end of each day (when asked for)
    note: str  # the display currency's note ("" when nothing to say)
    calibration: str = EMPTY  # "calibrated", "rough" (too little history: a wider band) or "no-history"
    coverage: Coverage | None = None  # what the backtest measured (None: too little history to measure)
    biggest_day: Decimal = Decimal(0)  # cash of the best single day so far: what one big night can add

    def as_json(self) -> dict[str, object]:
        """The public `project --json` shape: money as strings in the display currency. `coverage` counts the
        last non-overlapping past stretches of `days` days whose real total the band (as drawn then) held;
        {"held": 0, "of": 0} when the history was too short to measure any."""
        coverage = self.coverage or Coverage(0, 0, self.days)
        return {
            "days": self.days,
            "p10": money_text(self.cash.p10, self.currency),
            "p50": money_text(self.cash.p50, self.currency),
            "p90": money_text(self.cash.p90, self.currency),
            "currency": self.currency,
            "basis_days": self.basis_days,
            "coverage": {"held": coverage.held, "of": coverage.of, "below": coverage.below, "above": coverage.above},
            "calibration": self.calibration,
            "biggest_day": money_text(self.biggest_day, self.currency),
        }


@dataclass(frozen=True)
class MonthView:
    """This month: earned so far (today included) and where the month's end will probably land."""

    month: date  # first day of the month
    today: date
    earned_diamonds: int
    earned: Decimal
    end_diamonds: Band  # earned + the rest of the month's band
    end: CashBand
    days_left: int  # full days after today
    currency: str
    share_bps: int
    basis_days: int
    path: tuple[Band, ...]  # cumulative month total at the end of each remaining day
    note: str
    earned_path: tuple[Decimal, ...] = ()  # cumulative cash at the end of each day from the 1st to today
    cash_path: tuple[CashBand, ...] = ()  # `path` in cash
    calibration: str = EMPTY  # of the band of the remaining days (see ProjectionView)
    coverage: Coverage | None = None  # past stretches of `days_left` days the band held
    biggest_day: Decimal = Decimal(0)

    def chart_points(self) -> tuple[list[tuple[date, Decimal]], list[tuple[date, Decimal, Decimal, Decimal]]]:
        """(day, cash so far) up to today and (day, p10, p50, p90) for each day after, for a chart."""
        earned = [(self.month + timedelta(days=i), cash) for i, cash in enumerate(self.earned_path)]
        band = [(self.today + timedelta(days=i + 1), b.p10, b.p50, b.p90) for i, b in enumerate(self.cash_path)]
        return earned, band


@dataclass(frozen=True)
class WhatIfRow:
    """The same diamonds under one level of the scheme."""

    level: Level
    current: bool
    this_month: Decimal
    last_month: Decimal
    last_90_days: Decimal
    month_end: CashBand


@dataclass(frozen=True)
class WhatIf:
    rows: list[WhatIfRow]
    currency: str
    diamonds_this_month: int
    diamonds_last_month: int
    diamonds_last_90_days: int


def _month_bounds(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    return first, first.replace(day=calendar.monthrange(day.year, day.month)[1])


class ProjectionService:
    def __init__(
        self, db: Database, profile_id: int, clock: Callable[[], datetime], economics: EconomicsService
    ) -> None:
        self.db = db
        self.profile_id = profile_id
        self.clock = clock
        self.economics = economics
        self._forecasts: dict[tuple[DailyHistory, date, int], Forecast] = {}

    def _tz(self) -> tzinfo | None:
        with self.db.session() as s:
            return zone(ProfileRepo(s).get(self.profile_id).time_zone)

    def today(self) -> date:
        return to_local(self.clock(), self._tz()).date()

    def history(self, last: date | None = None, max_days: int = BASIS_DAYS) -> DailyHistory:
        """Diamonds per local day over at most `max_days` days ending `last` (default: yesterday), from the day
        of the first gift on; days without gifts are zero."""
        tz = self._tz()
        end_day = last if last is not None else to_local(self.clock(), tz).date() - timedelta(days=1)
        with self.db.session() as s:
            first_gift = PayoutRepo(s).first_gift(self.profile_id)
        if first_gift is None:
            return DailyHistory(end_day + timedelta(days=1), ())
        first = max(to_local(first_gift, tz).date(), end_day - timedelta(days=max_days - 1))
        return self.days(first, end_day)

    def days(self, first: date, last: date) -> DailyHistory:
        """Diamonds of every local day `first`..`last`, zeros included."""
        tz = self._tz()
        start, end = local_midnight_utc(first, tz), local_midnight_utc(last + timedelta(days=1), tz)
        with self.db.session() as s:
            buckets = InsightsRepo(s).quarter_hours(self.profile_id, start, end)
        by_day: dict[date, int] = {}
        for moment, diamonds in buckets:
            day = to_local(moment, tz).date()
            by_day[day] = by_day.get(day, 0) + diamonds
        return daily_history(first, last, by_day)

    def forecast(self, today: date, days: int, with_path: bool = False) -> Forecast:
        """The calibrated band of `days` days from tomorrow, on the history up to yesterday, kept per data
        version: the key is the history itself, so a new gift (or a new day) makes a new one."""
        history = self.history(today - timedelta(days=1), MAX_HISTORY_DAYS)
        start = today + timedelta(days=1)
        key = (history, start, days)
        kept = self._forecasts.get(key)
        if kept is None or (with_path and not kept.projection.path):
            kept = forecast(history, start, days, with_path=with_path)
            if len(self._forecasts) >= _CACHED:
                self._forecasts.pop(next(iter(self._forecasts)))
            self._forecasts[key] = kept
        return kept

    def project(self, days: int = DEFAULT_DAYS, with_path: bool = False) -> ProjectionView:
        """The next `days` full local days (from tomorrow) as a p10 / p50 / p90 band, in the display currency."""
        today = self.today()
        calibrated = self.forecast(today, days, with_path)
        result = calibrated.projection
        share = self.economics.share_bps()
        display = self.economics.display()
        return ProjectionView(
            result.start, days, result.total, cash_band(result.total, share, display), display.currency, share,
            result.basis_days, result.path if with_path else (), display.note, calibrated.status,
            calibrated.coverage, display.cash(calibrated.biggest_day, share),
        )  # fmt: skip

    def _earned(self, first: date, last: date) -> int:
        tz = self._tz()
        start, end = local_midnight_utc(first, tz), local_midnight_utc(last + timedelta(days=1), tz)
        with self.db.session() as s:
            return GiftRepo(s).totals(self.profile_id, start, end).diamonds

    def _month_projection(self, today: date, with_path: bool) -> tuple[int, Forecast | None, date]:
        first, last = _month_bounds(today)
        earned = self._earned(first, today)
        days_left = (last - today).days
        if days_left == 0:
            return earned, None, first
        return earned, self.forecast(today, days_left, with_path), first

    def month(self, with_path: bool = True) -> MonthView:
        """Month to date and the month-end band (earned so far + the band of the remaining full days)."""
        today = self.today()
        earned, calibrated, first = self._month_projection(today, with_path)
        rest = calibrated.projection if calibrated is not None else None
        share = self.economics.share_bps()
        display = self.economics.display()
        end = rest.total.plus(earned) if rest is not None else Band(earned, earned, earned)
        path = tuple(b.plus(earned) for b in rest.path) if rest is not None else ()
        running, earned_path = 0, []
        for diamonds in self.days(first, today).diamonds if with_path else ():
            running += diamonds
            earned_path.append(display.cash(running, share))
        return MonthView(
            first, today, earned, display.cash(earned, share), end,
            cash_band(end, share, display), rest.days if rest else 0, display.currency, share,
            rest.basis_days if rest else len(self.history(today - timedelta(days=1)).diamonds), path, display.note,
            tuple(earned_path), tuple(cash_band(b, share, display) for b in path),
            calibrated.status if calibrated else EMPTY, calibrated.coverage if calibrated else None,
            display.cash(calibrated.biggest_day if calibrated else 0, share),
        )  # fmt: skip

    def what_if(self) -> WhatIf:
        """The same history under every level of the profile's scheme, side by side (current level marked)."""
        today = self.today()
        first, _ = _month_bounds(today)
        prev_first, prev_last = _month_bounds(first - timedelta(days=1))
        this_month = self._earned(first, today)
        last_month = self._earned(prev_first, prev_last)
        last_90 = self._earned(today - timedelta(days=89), today)
        earned, rest, _ = self._month_projection(today, with_path=False)
        end = rest.projection.total.plus(earned) if rest is not None else Band(earned, earned, earned)
        display = self.economics.display()
        current = self.economics.current_level()
        rows = []
        for level in self.economics.levels():
            this, last, ninety = (display.cash(d, level.share_bps) for d in (this_month, last_month, last_90))
            band = cash_band(end, level.share_bps, display)
            rows.append(WhatIfRow(level, level == current, this, last, ninety, band))
        return WhatIf(rows, display.currency, this_month, last_month, last_90)

    def cash_by_level(self, first: date | None, last: date | None) -> list[tuple[Level, Decimal]]:
        """Cash of local dates `first`..`last` (both inclusive; None leaves a side open) under every level of
        the scheme, in US dollars (for statements)."""
        tz = self._tz()
        start = local_midnight_utc(first, tz) if first is not None else None
        end = local_midnight_utc(last + timedelta(days=1), tz) if last is not None else None
        with self.db.session() as s:
            diamonds = GiftRepo(s).totals(self.profile_id, start, end).diamonds
        return [(level, cash_for_diamonds(diamonds, level.share_bps)) for level in self.economics.levels()]
