"""Money and rates in input fields, in the person's locale (QLocale): typed text goes through the domain's one
parser with the locale's separators, and a field is filled the way the locale writes numbers ('1.000,00' in
de_DE, never '1000.00')."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QLocale

from companion.domain.economics import share_percent_text
from companion.domain.money import NumberSymbols, format_amount, minor_units, parse_amount


def locale_numbers(locale: QLocale | None = None) -> NumberSymbols:
    """The locale's decimal sign and thousands separator; no grouping accepted where the locale omits it (C)."""
    shown = locale if locale is not None else QLocale()
    omit = bool(shown.numberOptions() & QLocale.NumberOption.OmitGroupSeparator)
    return NumberSymbols(shown.decimalPoint(), "" if omit else shown.groupSeparator())


def amount_text(amount: Decimal | int, currency: str | None = None, locale: QLocale | None = None) -> str:
    """An amount for an input field: the currency's digits ('1.000,00'); without a currency, as many as it has."""
    return format_amount(Decimal(amount), locale_numbers(locale), minor_units(currency) if currency else None)


def percent_text(share_bps: int, locale: QLocale | None = None) -> str:
    """A percentage for an input field: '52,5' in a comma locale (no trailing zeros)."""
    return share_percent_text(share_bps).replace(".", locale_numbers(locale).decimal)


def parse_typed(text: str, currency: str | None, field: str, locale: QLocale | None = None) -> Decimal:
    """Text typed in a money field, read in the locale (see `parse_amount`: ambiguous text is refused)."""
    return parse_amount(text, locale_numbers(locale), currency, field=field)
