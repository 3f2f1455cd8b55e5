"""Display currencies: conversion after the USD total, rounded once to the currency's minor units."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from companion.domain.currency import (
    DisplayRate,
    ExchangeRate,
    check_currency,
    convert_from_usd,
    convert_to_usd,
    parse_rate,
    rate_on,
)
from companion.domain.economics import cash_for_diamonds
from companion.domain.errors import ValidationError
from companion.domain.money import minor_units


@pytest.mark.parametrize(
    ("usd", "rate", "currency", "shown"),
    [
        ("10.00", "0.92", "EUR", "9.20"),
        ("0.05", "0.9", "EUR", "0.04"),  # 0.045 → half-even 0.04
        ("0.15", "0.9", "EUR", "0.14"),  # 0.135 → half-even 0.14
        ("1.23", "150", "JPY", "184"),  # 184.5 → half-even 184
        ("1.25", "150", "JPY", "188"),  # 187.5 → half-even 188
        ("1.00", "0.3075", "KWD", "0.308"),  # 0.3075 → half-even 0.308
        ("2.00", "0.30725", "KWD", "0.614"),  # 0.6145 → half-even 0.614
        ("12.34", "1", "USD", "12.34"),
    ],
)
def test_conversion_hand_computed(usd: str, rate: str, currency: str, shown: str) -> None:
    result = convert_from_usd(Decimal(usd), Decimal(rate), currency)
    assert result == Decimal(shown)
    assert -result.as_tuple().exponent == minor_units(currency)  # type: ignore[operator]


def test_conversion_is_of_the_unrounded_usd_amount() -> None:
    # 3 diamonds at 50 % = US$0.015; at 150 JPY/US$ that is ¥2.25 → ¥2. Rounding to the cent first (US$0.02) would
    # give ¥3: the figure shown is the unrounded dollars converted and rounded once.
    assert convert_from_usd(Decimal("0.015"), Decimal(150), "JPY") == Decimal(2)
    assert DisplayRate("JPY", Decimal(150)).cash(3, 5000) == Decimal(2)
    assert cash_for_diamonds(3, 5000) == Decimal("0.02")  # the US-dollar figure itself is rounded on its own


@pytest.mark.parametrize("text", ["0", "-1", "-0.5", "abc", "", "NaN", "Infinity", "1e20"])
def test_bad_rates_are_refused(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_rate(text)
    assert info.value.field == "rate"


def test_unknown_currency_is_refused() -> None:
    assert check_currency(" eur ") == "EUR"
    with pytest.raises(ValidationError, match="unknown currency 'XYZ'"):
        check_currency("XYZ")


def test_rate_on_picks_the_newest_rate_not_after_the_day() -> None:
    rates = [
        ExchangeRate("EUR", Decimal("0.90"), date(2026, 1, 1)),
        ExchangeRate("EUR", Decimal("0.95"), date(2026, 6, 1)),
        ExchangeRate("JPY", Decimal("150"), date(2026, 3, 1)),
    ]
    assert rate_on(rates, "EUR", date(2026, 5, 31)).per_usd == Decimal("0.90")  # type: ignore[union-attr]
    assert rate_on(rates, "EUR", date(2026, 6, 1)).per_usd == Decimal("0.95")  # type: ignore[union-attr]
    assert rate_on(rates, "JPY", date(2025, 1, 1)).per_usd == Decimal("150")  # type: ignore[union-attr]
    assert rate_on(rates, "GBP", date(2026, 1, 1)) is None


currencies = st.sampled_from(["EUR", "GBP", "JPY", "KWD", "INR", "IDR", "BRL", "KRW", "BHD"])
cents = st.integers(min_value=0, max_value=10**11)
rates = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("100000"), places=4)


@given(cents, rates, currencies)
def test_usd_round_trip_lands_within_one_minor_unit(amount_cents: int, rate: Decimal, currency: str) -> None:
    """USD → currency → USD differs by at most one minor unit of the coarser of the two (in USD terms)."""
    assume(rate > 0)
    usd = Decimal(amount_cents).scaleb(-2)
    back = convert_to_usd(convert_from_usd(usd, rate, currency), rate, currency)
    one_display_unit_in_usd = Decimal(1).scaleb(-minor_units(currency)) / rate
    assert abs(back - usd) <= max(Decimal("0.01"), one_display_unit_in_usd)


@given(st.integers(min_value=0, max_value=10**11), rates, currencies)
def test_display_round_trip_lands_within_one_minor_unit(amount_minor: int, rate: Decimal, currency: str) -> None:
    """currency → USD → currency differs by at most one minor unit of the coarser of the two (in its terms)."""
    assume(rate > 0)
    shown = Decimal(amount_minor).scaleb(-minor_units(currency))
    again = convert_from_usd(convert_to_usd(shown, rate, currency), rate, currency)
    one_cent_in_display = Decimal("0.01") * rate
    assert abs(again - shown) <= max(Decimal(1).scaleb(-minor_units(currency)), one_cent_in_display)
