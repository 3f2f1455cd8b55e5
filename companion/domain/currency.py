"""Display currencies: offline exchange rates (units per US dollar, dated) and conversion after the USD total."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from companion.domain.economics import usd_per_diamond
from companion.domain.errors import ValidationError
from companion.domain.iso4217 import active_codes
from companion.domain.money import (
    C_NUMBERS,
    NumberSymbols,
    allocate,
    from_minor,
    parse_amount,
    quantize,
    to_minor,
)

BASE_CURRENCY = "USD"
#: Far above any real rate (IDR, VND, IRR are in the tens of thousands) and far below any typo's reach.
MAX_RATE = Decimal("1000000000")


@dataclass(frozen=True)
class ExchangeRate:
    """`per_usd` units of `currency` buy one US dollar, as the user noted it on `as_of`."""

    currency: str
    per_usd: Decimal
    as_of: date


def check_currency(code: str) -> str:
    """An ISO 4217 code some country uses today (Babel's CLDR data), upper-cased."""
    cleaned = str(code).strip().upper()
    if cleaned not in active_codes():
        raise ValidationError(
            f"unknown currency '{str(code).strip()}' (use the ISO 4217 code of a currency in use, like EUR or JPY)",
            field="currency",
        )
    return cleaned


def parse_rate(text: str | Decimal, symbols: NumberSymbols = C_NUMBERS) -> Decimal:
    """A rate typed by the user, in the locale's number format (`symbols`; the command line's is a dot decimal and
    no grouping): a positive finite number ('0.92', '151.3', '1,350' under en_US); zero, negatives, words and
    ambiguous text ('1,350' under the C rule: 1.35 or 1350?) refused. Rates may have any number of decimals."""
    rate = parse_amount(text, symbols, None, field="rate")
    if rate <= 0:
        raise ValidationError(f"rate must be more than 0 (got '{text}')", field="rate")
    if rate > MAX_RATE:
        raise ValidationError(f"rate '{text}' is implausibly large", field="rate")
    return rate.normalize() if rate == rate.to_integral_value() else rate


def convert_from_usd(amount_usd: Decimal, rate: Decimal, currency: str) -> Decimal:
    """An *unrounded* US-dollar amount in `currency` at `rate` units per dollar, rounded once, half-even, to its
    minor unit. Feeding it a total already rounded to the cent rounds twice (3 diamonds at 50 % and 0.9 EUR/USD:
    US$0.015 → US$0.02 → €0.018 → €0.02 instead of €0.01); services convert through `DisplayRate`."""
    if currency == BASE_CURRENCY:
        return quantize(amount_usd, BASE_CURRENCY)
    return quantize(amount_usd * parse_rate(rate), check_currency(currency))


def convert_to_usd(amount: Decimal, rate: Decimal, currency: str) -> Decimal:
    """An amount in `currency` back to US dollars at `rate`, rounded once to the cent (goals set in EUR, say)."""
    check_currency(currency)
    if currency == BASE_CURRENCY:
        return quantize(amount, BASE_CURRENCY)
    return quantize(amount / parse_rate(rate), BASE_CURRENCY)


def rate_on(rates: Iterable[ExchangeRate], currency: str, day: date) -> ExchangeRate | None:
    """The newest rate for `currency` dated on or before `day`; failing that, its oldest one (a rate noted after
    the day is a better guess than none). None when the currency has no rate at all."""
    mine = sorted((r for r in rates if r.currency == currency), key=lambda r: r.as_of)
    if not mine:
        return None
    earlier = [r for r in mine if r.as_of <= day]
    return earlier[-1] if earlier else mine[0]


@dataclass(frozen=True)
class DisplayRate:
    """The one way US-dollar cash becomes what the creator sees: `currency` at `per_usd` units per US$1 (USD at 1
    when no rate is noted). `note` says which rate is used, or why figures stay in US dollars.

    Convert the *unrounded* US-dollar amount and round once, half-even, in the display currency's minor units:
    3 diamonds at 50 % and 0.9 EUR/USD is €0.0135 → €0.01 (rounding to the cent first would give €0.02)."""

    currency: str = BASE_CURRENCY
    per_usd: Decimal = Decimal(1)
    note: str = ""

    @property
    def converts(self) -> bool:
        return self.currency != BASE_CURRENCY

    def exact(self, amount_usd: Decimal) -> Decimal:
        """The unrounded amount in the display currency (for sums that are rounded later, once)."""
        return amount_usd * self.per_usd if self.converts else amount_usd

    def from_usd(self, amount_usd: Decimal) -> Decimal:
        """An unrounded US-dollar amount in the display currency, rounded once. Never pass a total already
        rounded to the cent when it is converted: that rounds twice."""
        return quantize(self.exact(amount_usd), self.currency)

    def cash(self, diamonds: int, share_bps: int) -> Decimal:
        """Cash for a total of diamonds at a share, in the display currency, rounded once."""
        return self.from_usd(diamonds * usd_per_diamond(share_bps))

    def cash_rows(self, diamonds: Sequence[int], share_bps: int) -> list[Decimal]:
        """Cash of each row of a table (a stream, a day), shared out of the rows' once-rounded total by diamonds,
        so the column adds up to exactly `cash(sum(diamonds), share_bps)` (largest remainder)."""
        total = to_minor(self.cash(sum(diamonds), share_bps), self.currency)
        return [from_minor(minor, self.currency) for minor in allocate(total, list(diamonds))]


def display_rate(currency: str, rates: Iterable[ExchangeRate], day: date) -> DisplayRate:
    """How a profile whose display currency is `currency` sees cash on `day`: at the newest rate noted on or
    before it (else its oldest); in US dollars, with a note saying why, when no rate is noted at all."""
    if currency == BASE_CURRENCY:
        return DisplayRate()
    found = rate_on(rates, currency, day)
    if found is None:
        return DisplayRate(BASE_CURRENCY, Decimal(1), f"in US$: no {currency} exchange rate entered yet")
    return DisplayRate(currency, found.per_usd, f"at {found.per_usd:f} {currency} per US$ (rate of {found.as_of})")
