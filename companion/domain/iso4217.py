"""ISO 4217 currencies from Babel's copy of Unicode CLDR: which codes are in use, their minor units, their names."""

from __future__ import annotations

from functools import cache

from babel.core import Locale, UnknownLocaleError, get_global
from babel.numbers import get_currency_name, get_currency_precision

from companion.domain.errors import ValidationError

#: CLDR's "digits" are what people usually *show* (Indonesians write no rupiah cents); ISO 4217's minor unit is
#: what the money is *denominated* in, which is what statements and bank transfers use. Where the two disagree
#: ISO wins. tests/domain/test_libraries.py fails when a Babel update changes this set, so it is re-checked.
ISO_WHERE_CLDR_DIFFERS: dict[str, int] = {
    "AFN": 2, "ALL": 2, "COP": 2, "HUF": 2, "IDR": 2, "IQD": 3, "IRR": 2, "KPW": 2, "LAK": 2, "LBP": 2,
    "MGA": 2, "MMK": 2, "SOS": 2, "SYP": 2, "YER": 2,
}  # fmt: skip


@cache
def active_codes() -> frozenset[str]:
    """Every ISO 4217 code some country uses as legal tender today: CLDR's territory table with no end date.
    Funds codes (CLF, USN, XDR...), precious metals and retired currencies (HRK, SLL...) are left out."""
    return frozenset(
        code
        for periods in get_global("territory_currencies").values()
        for code, _start, end, tender in periods
        if tender and end is None
    )


@cache
def _known_codes() -> frozenset[str]:
    """Every tender code CLDR has ever listed: old data in a retired currency still rounds correctly."""
    return frozenset(
        code for periods in get_global("territory_currencies").values() for code, _s, _e, tender in periods if tender
    )


def minor_units_of(code: str) -> int:
    """ISO 4217 digits after the decimal point (USD 2, JPY 0, KWD 3); ValidationError for a code no country
    uses (Babel itself answers 2 for any unknown code, so it is checked first)."""
    upper = code.strip().upper()
    if upper not in _known_codes():
        raise ValidationError(f"unknown currency '{code}'", field="currency")
    return ISO_WHERE_CLDR_DIFFERS.get(upper, get_currency_precision(upper))


def babel_locale(name: str | None) -> Locale:
    """A Babel locale for a POSIX or Qt name ('de_DE', 'pt-BR', 'C'); English when it has no CLDR data."""
    try:
        return Locale.parse((name or "en").split(".")[0].replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return Locale("en")


def currency_name(code: str, locale: str | None = None) -> str:
    """'Japanese Yen' / 'Japanischer Yen' / '日本円' in the UI language; the code itself when CLDR has no name."""
    return get_currency_name(code, locale=babel_locale(locale))


def currency_choices(locale: str | None = None) -> list[tuple[str, str]]:
    """(code, name in the UI language) for every active currency, by code: what a currency picker offers."""
    where = babel_locale(locale)
    return [(code, get_currency_name(code, locale=where)) for code in sorted(active_codes())]


def country_name(code: str, locale: str | None = None) -> str:
    """A region's name ('DE' → 'Germany' / 'Deutschland'); the code when CLDR has none."""
    return str(babel_locale(locale).territories.get(code.upper(), code.upper()))
