"""Display cash rounded once (the unrounded US dollars converted, then rounded in the display currency), and rows
shared out of a total so a column adds up to it."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.domain.currency import DisplayRate, ExchangeRate, display_rate
from companion.domain.money import allocate, from_minor, minor_units, to_minor


@pytest.mark.parametrize(
    ("diamonds", "share_bps", "currency", "per_usd", "shown"),
    [
        # twice-rounded (US$ to the cent first) in the comment; once-rounded is the figure
        (3, 5000, "EUR", "0.9", "0.01"),  # US$0.015 × 0.9 = €0.0135 → €0.01 (twice: €0.02)
        (1, 5000, "KRW", "1350", "7"),  # US$0.005 × 1350 = ₩6.75 → ₩7 (twice: US$0.00 → ₩0)
        (3, 5000, "JPY", "150", "2"),  # US$0.015 × 150 = ¥2.25 → ¥2 (twice: ¥3)
        (1, 5000, "KWD", "0.3075", "0.002"),  # 0.0015375 KWD → 0.002 (twice: US$0.00 → 0.000)
        (7, 5000, "KWD", "0.307", "0.011"),  # US$0.035 × 0.307 = 0.010745 → 0.011 (twice: 0.04 → 0.012)
        (4600, 5000, "EUR", "0.92", "21.16"),  # an ordinary month: both ways agree
        (101, 7000, "JPY", "151.37", "107"),  # US$0.707 × 151.37 = ¥107.02 → ¥107
        (1, 5000, "USD", "1", "0.00"),  # US$0.005 → half-even US$0.00
    ],
)
def test_once_rounding_golden(diamonds: int, share_bps: int, currency: str, per_usd: str, shown: str) -> None:
    display = DisplayRate(currency, Decimal(per_usd))
    assert display.cash(diamonds, share_bps) == Decimal(shown)
    assert str(display.cash(diamonds, share_bps)) == shown  # exactly the currency's digits


def test_display_rate_picks_the_rate_in_force_or_says_why_not() -> None:
    rates = [
        ExchangeRate("EUR", Decimal("0.90"), date(2026, 1, 1)),
        ExchangeRate("EUR", Decimal("0.95"), date(2026, 6, 1)),
    ]
    assert display_rate("EUR", rates, date(2026, 5, 31)).per_usd == Decimal("0.90")
    assert display_rate("EUR", rates, date(2026, 6, 1)).note == "at 0.95 EUR per US$ (rate of 2026-06-01)"
    usd = display_rate("JPY", rates, date(2026, 6, 1))
    assert (usd.currency, usd.per_usd) == ("USD", Decimal(1)) and "no JPY exchange rate" in usd.note
    assert display_rate("USD", rates, date(2026, 6, 1)) == DisplayRate()


# ---- allocation ---------------------------------------------------------------------------------------------


def test_allocate_hands_leftover_units_to_the_largest_remainders() -> None:
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]
    assert allocate(2, [1, 1, 1]) == [1, 1, 0]
    assert allocate(-2, [1, 1, 1]) == [-1, -1, 0]
    assert allocate(0, [0, 0]) == [0, 0]
    assert allocate(0, []) == []
    # 4,000 / 501 / 99 diamonds of US$23.00: 2000, 250.5, 49.5 → the .5 goes where half-even would round up
    assert allocate(2300, [4000, 501, 99]) == [2000, 250, 50]
    with pytest.raises(ValueError):
        allocate(1, [0, 0])
    with pytest.raises(ValueError):
        allocate(1, [1, -1])


def test_three_streams_of_one_diamond_add_up_to_the_total() -> None:
    # each stream alone: US$0.005 → US$0.00; the three together: US$0.015 → US$0.02
    rows = DisplayRate().cash_rows([1, 1, 1], 5000)
    assert rows == [Decimal("0.01"), Decimal("0.01"), Decimal("0.00")]
    assert sum(rows) == DisplayRate().cash(3, 5000)


weights = st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=40)
currencies = st.sampled_from(["USD", "EUR", "JPY", "KRW", "KWD", "IDR"])
per_usd = st.decimals(min_value=Decimal("0.001"), max_value=Decimal("30000"), places=4)
shares = st.integers(min_value=0, max_value=10_000)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=-(10**12), max_value=10**12), weights)
def test_allocation_sums_exactly_and_each_row_is_within_one_unit(total: int, ws: list[int]) -> None:
    if sum(ws) == 0:
        ws = [*ws[:-1], 1]
    rows = allocate(total, ws)
    assert sum(rows) == total
    for row, w in zip(rows, ws, strict=True):
        assert abs(Decimal(row) - Decimal(total) * w / sum(ws)) < 1


@settings(max_examples=300, deadline=None)
@given(weights, shares, currencies, per_usd)
def test_cash_rows_sum_to_the_once_rounded_total(ws: list[int], share: int, currency: str, rate: Decimal) -> None:
    display = DisplayRate(currency, rate if currency != "USD" else Decimal(1))
    if sum(ws) == 0:
        ws = [*ws[:-1], 1]
    rows = display.cash_rows(ws, share)
    assert sum(rows) == display.cash(sum(ws), share)
    # when each row rounded on its own happens to add up, the allocation is exactly those roundings
    alone = [
        from_minor(
            int(
                (Decimal(to_minor(display.cash(sum(ws), share), currency)) * w / sum(ws)).quantize(
                    Decimal(1), rounding=ROUND_HALF_EVEN
                )
            ),
            currency,
        )
        for w in ws
    ]
    if sum(alone) == sum(rows):
        assert alone == rows
    assert all(r == r.quantize(Decimal(1).scaleb(-minor_units(currency))) for r in rows)
