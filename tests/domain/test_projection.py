"""Projections: exact on a constant history, weekday-aware, repeatable, and honest in a backtest."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta

import pytest

from companion.domain.errors import ValidationError
from companion.domain.projection import BASIS_DAYS, DailyHistory, daily_history, project

MONDAY = date(2026, 1, 5)


def test_a_constant_history_projects_exactly_that_constant() -> None:
    history = DailyHistory(MONDAY, (1234,) * 90)
    result = project(history, history.last_day + timedelta(days=1), 30, with_path=True)
    assert (result.total.p10, result.total.p50, result.total.p90) == (1234 * 30,) * 3
    assert [band.p50 for band in result.path] == [1234 * (i + 1) for i in range(30)]
    assert all(band.p10 == band.p90 for band in result.path)
    assert result.basis_days == 90


def test_no_history_projects_zero_with_zero_basis() -> None:
    result = project(DailyHistory(MONDAY, ()), MONDAY, 7)
    assert result.total.p90 == 0 and result.basis_days == 0


def test_days_without_a_stream_count_as_zero() -> None:
    history = daily_history(MONDAY, MONDAY + timedelta(days=9), {MONDAY: 700, MONDAY + timedelta(days=7): 700})
    assert history.diamonds == (700, 0, 0, 0, 0, 0, 0, 700, 0, 0)
    # Only Mondays earn: a week ahead brings exactly one Monday's 700, at every percentile.
    result = project(history, MONDAY + timedelta(days=14), 7)
    assert (result.total.p10, result.total.p50, result.total.p90) == (700, 700, 700)


def test_weekday_pattern_is_followed() -> None:
    # Saturdays earn 10,000, other days nothing: a horizon with two Saturdays gets 20,000, one with none 0.
    days = tuple(10_000 if (MONDAY + timedelta(days=i)).weekday() == 5 else 0 for i in range(56))
    history = DailyHistory(MONDAY, days)
    two_saturdays = project(history, date(2026, 3, 2), 14)  # a Monday
    no_saturday = project(history, date(2026, 3, 2), 5)  # Monday to Friday
    assert two_saturdays.total.p50 == 20_000
    assert no_saturday.total.p90 == 0


def test_projection_is_repeatable_and_the_band_is_ordered() -> None:
    rng = random.Random(1)
    history = DailyHistory(MONDAY, tuple(rng.randrange(0, 5000) for _ in range(120)))
    first = project(history, history.last_day + timedelta(days=1), 30, with_path=True)
    assert first == project(history, history.last_day + timedelta(days=1), 30, with_path=True)
    assert first.total.p10 < first.total.p50 < first.total.p90
    assert first.path[-1] == first.total
    assert all(a.p50 <= b.p50 for a, b in zip(first.path, first.path[1:], strict=False))


def test_the_basis_is_the_most_recent_half_year() -> None:
    history = DailyHistory(MONDAY, (0,) * 400 + (100,) * BASIS_DAYS)
    result = project(history, history.last_day + timedelta(days=1), 10)
    assert result.basis_days == BASIS_DAYS and result.total.p10 == 1000


@pytest.mark.parametrize("days", [0, -3, 10_000])
def test_bad_horizons_are_refused(days: int) -> None:
    with pytest.raises(ValidationError) as info:
        project(DailyHistory(MONDAY, (1,)), MONDAY, days)
    assert info.value.field == "days"


# ---- backtest ------------------------------------------------------------------------------------------------

Generator = Callable[[random.Random, date, int], list[int]]


def _steady(rng: random.Random, start: date, n: int) -> list[int]:
    """Streams on about 5 days in 7, earning around 1,400 diamonds with a wide spread."""
    return [int(rng.gammavariate(4, 500)) if rng.random() < 0.7 else 0 for _ in range(n)]


def _weekly(rng: random.Random, start: date, n: int) -> list[int]:
    """Big Friday and Saturday streams, a smaller Sunday, occasional short weekday streams."""
    out = []
    for i in range(n):
        weekday = (start + timedelta(days=i)).weekday()
        mean = {4: 6000, 5: 9000, 6: 3000}.get(weekday, 800)
        live = weekday >= 4 or rng.random() < 0.4
        out.append(int(rng.gammavariate(3, mean / 3)) if live else 0)
    return out


def _rare_big(rng: random.Random, start: date, n: int) -> list[int]:
    """Small daily gifts plus, about once a month, a Universe-sized gift (44,999 coins)."""
    out = []
    for _ in range(n):
        value = int(rng.gammavariate(2, 300)) if rng.random() < 0.6 else 0
        if rng.random() < 0.03:
            value += 44_999
        out.append(value)
    return out


HISTORY_DAYS = BASIS_DAYS  # the half year the app projects from
HORIZON_DAYS = 30  # a month ahead
WINDOWS = 200


@pytest.mark.parametrize("generate", [_steady, _weekly, _rare_big], ids=["steady", "weekly", "rare-big-gifts"])
def test_backtest_band_holds_the_realised_total_about_8_times_in_10(generate: Generator) -> None:
    """Held-out windows: project from the history, then compare with what really came next. An honest 10–90
    band contains the realised total in about 80 % of windows (here: 80 ± 7 %)."""
    rng = random.Random(20260101)
    inside = 0
    for _ in range(WINDOWS):
        start = MONDAY + timedelta(days=rng.randrange(7))
        series = generate(rng, start, HISTORY_DAYS + HORIZON_DAYS)
        history = DailyHistory(start, tuple(series[:HISTORY_DAYS]))
        band = project(history, history.last_day + timedelta(days=1), HORIZON_DAYS).total
        inside += band.p10 <= sum(series[HISTORY_DAYS:]) <= band.p90
    coverage = inside / WINDOWS
    assert 0.73 <= coverage <= 0.87, f"band held the realised total in {coverage:.0%} of windows"
