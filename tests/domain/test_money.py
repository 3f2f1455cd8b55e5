"""Money: Decimal only, half-even rounding to the currency's minor unit, once per total."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.domain.economics import cash_for_diamonds, usd_per_diamond
from companion.domain.errors import ValidationError
from companion.domain.money import from_minor, minor_units, money_text, quantize, to_minor

FAST = settings(max_examples=200, deadline=None)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("0.005", "0.00"),  # tie → even (0)
        ("0.015", "0.02"),  # tie → even (2)
        ("0.025", "0.02"),  # tie → even (2)
        ("0.035", "0.04"),
        ("0.0051", "0.01"),  # not a tie: rounds up
        ("0.0049", "0.00"),
        ("-0.015", "-0.02"),
        ("-0.025", "-0.02"),
        ("150.015", "150.02"),
    ],
)
def test_quantize_usd_rounds_half_even_to_cents(amount: str, expected: str) -> None:
    result = quantize(Decimal(amount), "USD")
    assert result == Decimal(expected)
    assert str(result) == expected


@pytest.mark.parametrize(("amount", "expected"), [("0.5", "0"), ("1.5", "2"), ("2.5", "2"), ("2.51", "3")])
def test_quantize_jpy_has_no_minor_digits(amount: str, expected: str) -> None:
    assert str(quantize(Decimal(amount), "JPY")) == expected


@pytest.mark.parametrize(("amount", "expected"), [("0.0005", "0.000"), ("0.0015", "0.002"), ("1.2345", "1.234")])
def test_quantize_kwd_has_three_minor_digits(amount: str, expected: str) -> None:
    assert str(quantize(Decimal(amount), "KWD")) == expected


def test_minor_units_known_currencies_case_insensitive() -> None:
    assert minor_units("USD") == 2
    assert minor_units("usd") == 2
    assert minor_units("JPY") == 0
    assert minor_units("KWD") == 3


def test_unknown_currency_is_a_validation_error_on_currency() -> None:
    with pytest.raises(ValidationError) as info:
        quantize(Decimal("1"), "XXX")
    assert info.value.field == "currency"


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [("12.34", "USD", 1234), ("0.005", "USD", 0), ("0.015", "USD", 2), ("1234", "JPY", 1234), ("1.2345", "KWD", 1234)],
)
def test_to_minor_rounds_half_even_to_integer_minor_units(amount: str, currency: str, minor: int) -> None:
    result = to_minor(Decimal(amount), currency)
    assert isinstance(result, int)
    assert result == minor


@pytest.mark.parametrize(
    ("minor", "currency", "amount"), [(1234, "USD", "12.34"), (5, "JPY", "5"), (1, "KWD", "0.001")]
)
def test_from_minor_gives_the_decimal_amount(minor: int, currency: str, amount: str) -> None:
    assert from_minor(minor, currency) == Decimal(amount)


def test_money_text_has_exactly_the_currency_digits() -> None:
    assert money_text(Decimal("12.3"), "USD") == "12.30"
    assert money_text(Decimal("0"), "USD") == "0.00"
    assert money_text(Decimal("1E+3"), "USD") == "1000.00"
    assert money_text(Decimal("2.5"), "JPY") == "2"
    assert money_text(Decimal("1"), "KWD") == "1.000"


currencies = st.sampled_from(["USD", "JPY", "KWD", "EUR", "CLP", "BHD"])


@FAST
@given(minor=st.integers(min_value=-(10**15), max_value=10**15), currency=currencies)
def test_to_minor_of_from_minor_is_identity(minor: int, currency: str) -> None:
    assert to_minor(from_minor(minor, currency), currency) == minor


@FAST
@given(
    amount=st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False, places=8),
    currency=currencies,
)
def test_quantize_moves_at_most_half_a_minor_unit(amount: Decimal, currency: str) -> None:
    half_unit = Decimal(1).scaleb(-minor_units(currency)) / 2
    rounded = quantize(amount, currency)
    assert abs(rounded - amount) <= half_unit
    # The result has exactly the currency's digits.
    assert rounded.as_tuple().exponent == -minor_units(currency)


@FAST
@given(
    gifts=st.lists(st.integers(min_value=0, max_value=50_000), min_size=1, max_size=60),
    share_bps=st.integers(min_value=0, max_value=10_000),
    seed=st.integers(min_value=0, max_value=2**32 - 1),
)
def test_cash_is_rounded_once_per_total_and_independent_of_gift_order(
    gifts: list[int], share_bps: int, seed: int
) -> None:
    per_diamond = usd_per_diamond(share_bps)
    unrounded_parts = [d * per_diamond for d in gifts]
    expected = quantize(sum(unrounded_parts, Decimal(0)), "USD")
    assert cash_for_diamonds(sum(gifts), share_bps) == expected

    shuffled = list(gifts)
    random.Random(seed).shuffle(shuffled)
    assert quantize(sum((d * per_diamond for d in shuffled), Decimal(0)), "USD") == expected
    assert cash_for_diamonds(sum(shuffled), share_bps) == expected


def test_per_gift_rounding_would_lose_money_but_total_rounding_does_not() -> None:
    # Three 1-diamond gifts at 50 %: each is US$0.005 (→ 0.00 alone); together 0.015 → 0.02.
    per_gift = sum((cash_for_diamonds(1, 5000) for _ in range(3)), Decimal(0))
    assert per_gift == Decimal("0.00")
    assert cash_for_diamonds(3, 5000) == Decimal("0.02")
