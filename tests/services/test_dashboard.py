"""Dashboard figures on hand-computed data: local periods (Europe/Berlin), live hours, per-hour rate, 90-day
chart with its 7-day average, top gifts, weekday × hour heatmap, cash in the display currency."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from companion.services import Services
from companion.services.dashboard import trailing_average
from companion.store.repositories import StreamRepo
from companion.store.tables import ExchangeRateRow


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.fixture
def seeded(services: Services) -> Services:
    # clock: Friday 2026-11-20 19:00 UTC = 20:00 in Berlin
    services.profiles.update(services.profile_id, "Luna Live", "USD", "Europe/Berlin")
    log = services.gifts.log
    log("Rose", 100, "a", at=_utc("2026-11-20T18:30"))  # today, local Fri 19:30
    log("Rose", 200, "b", at=_utc("2026-11-16T23:30"))  # local Tue 17th 00:30
    log("Rose", 50, "c", at=_utc("2026-11-15T23:30"))  # local Mon 16th 00:30: this week
    log("Rose", 30, "d", at=_utc("2026-11-15T22:30"))  # local Sun 15th 23:30: last week, this month
    log("Rose", 20, "e", at=_utc("2026-10-31T23:30"))  # local Sun Nov 1st 00:30: this month
    log("Star", 200, "f", at=_utc("2026-10-31T22:30"), coins_each=5)  # local Sat Oct 31st 23:30: 1000
    with services.db.session(write=True) as s:
        streams = StreamRepo(s)
        streams.create(services.profile_id, "A", _utc("2026-11-20T17:00"), _utc("2026-11-20T18:30"))
        streams.create(services.profile_id, "live", _utc("2026-11-20T18:45"), None)  # 15 min so far
        streams.create(services.profile_id, "C", _utc("2026-10-31T22:00"), _utc("2026-11-01T00:00"))
        s.commit()
    return services


def test_periods_in_local_time(seeded: Services) -> None:
    board = seeded.dashboard.overview()
    figures = {p.key: (p.diamonds, p.cash, p.live_seconds, p.diamonds_per_live_hour) for p in board.periods}
    assert figures == {
        "today": (100, Decimal("0.50"), 6300, 57),  # 100 / 1.75 h = 57.1
        "week": (350, Decimal("1.75"), 6300, 200),
        "month": (400, Decimal("2.00"), 9900, 145),  # C overlaps local Nov 1 by one hour; 400/2.75 = 145.45
        "all": (1400, Decimal("7.00"), 13500, 373),  # 1400 / 3.75 = 373.3
    }
    assert board.today == date(2026, 11, 20)


def test_daily_chart_average_top_gifts_and_heatmap(seeded: Services) -> None:
    board = seeded.dashboard.overview()
    assert len(board.days) == len(board.daily) == len(board.average) == 90
    assert board.days[-1] == date(2026, 11, 20) and board.days[0] == date(2026, 8, 23)
    by_day = dict(zip(board.days, board.daily, strict=True))
    assert by_day[date(2026, 11, 17)] == 200 and by_day[date(2026, 10, 31)] == 1000
    assert by_day[date(2026, 11, 1)] == 20
    assert board.average[-1] == Decimal(100 + 200 + 50 + 30) / 7  # Nov 14..20
    assert [(g.name, g.diamonds, g.items) for g in board.top_gifts] == [("Star", 1000, 200), ("Rose", 400, 400)]
    expected = {(4, 19): 100, (1, 0): 200, (0, 0): 50, (6, 23): 30, (6, 0): 20, (5, 23): 1000}
    cells = {(d, h): v for d, row in enumerate(board.heatmap) for h, v in enumerate(row) if v}
    assert cells == expected


def test_cash_in_the_display_currency_with_the_newest_rate(seeded: Services) -> None:
    seeded.profiles.update(seeded.profile_id, "Luna Live", "EUR", "Europe/Berlin")
    board = seeded.dashboard.overview()
    assert board.rate.currency == "USD" and "no EUR exchange rate" in board.rate.note
    with seeded.db.session(write=True) as s:
        s.add(ExchangeRateRow(currency="EUR", per_usd="0.5", as_of="2026-01-01"))
        s.add(ExchangeRateRow(currency="EUR", per_usd="0.9", as_of="2026-11-01"))
        s.commit()
    board = seeded.dashboard.overview()
    assert board.rate.currency == "EUR"
    assert {p.key: p.cash for p in board.periods}["month"] == Decimal("1.80")  # 400 × 0.005 × 0.9
    # the same figure the Payouts page shows: US-dollar total of the month, converted by the economics settings
    month = seeded.reports.summary(date(2026, 11, 1), date(2026, 11, 30))
    assert seeded.economics.display().from_usd(month.cash) == Decimal("1.80")


def test_empty_profile(services: Services) -> None:
    board = services.dashboard.overview()
    assert board.is_empty
    assert all(p.diamonds_per_live_hour is None for p in board.periods)
    assert sum(board.daily) == 0 and board.top_gifts == []


def test_trailing_average_uses_fewer_days_at_the_start() -> None:
    assert trailing_average([7, 0, 14, 7], 2) == [Decimal(7), Decimal("3.5"), Decimal(7), Decimal("10.5")]
