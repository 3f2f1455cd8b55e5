"""Money as Decimal: currencies' minor units and the single rounding rule (half-even, once per total)."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from companion.domain.errors import ValidationError

# ISO 4217 minor units for the currencies creators are most likely to be paid in.
MINOR_UNITS: dict[str, int] = {
    "USD": 2,
    "EUR": 2,
    "GBP": 2,
    "CAD": 2,
    "AUD": 2,
    "NZD": 2,
    "CHF": 2,
    "SEK": 2,
    "NOK": 2,
    "DKK": 2,
    "PLN": 2,
    "CZK": 2,
    "HUF": 2,
    "RON": 2,
    "TRY": 2,
    "BRL": 2,
    "MXN": 2,
    "ARS": 2,
    "COP": 2,
    "CLP": 0,
    "PEN": 2,
    "INR": 2,
    "IDR": 2,
    "PHP": 2,
    "THB": 2,
    "MYR": 2,
    "SGD": 2,
    "HKD": 2,
    "TWD": 2,
    "CNY": 2,
    "JPY": 0,
    "KRW": 0,
    "VND": 0,
    "ZAR": 2,
    "NGN": 2,
    "KES": 2,
    "EGP": 2,
    "AED": 2,
    "SAR": 2,
    "QAR": 2,
    "ILS": 2,
    "KWD": 3,
    "BHD": 3,
    "OMR": 3,
    "JOD": 3,
    "TND": 3,
    "UAH": 2,
    "PKR": 2,
    "BDT": 2,
}


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
    """Digits after the decimal point for `currency` (USD 2, JPY 0, KWD 3)."""
    try:
        return MINOR_UNITS[currency.upper()]
    except KeyError:
        raise ValidationError(f"unknown currency '{currency}'", field="currency") from None


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
