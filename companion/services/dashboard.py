"""The dashboard: today / this week / this month / all time, diamonds per day for 90 days, top gifts, and when
in the week the gifts come (a weekday × hour heatmap in the profile's local time)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal

from sqlmodel import Session

from companion.domain.currency import DisplayRate, display_rate
from companion.domain.economics import diamonds_per_live_hour, share_percent_text
from companion.domain.models import Profile
from companion.domain.timeutil import local_midnight_utc, to_local, zone
from companion.services.shares import load_book, priced_between
from companion.store.db import Database
from companion.store.economics_repo import RateRepo
from companion.store.insights import InsightsRepo
from companion.store.repositories import ProfileRepo

CHART_DAYS = 90
AVERAGE_DAYS = 7
HEATMAP_DAYS = 365
TOP_GIFTS = 8


@dataclass(frozen=True)
class CashRate:
    """Diamonds → cash in the profile's display currency at a share: the unrounded US-dollar amount converted once
    and rounded once, through `DisplayRate` (the one conversion path, shared with the Payouts page)."""

    share_bps: int
    currency: str  # the currency figures are shown in (USD when no rate for the profile's currency exists)
    per_usd: Decimal
    note: str  # "" or why the figures are not in the profile's currency / which rate is used

    @property
    def display(self) -> DisplayRate:
        return DisplayRate(self.currency, self.per_usd, self.note)

    def cash(self, diamonds: int) -> Decimal:
        return self.display.cash(diamonds, self.share_bps)

    def cash_rows(self, diamonds: Sequence[int]) -> list[Decimal]:
        """Cash of table rows that add up to exactly `cash(sum(diamonds))` (see `DisplayRate.cash_rows`)."""
        return self.display.cash_rows(diamonds, self.share_bps)

    def at_share(self, share_bps: int) -> CashRate:
        return replace(self, share_bps=share_bps)

    @property
    def share_text(self) -> str:
        return share_percent_text(self.share_bps)


def cash_rate(s: Session, profile: Profile, today: date) -> CashRate:
    """The profile's share and display currency with the rate in force `today` (as the economics settings
    choose it: the newest noted on or before the day)."""
    shown = display_rate(profile.currency, RateRepo(s).all(), today)
    return CashRate(profile.share_bps, shown.currency, shown.per_usd, shown.note)


@dataclass(frozen=True)
class PeriodFigures:
    key: str  # today | week | month | all
    title: str
    diamonds: int
    cash: Decimal
    live_seconds: int

    @property
    def diamonds_per_live_hour(self) -> int | None:
        """Whole diamonds per hour live, rounded half-even; None with too little live time to say."""
        return diamonds_per_live_hour(self.diamonds, self.live_seconds)


@dataclass(frozen=True)
class TopGift:
    name: str
    diamonds: int
    items: int


@dataclass(frozen=True)
class Dashboard:
    profile: Profile
    rate: CashRate
    today: date
    periods: list[PeriodFigures]
    days: list[date]  # CHART_DAYS local days, oldest first, ending today
    daily: list[int]  # diamonds per day
    average: list[Decimal]  # trailing AVERAGE_DAYS-day average of diamonds per day (unrounded)
    top_gifts: list[TopGift]  # over the chart's days
    heatmap: list[list[int]]  # [weekday Monday=0][local hour] diamonds over HEATMAP_DAYS days
    heatmap_days: int

    @property
    def is_empty(self) -> bool:
        return self.periods[-1].diamonds == 0 and self.periods[-1].live_seconds == 0


def live_seconds(streams: list, start: datetime | None, end: datetime | None, now: datetime) -> int:  # type: ignore[type-arg]
    """Seconds live within [start, end); a stream still live counts until `now`."""
    total = 0
    for stream in streams:
        began = stream.started_at if start is None else max(stream.started_at, start)
        ended = stream.ended_at if stream.ended_at is not None else now
        if end is not None:
            ended = min(ended, end)
        if ended > began:
            total += int((ended - began).total_seconds())
    return total


def period_starts(today: date) -> dict[str, date]:
    return {"today": today, "week": today - timedelta(days=today.weekday()), "month": today.replace(day=1)}


def bucket_days_hours(
    buckets: list[tuple[datetime, int]], tz: tzinfo | None
) -> tuple[dict[date, int], dict[tuple[date, int], int]]:
    """Diamonds per local day and per (local day, local hour) from UTC quarter-hour buckets."""
    per_day: dict[date, int] = {}
    per_hour: dict[tuple[date, int], int] = {}
    for moment, diamonds in buckets:
        local = to_local(moment, tz)
        day = local.date()
        per_day[day] = per_day.get(day, 0) + diamonds
        per_hour[(day, local.hour)] = per_hour.get((day, local.hour), 0) + diamonds
    return per_day, per_hour


def trailing_average(values: list[int], window: int) -> list[Decimal]:
    """Average of each value with the `window - 1` before it (fewer at the start)."""
    out: list[Decimal] = []
    running = 0
    for index, value in enumerate(values):
        running += value
        if index >= window:
            running -= values[index - window]
        out.append(Decimal(running) / Decimal(min(index + 1, window)))
    return out


class DashboardService:
    def __init__(self, db: Database, profile_id: int, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.profile_id = profile_id
        self.clock = clock

    def overview(self) -> Dashboard:
        now = self.clock()
        with self.db.session() as s:
            profile = ProfileRepo(s).get(self.profile_id)
            tz = zone(profile.time_zone)
            today = to_local(now, tz).date()
            rate = cash_rate(s, profile, today)
            insights = InsightsRepo(s)
            streams = insights.streams_between(self.profile_id, None, None)
            periods = []
            titles = {"today": "Today", "week": "This week", "month": "This month"}
            # each gift at the share it earned (share history, per-LIVE shares), converted once
            book = load_book(s, self.profile_id, now)
            for key, first in period_starts(today).items():
                start = local_midnight_utc(first, tz)
                priced = priced_between(s, book, first, None)
                seconds = live_seconds(streams, start, None, now)
                shown = rate.display.from_usd(priced.usd)
                periods.append(PeriodFigures(key, titles[key], priced.totals.diamonds, shown, seconds))
            every = priced_between(s, book, None, None)
            periods.append(
                PeriodFigures(
                    "all", "All time", every.totals.diamonds, rate.display.from_usd(every.usd),
                    live_seconds(streams, None, None, now),
                )
            )  # fmt: skip
            heat_first = today - timedelta(days=HEATMAP_DAYS - 1)
            chart_first = today - timedelta(days=CHART_DAYS - 1)
            average_first = chart_first - timedelta(days=AVERAGE_DAYS - 1)
            first = min(heat_first, average_first)
            buckets = insights.quarter_hours(self.profile_id, local_midnight_utc(first, tz), now + timedelta(days=1))
            top = insights.top_gifts(self.profile_id, local_midnight_utc(chart_first, tz), None, TOP_GIFTS)
        per_day, per_hour = bucket_days_hours(buckets, tz)
        span = [average_first + timedelta(days=i) for i in range((today - average_first).days + 1)]
        values = [per_day.get(day, 0) for day in span]
        average = trailing_average(values, AVERAGE_DAYS)
        skip = len(span) - CHART_DAYS
        heatmap = [[0] * 24 for _ in range(7)]
        for (day, hour), diamonds in per_hour.items():
            if heat_first <= day <= today:
                heatmap[day.weekday()][hour] += diamonds
        return Dashboard(
            profile=profile,
            rate=rate,
            today=today,
            periods=periods,
            days=span[skip:],
            daily=values[skip:],
            average=average[skip:],
            top_gifts=[TopGift(name, d, n) for name, d, n in top],
            heatmap=heatmap,
            heatmap_days=HEATMAP_DAYS,
        )
