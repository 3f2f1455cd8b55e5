"""How numbers look to the creator: locale grouping, money with its currency, local times, durations."""

from __future__ import annotations

from datetime import datetime
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


def local_time(moment: datetime, with_date: bool = False) -> str:
    local = moment.astimezone()
    return local.strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M:%S")


def local_day(moment: datetime) -> str:
    return moment.astimezone().strftime("%a %d %b %Y, %H:%M")


def local_short(moment: datetime) -> str:
    return moment.astimezone().strftime("%d %b, %H:%M")
