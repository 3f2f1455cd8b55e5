"""Numbers and money in the current QLocale's style, for everything Qt draws: the pages (through ui/format.py)
and the PDF statement, which the command line draws too and so cannot reach into companion.ui."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QLocale

from companion.domain.money import minor_units


def whole(number: int) -> str:
    return QLocale().toString(int(number))


def money(amount: Decimal, currency: str) -> str:
    """Locale-formatted money without passing through float: the digits come from the Decimal's text."""
    digits = minor_units(currency)
    sign = "-" if amount < 0 else ""
    units, _, fraction = f"{abs(amount):.{digits}f}".partition(".")
    locale = QLocale()
    text = locale.toString(int(units)) + (locale.decimalPoint() + fraction if digits else "")
    symbol = {"USD": "US$", "EUR": "€", "GBP": "£", "JPY": "¥"}.get(currency, currency + " ")
    return f"{sign}{symbol}{text}"
