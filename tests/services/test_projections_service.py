"""Projections from the database: local days, zero days, month to date and month end, what-if by level."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

from companion.services import Services
from tests.conftest import FakeClock
from tests.forecast_gen import FAMILY, generate
from tests.services.test_reports import _set_profile

US = "us-scaled-2025-02"


def _daily(services: Services, first: date, days: int, count: int, hour: str = "20:00") -> None:
    for i in range(days):
        day = first + timedelta(days=i)
        services.gifts.log("Rose", count, "fan", at=datetime.fromisoformat(f"{day}T{hour}:00+00:00"))


def test_history_is_local_days_with_zero_days_and_stops_yesterday(services: Services, clock: FakeClock) -> None:
    _set_profile(services, time_zone="America/New_York")  # UTC-5 in November
    # 02:00 UTC on 10 Nov is 21:00 on 9 Nov in New York; 14 Nov has nothing; today (20 Nov) is not history.
    for at, count in [("2026-11-10T02:00", 300), ("2026-11-12T15:00", 40), ("2026-11-15T12:00", 5),
                      ("2026-11-20T15:00", 999)]:  # fmt: skip
        services.gifts.log("Rose", count, "a", at=datetime.fromisoformat(at + ":00+00:00"))
    history = services.projections.history()
    assert history.first_day == date(2026, 11, 9) and history.last_day == date(2026, 11, 19)
    assert history.diamonds == (300, 0, 0, 40, 0, 0, 5, 0, 0, 0, 0)


def test_a_steady_creator_projects_exactly(services: Services) -> None:
    _daily(services, date(2026, 10, 1), 50, 200)  # 200 diamonds every day up to 19 Nov
    view = services.projections.project(10)
    assert view.as_json() == {"days": 10, "p10": "10.00", "p50": "10.00", "p90": "10.00", "currency": "USD",
                              "basis_days": 50, "coverage": {"held": 0, "of": 0, "below": 0, "above": 0},
                              "calibration": "rough", "biggest_day": "1.00"}  # fmt: skip
    services.economics.set_level(US, "Maximum")
    assert services.projections.project(10).as_json()["p50"] == "10.60"  # 2,000 × 0.0053


def test_month_end_adds_the_rest_of_the_month_to_what_is_earned(services: Services) -> None:
    _daily(services, date(2026, 10, 1), 50, 200)
    services.gifts.log("Rose", 55, "a")  # today, 20 Nov
    month = services.projections.month()
    assert month.earned_diamonds == 19 * 200 + 55 and month.earned == Decimal("19.28")  # 19.275 → half-even 19.28
    assert month.days_left == 10 and len(month.path) == 10
    assert month.end_diamonds.p10 == month.end_diamonds.p90 == 3855 + 2000
    assert month.end.p50 == Decimal("29.28")  # 5,855 × 0.005 = 29.275 → 29.28
    earned, band = month.chart_points()
    assert len(earned) == 20 and earned[-1] == (date(2026, 11, 20), Decimal("19.28"))
    assert earned[0] == (date(2026, 11, 1), Decimal("1.00"))
    assert band[0][0] == date(2026, 11, 21) and band[-1] == (date(2026, 11, 30), *(Decimal("29.28"),) * 3)


def test_the_last_day_of_a_month_has_no_band_left(services: Services, clock: FakeClock) -> None:
    clock.now = datetime.fromisoformat("2026-11-30T12:00:00+00:00")
    services.gifts.log("Rose", 10, "a")
    month = services.projections.month()
    assert month.days_left == 0 and month.end_diamonds.p10 == month.end_diamonds.p90 == 10


def test_what_if_shows_the_same_diamonds_under_every_level(services: Services) -> None:
    services.economics.set_level(US, "Per-LIVE full")
    _daily(services, date(2026, 10, 25), 26, 1000)  # 25 Oct → 19 Nov
    what_if = services.projections.what_if()
    assert (what_if.diamonds_this_month, what_if.diamonds_last_month) == (19_000, 7_000)
    rows = {r.level.name: r for r in what_if.rows}
    assert len(rows) == 7
    assert rows["Short LIVE (under 5 min)"].this_month == Decimal("38.00")
    assert rows["Maximum"].last_month == Decimal("37.10")
    assert rows["Per-LIVE full"].current and not rows["Maximum"].current
    assert rows["Maximum"].month_end.p50 == Decimal("153.70")  # (19,000 + 10 × 1,000) × 0.0053
    by_level = dict((lv.name, cash) for lv, cash in services.projections.cash_by_level(date(2026, 11, 1), None))
    assert by_level["Per-LIVE full"] == Decimal("76.00")


def test_projection_in_the_display_currency(services: Services) -> None:
    _daily(services, date(2026, 10, 1), 50, 200)
    _set_profile(services, currency="EUR")
    services.economics.set_rate("EUR", "0.9137", date(2026, 11, 1))
    data = services.projections.project(7).as_json()
    assert (data["currency"], data["p50"]) == ("EUR", "6.40")  # US$7.00 × 0.9137 = 6.3959 → 6.40


def bulk_history(services: Services, days: list[int], last: date) -> None:
    """Gifts of `days[i]` diamonds (as "Custom" coins) on the days that end on `last`, in bulk."""
    from companion.domain.models import NewGift
    from companion.store.repositories import GiftRepo

    first = last - timedelta(days=len(days) - 1)
    gifts = [
        NewGift(datetime.fromisoformat(f"{first + timedelta(days=i)}T20:00:00+00:00"), "fan", "Custom", d, 1,
                source="csv", source_key=f"h{i}")
        for i, d in enumerate(days) if d
    ]  # fmt: skip
    with services.db.session(write=True) as s:
        GiftRepo(s).add_many(services.profile_id, gifts)
        s.commit()


def test_a_long_history_is_calibrated_and_says_what_it_measured(services: Services) -> None:
    days = generate(FAMILY["whales"], date(2024, 6, 1), 900, seed=21)
    bulk_history(services, days, date(2026, 11, 19))
    data = services.projections.project(30).as_json()
    assert data["calibration"] == "calibrated" and data["basis_days"] == 900
    coverage = data["coverage"]
    assert isinstance(coverage, dict) and coverage["of"] >= 20 and 0 < coverage["held"] <= coverage["of"]
    assert coverage["held"] + coverage["below"] + coverage["above"] == coverage["of"]
    biggest = (Decimal(max(days)) * Decimal("0.005")).quantize(Decimal("0.01"))  # at the 50 % share, half-even
    assert Decimal(str(data["biggest_day"])) == biggest
    assert Decimal(str(data["p10"])) < Decimal(str(data["p50"])) < Decimal(str(data["p90"]))
    month = services.projections.month()
    assert month.calibration == "calibrated" and month.coverage is not None and month.coverage.days == 10
    assert month.cash_path[-1] == month.end


def test_the_calibration_is_kept_until_the_data_changes(services: Services) -> None:
    bulk_history(services, generate(FAMILY["flat"], date(2024, 6, 1), 600, seed=2), date(2026, 11, 19))
    first = services.projections.forecast(services.projections.today(), 30)
    assert services.projections.forecast(services.projections.today(), 30) is first
    services.gifts.log("Rose", 1, "a", at=datetime.fromisoformat("2026-11-19T21:00:00+00:00"))
    assert services.projections.forecast(services.projections.today(), 30) is not first


def test_the_coverage_line_says_what_was_measured() -> None:
    from companion.domain.calibration import Coverage
    from companion.services.projections import coverage_line

    line = coverage_line("calibrated", Coverage(19, 24, 30, 2, 3), 900)
    assert line == (
        "In your history, a range drawn this way held 19 of your last 24 stretches of 30 days"
        " (2 ended below it, 3 above)."
    )
    assert coverage_line("calibrated", Coverage(5, 5, 7), 900).endswith("held 5 of your last 5 weeks.")
    assert "only 40 days of history" in coverage_line("rough", None, 40)
    assert coverage_line("no-history", None, 0) == ""
