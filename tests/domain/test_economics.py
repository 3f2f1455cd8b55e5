"""Coins → diamonds → cash, hand-computed to the cent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from companion.domain.economics import (
    BASE_USD_PER_DIAMOND,
    MAX_COINS,
    MAX_COUNT,
    GiftTotals,
    cash_for_diamonds,
    check_share_bps,
    diamonds_for,
    parse_share_percent,
    share_percent_text,
    usd_per_diamond,
)
from companion.domain.errors import ValidationError


@pytest.mark.parametrize(
    ("diamonds", "share_bps", "cash"),
    [
        (1, 5000, "0.00"),  # 0.005 → half-even → 0.00
        (3, 5000, "0.02"),  # 0.015 → half-even → 0.02
        (5, 5000, "0.02"),  # 0.025 → half-even → 0.02
        (7, 5000, "0.04"),  # 0.035 → 0.04
        (30004, 5000, "150.02"),  # 150.02 exactly
        (30005, 5000, "150.02"),  # 150.025 → 150.02
        (30007, 5000, "150.04"),  # 150.035 → 150.04
        (19, 5250, "0.10"),  # 19 × 0.00525 = 0.09975 → 0.10
        (100, 10000, "1.00"),
        (12345, 0, "0.00"),
        (0, 5000, "0.00"),
    ],
)
def test_cash_for_diamonds_hand_computed(diamonds: int, share_bps: int, cash: str) -> None:
    result = cash_for_diamonds(diamonds, share_bps)
    assert result == Decimal(cash)
    assert str(result) == cash


def test_cash_for_diamonds_rounds_to_the_given_currency() -> None:
    assert cash_for_diamonds(3, 5000, "JPY") == Decimal("0")
    assert cash_for_diamonds(3, 5000, "KWD") == Decimal("0.015")


def test_cash_for_diamonds_refuses_non_integer_diamonds() -> None:
    for bad in (1.5, "10", True):
        with pytest.raises(ValidationError) as info:
            cash_for_diamonds(bad, 5000)  # type: ignore[arg-type]
        assert info.value.field == "diamonds"


def test_usd_per_diamond_is_unrounded() -> None:
    assert Decimal("0.01") == BASE_USD_PER_DIAMOND
    assert usd_per_diamond(5000) == Decimal("0.005")
    assert usd_per_diamond(5250) == Decimal("0.00525")
    assert usd_per_diamond(10000) == Decimal("0.01")


@pytest.mark.parametrize(("bps"), [-1, 10001, True, 50.0])
def test_check_share_bps_refuses_out_of_range_or_non_int(bps: object) -> None:
    with pytest.raises(ValidationError) as info:
        check_share_bps(bps)  # type: ignore[arg-type]
    assert info.value.field == "share"


@pytest.mark.parametrize(
    ("text", "bps"),
    [("50", 5000), ("52.5", 5250), ("20.25", 2025), ("100", 10000), ("0", 0), (" 50 ", 5000), ("50%", 5000),
     ("50.00", 5000), ("0.01", 1)],
)  # fmt: skip
def test_parse_share_percent_accepts(text: str, bps: int) -> None:
    assert parse_share_percent(text) == bps


@pytest.mark.parametrize("text", ["-1", "101", "100.01", "abc", "", "50.123", "NaN", "Infinity", "0.001"])
def test_parse_share_percent_refuses_with_field_share(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_share_percent(text)
    assert info.value.field == "share"


@pytest.mark.parametrize(
    ("bps", "text"), [(5000, "50"), (5250, "52.5"), (2025, "20.25"), (10000, "100"), (0, "0"), (1, "0.01"), (10, "0.1")]
)
def test_share_percent_text_has_no_trailing_zeros(bps: int, text: str) -> None:
    assert share_percent_text(bps) == text


@pytest.mark.parametrize("bps", [0, 1, 10, 99, 2025, 5000, 5250, 9999, 10000])
def test_share_percent_text_round_trips_through_parse(bps: int) -> None:
    assert parse_share_percent(share_percent_text(bps)) == bps


def test_share_percent_text_refuses_out_of_range() -> None:
    with pytest.raises(ValidationError):
        share_percent_text(10001)


def test_diamonds_for_is_coins_times_count() -> None:
    assert diamonds_for(1, 1) == 1
    assert diamonds_for(29999, 3) == 89997
    assert diamonds_for(0, 5) == 0  # a free gift is allowed and earns nothing


@pytest.mark.parametrize("count", [0, -1, True, 1.0])
def test_diamonds_for_refuses_bad_count(count: object) -> None:
    with pytest.raises(ValidationError) as info:
        diamonds_for(5, count)  # type: ignore[arg-type]
    assert info.value.field == "count"


@pytest.mark.parametrize("coins", [-1, True, 1.5])
def test_diamonds_for_refuses_bad_coins(coins: object) -> None:
    with pytest.raises(ValidationError) as info:
        diamonds_for(coins, 1)  # type: ignore[arg-type]
    assert info.value.field == "coins"


def test_gift_totals_add_field_by_field() -> None:
    a = GiftTotals(gifts=1, items=3, coins=15, diamonds=15)
    b = GiftTotals(gifts=2, items=2, coins=30000, diamonds=30000)
    assert a + b == GiftTotals(gifts=3, items=5, coins=30015, diamonds=30015)
    assert GiftTotals() + a == a


def test_gift_totals_cash_rounds_once_over_the_sum() -> None:
    one = GiftTotals(gifts=1, items=1, coins=1, diamonds=1)
    total = one + one + one
    assert one.cash(5000) == Decimal("0.00")
    assert total.cash(5000) == Decimal("0.02")


def test_per_gift_bounds_keep_a_billion_gifts_inside_a_64_bit_sum() -> None:
    assert MAX_COINS >= 44_999  # the dearest gift in the catalog (TikTok Universe)
    assert MAX_COINS * MAX_COUNT * 10**9 < 2**63 - 1  # was 10^7 × 10^6: 950,000 rows overflowed SQLite's SUM
    assert diamonds_for(MAX_COINS, MAX_COUNT) == MAX_COINS * MAX_COUNT
    with pytest.raises(ValidationError):
        diamonds_for(MAX_COINS + 1, 1)
    with pytest.raises(ValidationError):
        diamonds_for(1, MAX_COUNT + 1)
