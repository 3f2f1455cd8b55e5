"""Money as Decimal: currencies' minor units, the single rounding rule (half-even, once per total), and the one
parser and formatter for amounts a person types (in their locale's way of writing numbers)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from companion.domain.errors import ValidationError
from companion.domain.iso4217 import minor_units_of


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


def allocate(total: int, weights: Sequence[int]) -> list[int]:
    """Split `total` minor units over rows in proportion to `weights` (diamonds, say) so the rows add up to
    exactly `total`: each row gets its share rounded down, and the units left over go one each to the rows with
    the largest remainders. A printed column then sums to its printed total.

    The rows are the once-rounded total shared out; a row can differ by one minor unit from its own figure
    rounded alone — that is what makes the column add up."""
    if any(isinstance(w, bool) or not isinstance(w, int) or w < 0 for w in weights):
        raise ValueError(f"weights must be whole numbers, 0 or more (got {list(weights)!r})")
    whole = sum(weights)
    if whole == 0:
        if total:
            raise ValueError(f"cannot share {total} over rows that all weigh nothing")
        return [0] * len(weights)
    sign, size = (-1 if total < 0 else 1), abs(total)
    shares = [divmod(size * w, whole) for w in weights]
    left = size - sum(q for q, _ in shares)
    # among equal remainders, first the rows that half-even rounding alone would round up: when the rows rounded
    # on their own already add up, the allocation is exactly those roundings
    by_remainder = sorted(range(len(weights)), key=lambda i: (-shares[i][1], shares[i][0] % 2 == 0))
    extra = set(by_remainder[:left])
    return [sign * (q + (1 if i in extra else 0)) for i, (q, _) in enumerate(shares)]


# ---- amounts as people type them ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NumberSymbols:
    """How a locale writes numbers: its decimal sign and its thousands separator ("" = no grouping accepted)."""

    decimal: str
    group: str


#: The command line's rule (and POSIX "C"): a dot for decimals, no thousands separators.
C_NUMBERS = NumberSymbols(".", "")

# Characters a person may type for the same separator: a plain space for a no-break or narrow one (fr, ru), a
# straight apostrophe for the typographic one (de_CH).
_SPACES = frozenset(" \u00a0\u202f\u2009")
_APOSTROPHES = frozenset("'\u2019")
#: Anything a person may have meant as a separator; one of these out of place makes a text ambiguous, not a word.
_SEPARATORS = frozenset(".,") | _SPACES | _APOSTROPHES | frozenset("\u066b\u066c")
_MINUS = ("-", "\u2212")
_SYMBOLS = ("US$", "$", "€", "£", "¥", "₩", "₹")
#: More digits than any amount or rate has, and few enough that Decimal's 28 digits hold it with its decimals.
_MAX_DIGITS = 20


def _group_chars(group: str) -> frozenset[str]:
    if not group:
        return frozenset()
    if group in _SPACES:
        return _SPACES
    if group in _APOSTROPHES:
        return _APOSTROPHES
    return frozenset(group)


def _grouped_digits(text: str, groups: frozenset[str]) -> str | None:
    """The digits of an integer part written with thousands separators, or None when the grouping is not one a
    locale writes: the last group has three digits, the first one to three, any between two (India) or three."""
    if not groups or not any(c in groups for c in text):
        return text if text.isdigit() or text == "" else None
    parts = re.split("|".join(re.escape(c) for c in sorted(groups)), text)
    first, middle, last = parts[0], parts[1:-1], parts[-1]
    if not all(p.isdigit() for p in parts) or not 1 <= len(first) <= 3 or len(last) != 3:
        return None
    if any(len(p) not in (2, 3) for p in middle):
        return None
    return "".join(parts)


def format_amount(amount: Decimal, symbols: NumberSymbols = C_NUMBERS, digits: int | None = None) -> str:
    """An amount as the locale writes it for an input field: '1.500,50' (de_DE), '1,500.50' (en_US),
    '1500.50' (C). `digits`: exactly that many decimals (rounded half-even); None: as many as the amount has."""
    if digits is not None:
        amount = amount.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_EVEN)
    sign = "-" if amount < 0 else ""
    units, _, fraction = f"{abs(amount):f}".partition(".")
    if symbols.group:
        head = len(units) % 3 or 3
        units = symbols.group.join([units[:head]] + [units[i : i + 3] for i in range(head, len(units), 3)])
    return sign + units + (symbols.decimal + fraction if fraction else "")


def parse_amount(
    text: str | Decimal | int,
    symbols: NumberSymbols = C_NUMBERS,
    currency: str | None = None,
    *,
    max_decimals: int | None = None,
    negative: bool = False,
    field: str = "amount",
) -> Decimal:
    """The one way text a person typed becomes an amount or a rate.

    Accepts the locale's decimal sign and thousands separator (`symbols`), a currency symbol or code around the
    number and, when `negative`, a minus sign. Refuses anything it would have to guess: under en_US '12,50' is
    refused with "type 12.50 (or 1,250 for one thousand two hundred fifty)"; under de_DE '1.500' is 1500 and
    '0,35' is 0.35. Decimals are limited to `max_decimals`, or to the `currency`'s minor units (a rate has no
    currency and no limit); typing more is refused even as zeros ('1.250' for US$ may be one thousand)."""
    limit = max_decimals if max_decimals is not None else (minor_units(currency) if currency else None)
    if isinstance(text, bool) or not isinstance(text, str | Decimal | int):
        raise ValidationError(f"{field} must be typed as text, not {type(text).__name__}", field=field)
    if not isinstance(text, str):
        number = Decimal(text)
        if number.is_finite() and number.adjusted() >= _MAX_DIGITS:
            raise ValidationError(f"'{text}' has too many digits", field=field)
        return _checked_number(number, str(text), limit, negative, currency, field)
    raw = _strip_currency(text.strip(), currency)
    minus = raw.startswith(_MINUS)
    body = _strip_currency(raw[1:].strip(), currency) if minus else raw
    if not body:
        raise ValidationError(f"enter the {field} (e.g. {_example(symbols, limit)})", field=field)
    groups = _group_chars(symbols.group)
    decimal = symbols.decimal
    if any(not (c.isdigit() and c.isascii()) and c != decimal and c not in groups for c in body) or (
        body.count(decimal) > 1
    ):
        raise _unclear(text, body, symbols, limit, minus, field)
    units, dot, fraction = body.partition(decimal)
    digits = _grouped_digits(units, groups)
    if digits is None or (dot and not fraction.isdigit()) or (not digits and not fraction):
        raise _unclear(text, body, symbols, limit, minus, field)
    if len(digits) + len(fraction) > _MAX_DIGITS:
        raise ValidationError(f"'{text.strip()}' has too many digits", field=field)
    if limit is not None and len(fraction) > limit:
        raise _too_fine(text, body, symbols, limit, currency, field)
    amount = Decimal(f"{digits or '0'}.{fraction or '0'}") if fraction else Decimal(digits)
    return _checked_number(-amount if minus else amount, text.strip(), limit, negative, currency, field)


def _checked_number(
    amount: Decimal, shown: str, limit: int | None, negative: bool, currency: str | None, field: str
) -> Decimal:
    if not amount.is_finite():
        raise ValidationError(f"'{shown}' is not a finite number", field=field)
    if limit is not None and amount != amount.quantize(Decimal(1).scaleb(-limit), rounding=ROUND_HALF_EVEN):
        unit = f"{currency} has" if currency else "it may have"
        raise ValidationError(f"'{shown}' has more decimals than {unit} ({limit})", field=field)
    if amount < 0 and not negative:
        raise ValidationError(f"the {field} cannot be negative (got '{shown}')", field=field)
    return amount


def _strip_currency(text: str, currency: str | None) -> str:
    for mark in ((currency.upper(),) if currency else ()) + _SYMBOLS:
        if text.upper().startswith(mark.upper()):
            return text[len(mark) :].strip()
        if text.upper().endswith(mark.upper()):
            return text[: -len(mark)].strip()
    return text


def _example(symbols: NumberSymbols, limit: int | None) -> str:
    return format_amount(Decimal("1250.50"), symbols, 2 if limit is None else min(limit, 2))


def _readings(body: str, symbols: NumberSymbols, limit: int | None) -> tuple[Decimal | None, int | None]:
    """What a text outside the locale's rules could have meant: its last separator as the decimal sign (the
    others consistent thousands separators), and all of its separators as thousands separators (at least 1,000)."""
    seps = [c for c in body if not c.isdigit()]
    if not seps or any(c not in _SEPARATORS and not c.isdigit() for c in body):
        return None, None
    digits = "".join(c for c in body if c.isdigit())
    last = body.rfind(seps[-1])
    head, tail = body[:last], body[last + 1 :]
    as_decimal = None
    if (
        tail.isdigit()
        and (limit is None or len(tail) <= limit)
        and len(set(seps[:-1])) <= 1
        and seps[-1] not in seps[:-1]
    ):
        units = _grouped_digits(head, frozenset(seps[:-1])) if seps[:-1] else head
        if units is not None and len(digits) <= _MAX_DIGITS:
            as_decimal = Decimal(f"{units or '0'}.{tail}")
    as_whole = int(digits) if len(set(seps)) == 1 and digits and len(digits) <= 15 and int(digits) >= 1000 else None
    return as_decimal, as_whole


def _advice(body: str, symbols: NumberSymbols, limit: int | None, minus: bool) -> str:
    as_decimal, as_whole = _readings(body, symbols, limit)
    sign = "-" if minus else ""
    options = []
    if as_decimal is not None:
        options.append(f"{sign}{format_amount(as_decimal, symbols)}")
    if as_whole is not None:
        whole = (
            f"{sign}{format_amount(Decimal(as_whole), symbols)} for {'minus ' if minus else ''}{number_words(as_whole)}"
        )
        options.append(f"({'or ' if options else ''}{whole})" if options else whole)
    return " ".join(options)


def _unclear(
    text: str, body: str, symbols: NumberSymbols, limit: int | None, minus: bool, field: str
) -> ValidationError:
    advice = _advice(body, symbols, limit, minus)
    if advice:
        return ValidationError(f"'{text.strip()}' is unclear: type {advice}", field=field)
    return ValidationError(f"'{text.strip()}' is not a number (type e.g. {_example(symbols, limit)})", field=field)


def _too_fine(
    text: str, body: str, symbols: NumberSymbols, limit: int, currency: str | None, field: str
) -> ValidationError:
    _, as_whole = _readings(body, symbols, limit)
    unit = f"{currency.upper()} has" if currency else "it may have"
    message = f"'{text.strip()}' has more decimals than {unit} ({limit})"
    if as_whole is not None:
        message += f"; for {number_words(as_whole)} type {format_amount(Decimal(as_whole), symbols)}"
    return ValidationError(message, field=field)


_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)  # fmt: skip
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand"))


def number_words(n: int) -> str:
    """A whole number in English words ('one thousand two hundred fifty'), so a refusal cannot be misread."""
    if n < 0:
        return "minus " + number_words(-n)
    if n < 20:
        return _ONES[n]
    if n < 100:
        return _TENS[n // 10] + ("-" + _ONES[n % 10] if n % 10 else "")
    if n < 1000:
        return _ONES[n // 100] + " hundred" + (" " + number_words(n % 100) if n % 100 else "")
    for scale, name in _SCALES:
        if n >= scale:
            return number_words(n // scale) + f" {name}" + (" " + number_words(n % scale) if n % scale else "")
    raise AssertionError("unreachable")
