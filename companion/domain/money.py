"""Money as Decimal: currencies' minor units and the single rounding rule (half-even, once per total)."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from companion.domain.errors import ValidationError
from companion.domain.iso4217 import minor_units_of


def D(value: str | int | Decimal) -> Decimal:
    """The one way to make a money number; floats are refused because they cannot hold cents exactly."""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise TypeError(f"money must be str, int or Decimal, not {type(value).__name__}")
    try:
        number = Decimal(value.strip() if isinstance(value, str) else value)
    except InvalidOperation:
        raise ValidationError(f"'{value}' is not a number") from None
    if not number.is_finite():
        raise ValidationError(f"'{value}' is not a finite number")
    return number


def minor_units(currency: str) -> int:
    """ISO 4217 digits after the decimal point for `currency` (USD 2, JPY 0, KWD 3), from Babel's CLDR data."""
    return minor_units_of(currency)


def quantize(amount: Decimal, currency: str) -> Decimal:
    """Round `amount` half-even to the currency's minor unit. Call once per reported total."""
    exponent = Decimal(1).scaleb(-minor_units(currency))
    return amount.quantize(exponent, rounding=ROUND_HALF_EVEN)


def to_minor(amount: Decimal, currency: str) -> int:
    """Integer minor units (cents) of an amount, rounding half-even."""
    return int(quantize(amount, currency).scaleb(minor_units(currency)))


def from_minor(minor: int, currency: str) -> Decimal:
    """The Decimal amount for integer minor units."""
    return Decimal(minor).scaleb(-minor_units(currency))


def money_text(amount: Decimal, currency: str) -> str:
    """Plain machine text with exactly the currency's digits, e.g. '12.30' (for JSON and files)."""
    return f"{quantize(amount, currency):f}"
