"""Cash follows the share that applied to each gift: share history, per-LIVE shares, overrides; payouts never
re-price history. Figures hand-computed (US$0.01 per diamond at 100 %)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from companion.domain.errors import ValidationError
from companion.services import Services
from tests.conftest import FakeClock

US = "us-scaled-2025-02"


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _gift(services: Services, when: str, diamonds: int, stream_id: int | None = None) -> None:
    count, each = (10, diamonds // 10) if diamonds > 100_000 else (1, diamonds)  # a gift costs at most 100,000
    assert count * each == diamonds
    services.gifts.log("Custom", count, "fan", at=_at(when), coins_each=each, stream_id=stream_id)


def test_a_week_of_lives_gives_each_its_share_and_cash(services: Services) -> None:
    services.economics.set_scheme(US, None, date(2026, 11, 1))  # per-LIVE rules
    short = services.streams.add_past(_at("2026-11-16T18:00"), _at("2026-11-16T18:04"), "short", 0)
    mid = services.streams.add_past(_at("2026-11-18T18:00"), _at("2026-11-18T18:26"), "mid", 5)
    long = services.streams.add_past(_at("2026-11-19T18:00"), _at("2026-11-19T18:40"), "long", 9)
    _gift(services, "2026-11-16T18:01", 1000, short.id)
    _gift(services, "2026-11-18T18:10", 2500, mid.id)
    _gift(services, "2026-11-19T18:10", 3333, long.id)
    lines = {line.stream.id: line for line in services.streams.overview()}
    assert [lines[s.id].share.share_bps for s in (short, mid, long)] == [2800, 4800, 4800]
    assert lines[short.id].cash == Decimal("2.80")  # 1000 × 0.01 × 28 %
    assert lines[mid.id].cash == Decimal("12.00")  # 2500 × 0.01 × 48 %
    assert lines[long.id].cash == Decimal("16.00")  # 3333 × 0.0048 = 15.9984
    summary = services.reports.summary(date(2026, 11, 16), date(2026, 11, 22))
    assert summary.cash == Decimal("30.80")  # 2.80 + 12.00 + 15.9984, rounded once
    assert lines[long.id].share.explanation == (
        "40 min → 38 %; 9 new followers → +2 %; week: 2 LIVEs of 25+ min → +8 % = 48 %"
    )


def test_a_level_change_on_a_date_splits_the_month_at_that_date(services: Services) -> None:
    services.economics.set_scheme("classic", "Standard", date(2026, 11, 1))
    services.economics.set_scheme(US, "Per-LIVE full", date(2026, 11, 15))  # 40 % from the 15th
    _gift(services, "2026-11-14T23:59", 1000)  # 50 %: 5.00
    _gift(services, "2026-11-15T00:00", 1000)  # 40 %: 4.00
    month = services.reports.summary(date(2026, 11, 1), date(2026, 11, 30))
    assert month.cash == Decimal("9.00")
    assert month.as_json()["share_percent"] == "45"
    assert services.reports.summary(date(2026, 11, 1), date(2026, 11, 14)).cash == Decimal("5.00")
    assert services.reports.summary(date(2026, 11, 15), date(2026, 11, 30)).cash == Decimal("4.00")
    # what if: the same gifts under one share
    assert services.reports.summary(date(2026, 11, 1), date(2026, 11, 30), share_bps=5300).cash == Decimal("10.60")


def test_changing_todays_level_never_changes_past_cash(services: Services, clock: FakeClock) -> None:
    _gift(services, "2026-06-10T12:00", 10_000)
    before = services.reports.summary().cash
    assert before == Decimal("50.00")  # the first entry starts with the first gift: Classic 50 %
    services.economics.set_level(US, "Per-LIVE full")  # today, 2026-11-20
    assert services.reports.summary().cash == before
    assert [p.effective_from for p in services.economics.share_history()] == [date(2000, 1, 1), date(2026, 11, 20)]


def test_recording_a_payout_changes_no_past_cash(services: Services) -> None:
    services.economics.set_scheme("classic", "Standard", date(2026, 6, 1))
    _gift(services, "2026-06-10T12:00", 1_000_000)  # US$5,000 at 50 %
    before = services.reports.summary().cash
    services.economics.set_level(US, "Per-LIVE full")  # 40 % from today (2026-11-20)
    services.payouts.record(  # recorded in November for a June withdrawal
        "3000", requested_at=_at("2026-06-20T12:00"), status="paid", paid_at=_at("2026-06-25T12:00")
    )
    assert services.reports.summary().cash == before == Decimal("5000.00")
    balance = services.payouts.balance()
    assert balance.earned_usd == Decimal("5000.00")
    assert balance.withdrawn_usd == Decimal("3000.00")
    assert balance.usd == Decimal("2000.00")  # not 1,000,000 − 600,000 diamonds re-priced at today's 40 %
    assert balance.withdrawn_diamonds == 600_000  # informational: US$3,000 at June's 50 %, not today's 40 %


def test_a_streams_share_can_be_overridden_with_a_note(services: Services) -> None:
    services.economics.set_scheme(US, None, date(2026, 11, 1))
    stream = services.streams.add_past(_at("2026-11-16T18:00"), _at("2026-11-16T18:30"), "x", 2)
    _gift(services, "2026-11-16T18:10", 1000, stream.id)
    assert services.streams.overview_of(stream.id).share.share_bps == 4400  # 38 + 6
    line = services.streams.set_share(stream.id, 4500, "TikTok's screen said 45 %")
    assert line.share.share_bps == 4500 and line.share.overridden
    assert line.cash == Decimal("4.50")
    assert line.share.reasons == ("set by you (TikTok's screen said 45 %) = 45 %",)
    assert services.reports.summary().cash == Decimal("4.50")
    assert services.streams.set_share(stream.id, None).share.share_bps == 4400


def test_gifts_outside_any_live_under_rules_count_at_the_lowest_base(services: Services) -> None:
    services.economics.set_scheme(US, None, date(2026, 11, 1))
    _gift(services, "2026-11-10T12:00", 1000)
    assert services.reports.summary().cash == Decimal("2.00")


def test_choosing_a_scheme_without_rules_needs_a_level(services: Services) -> None:
    with pytest.raises(ValidationError, match="choose a level"):
        services.economics.set_scheme("classic", None)


def test_on_track_while_live(services: Services, clock: FakeClock) -> None:
    services.economics.set_scheme(US)  # from today: per-LIVE rules
    services.streams.go_live("now")
    clock.advance(minutes=13)
    services.streams.set_audience(3, 120)
    track = services.streams.on_track()
    assert track is not None and track.rule_based
    assert track.share.share_bps == 2000 + 1800 * 8 // 20  # 13 min: the linear estimate, 27.2 %
    assert track.lifts[:2] == ("12 more minutes → 38 %", "2 more new followers → +2 %")
    clock.advance(minutes=12)
    services.streams.set_audience(5, 120)
    assert services.streams.on_track().share.share_bps == 3800 + 200 + 600  # type: ignore[union-attr]
