"""Economics settings: presets synced, level → the profile's share, rates, rules and fees; bad input changes nothing."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from companion.domain.errors import ValidationError
from companion.domain.schemes import Level
from companion.domain.withdrawals import MethodFee, WithdrawalRules
from companion.services import Services
from companion.services.economics import EconomicsState
from tests.conftest import ROOT
from tests.services.test_reports import _set_profile

US = "us-scaled-2025-02"


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _snapshot(services: Services) -> EconomicsState:
    return services.economics.state()


def test_a_new_profile_starts_on_classic_50_percent(services: Services) -> None:
    assert [s.key for s in services.economics.schemes()] == ["classic", US, "custom"]
    assert services.economics.current_level() == Level("Standard", 5000, "One diamond = US$0.005")
    assert services.economics.scheme().name == "Classic"  # type: ignore[union-attr]


def test_syncing_again_changes_nothing(services: Services) -> None:
    assert services.economics.sync_presets(ROOT / "resources" / "reward_schemes.json") == 0


def test_choosing_a_level_sets_the_share_every_total_uses(services: Services) -> None:
    services.economics.set_level(US, "Per-LIVE 25+ min")
    assert services.economics.share_bps() == 3800
    assert [lv.share_bps for lv in services.economics.levels()] == [2000, 3800, 4000, 4600, 4800, 5000, 5300]
    services.gifts.log("Rose", 1001, "a", at=_at("2026-11-20T18:00:00+00:00"))  # today: the level applies from today
    assert services.reports.summary().as_json()["cash"] == "3.80"  # 1,001 × 0.0038 = 3.8038 → 3.80
    services.gifts.log("Rose", 1000, "a", at=_at("2026-11-10T20:00:00+00:00"))  # before it: Classic 50 % stays
    assert services.reports.summary(date(2026, 11, 10), date(2026, 11, 10)).as_json()["cash"] == "5.00"


@pytest.mark.parametrize(
    ("level", "cash"),
    [
        # Nov 2–8 only: 35 + 2,000 + 15 = 2,050 diamonds (the 1 Nov and 9 Nov gifts fall outside)
        ("Short LIVE (under 5 min)", "4.10"),  # × 0.002
        ("Per-LIVE full", "8.20"),  # × 0.004
        ("Weekly: 1 LIVE 25+ min", "9.43"),  # × 0.0046
        ("Maximum", "10.86"),  # × 0.0053 = 10.865 → half-even 10.86
    ],
)
def test_a_date_range_total_to_the_cent_under_several_levels(services: Services, level: str, cash: str) -> None:
    _set_profile(services, time_zone="Europe/Berlin")  # local days: midnight is 23:00 UTC in November
    services.economics.set_level(US, "Maximum")  # --level names levels of the profile's scheme
    for at, count in [
        ("2026-11-01T22:59:00+00:00", 700),  # 23:59 on 1 Nov in Berlin
        ("2026-11-01T23:00:00+00:00", 35),  # 00:00 on 2 Nov in Berlin
        ("2026-11-05T12:00:00+00:00", 2000),
        ("2026-11-08T22:59:59+00:00", 15),  # 23:59:59 on 8 Nov
        ("2026-11-08T23:00:00+00:00", 900),  # 00:00 on 9 Nov
    ]:
        services.gifts.log("Rose", count, "a", at=_at(at))
    share = services.economics.level_share(level.lower())
    summary = services.reports.summary(date(2026, 11, 2), date(2026, 11, 8), share_bps=share)
    assert summary.totals.diamonds == 2050
    assert summary.as_json()["cash"] == cash


def test_custom_levels_replace_and_the_profile_follows_its_level(services: Services) -> None:
    services.economics.set_custom_levels([Level("Agency A", 4500), Level("Agency B", 5200)], choose="Agency B")
    assert services.economics.current_level() == Level("Agency B", 5200)
    services.economics.set_custom_levels([Level("Agency A", 4500), Level("Agency B", 5500)])
    assert services.economics.share_bps() == 5500
    services.economics.set_custom_levels([Level("Solo", 6000)])  # the profile's level went: first one instead
    assert services.economics.current_level() == Level("Solo", 6000)


@pytest.mark.parametrize(
    ("action", "field"),
    [
        (lambda e: e.set_level(US, "Diamond league"), "level"),
        (lambda e: e.set_level("nope", "Maximum"), "scheme"),
        (lambda e: e.set_custom_levels([Level("A", 12_000)]), "share"),
        (lambda e: e.set_custom_levels([Level("A", 4000), Level("a", 5000)]), "level"),
        (lambda e: e.set_custom_levels([]), "level"),
        (lambda e: e.set_rate("EUR", "0", date(2026, 11, 1)), "rate"),
        (lambda e: e.set_rate("EUR", "-0.9", date(2026, 11, 1)), "rate"),
        (lambda e: e.set_rate("XYZ", "1.2", date(2026, 11, 1)), "currency"),
        (lambda e: e.set_rules(WithdrawalRules(daily_cap_cents=0)), "daily cap"),
        (lambda e: e.set_rules(WithdrawalRules(min_withdrawal_cents=-100)), "minimum withdrawal"),
        (lambda e: e.set_fee("paypal", MethodFee(percent_bps=10_001)), "fee percentage"),
        (lambda e: e.set_fee("crypto", MethodFee()), "kind"),
        (lambda e: e.level_share("Gold"), "level"),
    ],
)
def test_bad_input_is_refused_and_changes_nothing(services: Services, action: object, field: str) -> None:
    services.economics.set_rate("EUR", "0.92", date(2026, 11, 1))
    before = _snapshot(services)
    with pytest.raises(ValidationError) as info:
        action(services.economics)  # type: ignore[operator]
    assert info.value.field == field
    assert str(info.value)
    assert _snapshot(services) == before


def test_display_currency_converts_after_the_usd_total(services: Services) -> None:
    _set_profile(services, currency="JPY")
    display = services.economics.display()
    assert display.currency == "USD" and "no JPY exchange rate" in display.note
    services.economics.set_rate("JPY", "150", date(2026, 11, 1))
    services.economics.set_rate("JPY", "155.5", date(2026, 11, 15))
    services.economics.set_rate("JPY", "160", date(2026, 12, 1))  # noted ahead: not today's
    display = services.economics.display()
    assert (display.currency, display.per_usd) == ("JPY", Decimal("155.5"))
    # 3 diamonds at 50 % = US$0.015 × 155.5 = ¥2.3325 → ¥2, rounded once (to the cent first: ¥3)
    assert display.cash(3, 5000) == Decimal(2)
    assert display.from_usd(Decimal("0.015")) == Decimal(2)


def test_rules_and_fees_round_trip(services: Services) -> None:
    assert services.economics.rules() == WithdrawalRules(0, 100_000, 15, 0)
    services.economics.set_rules(WithdrawalRules(2_500, 50_000, 7, 2_000))
    services.economics.set_fee("paypal", MethodFee(290, 30))
    assert services.economics.rules() == WithdrawalRules(2_500, 50_000, 7, 2_000)
    fees = services.economics.fees()
    assert fees["paypal"] == MethodFee(290, 30) and fees["bank"] == MethodFee()


def test_settings_are_saved_all_or_nothing(services: Services) -> None:
    fees = {"paypal": MethodFee(290, 30), "bank": MethodFee(0, 500)}
    rules = WithdrawalRules(1_000, 100_000, 15, 2_500)
    state = services.economics.save_settings(
        "custom", "Agency", rules, fees, custom_levels=[Level("Agency", 4_200), Level("Agency plus", 4_700)]
    )
    assert state.level == Level("Agency", 4_200) and state.share_bps == 4_200
    assert state.rules == rules and state.fees["bank"] == MethodFee(0, 500)
    before = services.economics.state()
    with pytest.raises(ValidationError) as info:  # a bad fee: the good level and rules are not saved either
        services.economics.save_settings(US, "Maximum", WithdrawalRules(), {"paypal": MethodFee(20_000, 0)})
    assert info.value.field == "fee percentage" and "paypal" in str(info.value)
    with pytest.raises(ValidationError):  # an unknown level after new custom levels: those are not kept
        services.economics.save_settings("custom", "Nope", rules, {}, custom_levels=[Level("Other", 1_000)])
    assert services.economics.state() == before
