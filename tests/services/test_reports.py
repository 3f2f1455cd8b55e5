"""Summary: totals over local dates (both inclusive) and/or a stream, cash rounded once at a share."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from companion.domain.errors import ValidationError
from companion.domain.schemes import Level
from companion.domain.share_history import SharePeriod
from companion.services import Services
from companion.store.tables import ProfileRow
from tests.conftest import FakeClock


def _set_profile(services: Services, **values: object) -> None:
    with services.db.session() as s:
        row = s.get(ProfileRow, services.profile_id)
        assert row is not None
        for name, value in values.items():
            setattr(row, name, value)
        s.add(row)
        s.commit()
    if "share_bps" in values:  # the whole history at that share (cash follows the history, not the profile row)
        share = int(values["share_bps"])  # type: ignore[call-overload]
        services.economics.set_share_history([SharePeriod(date(2000, 1, 1), "custom", None, share)])


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_empty_summary(services: Services) -> None:
    assert services.reports.summary().as_json() == {
        "gifts": 0, "items": 0, "coins": 0, "diamonds": 0, "share_percent": "50", "cash": "0.00", "currency": "USD",
    }  # fmt: skip


def test_gifts_count_events_and_items_sum_counts(services: Services) -> None:
    services.gifts.log("Rose", 1, "a")
    services.gifts.log("Rose", 2, "b")
    services.gifts.log("Finger Heart", 10, "c")
    summary = services.reports.summary().as_json()
    assert (summary["gifts"], summary["items"], summary["coins"], summary["diamonds"]) == (3, 13, 53, 53)
    assert summary["cash"] == "0.26"  # 53 × 0.005 = 0.265 → half-even 0.26


def test_cash_is_rounded_once_over_the_total_not_per_gift(services: Services) -> None:
    for _ in range(3):
        services.gifts.log("Rose", 1, "a")  # 0.005 each; 0.00 each if rounded per gift
    assert services.reports.summary().as_json()["cash"] == "0.02"


@pytest.mark.parametrize(
    ("share_bps", "share_text", "cash"),
    [(5250, "52.5", "0.10"), (10000, "100", "0.19"), (0, "0", "0.00"), (2025, "20.25", "0.04")],
)
def test_summary_with_share_override(services: Services, share_bps: int, share_text: str, cash: str) -> None:
    services.gifts.log("Rose", 19, "a")  # 19 diamonds
    summary = services.reports.summary(share_bps=share_bps)
    assert summary.share_bps == share_bps
    assert summary.as_json()["share_percent"] == share_text
    assert summary.as_json()["cash"] == cash
    # The override does not change the profile's own share.
    assert services.reports.summary().as_json()["share_percent"] == "50"


def test_summary_uses_the_profiles_share_by_default(services: Services) -> None:
    services.economics.set_custom_levels([Level("Agency", 5250)], choose="Agency")  # from today on
    services.gifts.log("Rose", 19, "a")
    assert services.reports.summary().as_json()["share_percent"] == "52.5"
    assert services.reports.summary().as_json()["cash"] == "0.10"


def test_summary_refuses_out_of_range_share(services: Services) -> None:
    for bad in (-1, 10001):
        with pytest.raises(ValidationError) as info:
            services.reports.summary(share_bps=bad)
        assert info.value.field == "share"


def test_cash_is_in_usd_whatever_the_profile_currency(services: Services) -> None:
    _set_profile(services, currency="JPY")
    services.gifts.log("Rose", 3, "a")
    assert services.reports.summary().as_json()["cash"] == "0.02"
    assert services.reports.summary().as_json()["currency"] == "USD"


def test_from_to_are_local_dates_in_the_profiles_zone(services: Services) -> None:
    _set_profile(services, time_zone="America/New_York")
    services.gifts.log("Rose", 1, "evening-nov-1", at=_at("2026-11-02T03:30:00+00:00"))  # 22:30 EST on Nov 1
    services.gifts.log("Rose", 2, "start-nov-1", at=_at("2026-11-01T04:00:00+00:00"))  # 00:00 EDT on Nov 1
    services.gifts.log("Rose", 4, "end-oct-31", at=_at("2026-11-01T03:59:59.999+00:00"))  # 23:59:59.999 Oct 31
    services.gifts.log("Rose", 8, "start-nov-2", at=_at("2026-11-02T05:00:00+00:00"))  # 00:00 EST on Nov 2
    reports = services.reports

    def items(first: date | None, last: date | None) -> int:
        return reports.summary(first, last).totals.items

    nov1, nov2, oct31 = date(2026, 11, 1), date(2026, 11, 2), date(2026, 10, 31)
    assert items(nov1, nov1) == 1 + 2
    assert items(nov2, nov2) == 8
    assert items(oct31, oct31) == 4
    assert items(oct31, nov2) == 15  # both ends inclusive
    assert items(nov1, None) == 11
    assert items(None, nov1) == 7
    assert items(None, None) == 15


def test_the_same_gift_falls_on_a_different_day_in_utc(services: Services) -> None:
    _set_profile(services, time_zone="UTC")
    services.gifts.log("Rose", 1, "a", at=_at("2026-11-02T03:30:00+00:00"))
    assert services.reports.summary(date(2026, 11, 1), date(2026, 11, 1)).totals.gifts == 0
    assert services.reports.summary(date(2026, 11, 2), date(2026, 11, 2)).totals.gifts == 1


def test_summary_refuses_to_before_from(services: Services) -> None:
    with pytest.raises(ValidationError) as info:
        services.reports.summary(date(2026, 11, 2), date(2026, 11, 1))
    assert info.value.field == "to"


def test_summary_refuses_an_unknown_profile_time_zone(services: Services) -> None:
    _set_profile(services, time_zone="Nowhere/Special")
    with pytest.raises(ValidationError) as info:
        services.reports.summary()
    assert info.value.field == "time_zone"


def test_summary_for_a_stream_combines_with_dates(services: Services, clock: FakeClock) -> None:
    _set_profile(services, time_zone="UTC")
    stream = services.streams.go_live("x")  # 2026-11-20T19:00Z
    services.gifts.log("Lion", 1, "a")
    clock.advance(hours=6)  # past midnight UTC: 2026-11-21T01:00Z
    services.gifts.log("Rose", 3, "b")
    services.streams.end()
    services.gifts.log("Galaxy", 1, "c")  # no stream
    assert services.reports.summary(stream_id=stream.id).as_json()["diamonds"] == 30002
    assert services.reports.summary(date(2026, 11, 21), date(2026, 11, 21), stream_id=stream.id).totals.diamonds == 3
    assert services.reports.summary(date(2026, 11, 21), date(2026, 11, 21)).totals.diamonds == 1003
    assert services.reports.summary().as_json()["cash"] == "155.01"  # 31002 × 0.005 = 155.01 exactly


def test_summary_big_hand_computed_total(services: Services) -> None:
    services.gifts.log("Lion", 1, "a")  # 29999
    services.gifts.log("Finger Heart", 1, "b")  # 5 → 30004 diamonds
    assert services.reports.summary().as_json()["cash"] == "150.02"
    assert services.reports.summary(share_bps=5250).as_json()["cash"] == "157.52"  # 30004 × 0.00525 = 157.521
