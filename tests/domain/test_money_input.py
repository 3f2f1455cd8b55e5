"""Amounts and rates as people type them: one parser, the locale's separators, nothing guessed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.domain.currency import parse_rate
from companion.domain.economics import parse_share_percent
from companion.domain.errors import ValidationError
from companion.domain.money import (
    C_NUMBERS,
    NumberSymbols,
    format_amount,
    minor_units,
    number_words,
    parse_amount,
)
from companion.services.payouts import parse_usd

# What QLocale(name).decimalPoint() / groupSeparator() give (Qt 6.11).
EN_US = NumberSymbols(".", ",")
DE_DE = NumberSymbols(",", ".")
PT_BR = NumberSymbols(",", ".")
ID_ID = NumberSymbols(",", ".")
FR_FR = NumberSymbols(",", "\u202f")
RU_RU = NumberSymbols(",", "\u00a0")
DE_CH = NumberSymbols(".", "'")
COMMA_LOCALES = {"de_DE": DE_DE, "pt_BR": PT_BR, "id_ID": ID_ID}
ALL = {"C": C_NUMBERS, "en_US": EN_US, **COMMA_LOCALES, "fr_FR": FR_FR, "ru_RU": RU_RU, "de_CH": DE_CH}


# ---- the measured defects ----------------------------------------------------------------------------------


def test_a_rate_with_a_thousands_comma_is_not_read_as_a_fraction() -> None:
    # was 1.35: a KRW rate typed with a thousands separator was stored 1,000× too small
    with pytest.raises(ValidationError, match=r"type 1\.350 \(or 1350 for one thousand three hundred fifty\)"):
        parse_rate("1,350")
    assert parse_rate("1,350", EN_US) == Decimal(1350)
    assert parse_rate("1350") == Decimal(1350)


def test_dollars_with_a_decimal_comma_are_refused_not_multiplied() -> None:
    # was 125000 cents (US$1,250.00)
    with pytest.raises(ValidationError, match=r"type 12\.50") as info:
        parse_usd("12,50", "amount")
    assert info.value.field == "amount"


def test_dollars_already_read_by_the_gui_arrive_as_decimals() -> None:
    assert parse_usd(Decimal("1500.50"), "amount") == 150_050
    assert parse_usd("1.500,50", "amount", DE_DE) == 150_050
    with pytest.raises(ValidationError, match="more decimals than USD has"):
        parse_usd(Decimal("0.005"), "fee")


def test_en_us_refusal_shows_both_ways_to_type_it() -> None:
    with pytest.raises(ValidationError) as info:
        parse_amount("12,50", EN_US, "USD")
    assert "type 12.50 (or 1,250 for one thousand two hundred fifty)" in str(info.value)


@pytest.mark.parametrize("name", sorted(COMMA_LOCALES))
def test_comma_locales_read_dots_as_thousands_and_commas_as_decimals(name: str) -> None:
    symbols = COMMA_LOCALES[name]
    assert parse_amount("0,35", symbols, "USD") == Decimal("0.35")  # was 35.00 (a PayPal fee)
    assert parse_amount("1.500", symbols, "USD") == Decimal(1500)  # was US$1.50
    assert parse_amount("1.500,50", symbols, "USD") == Decimal("1500.50")  # was "fractions of a cent"
    assert parse_amount("1500,5", symbols, "EUR") == Decimal("1500.5")
    assert parse_amount("2.000.000", symbols, "IDR") == Decimal(2000000)
    assert parse_rate("15.500", symbols) == Decimal(15500)  # IDR per US$
    assert parse_rate("0,9215", symbols) == Decimal("0.9215")
    with pytest.raises(ValidationError, match=r"type 12,50 \(or 1\.250 for one thousand two hundred fifty\)"):
        parse_amount("12.50", symbols, "USD")


def test_en_us_reads_commas_as_thousands_and_dots_as_decimals() -> None:
    assert parse_amount("0.35", EN_US, "USD") == Decimal("0.35")
    assert parse_amount("1,500", EN_US, "USD") == Decimal(1500)
    assert parse_amount("1,500.50", EN_US, "USD") == Decimal("1500.50")
    assert parse_amount("US$1,250.50", EN_US, "USD") == Decimal("1250.50")
    with pytest.raises(ValidationError, match=r"type 0\.35"):
        parse_amount("0,35", EN_US, "USD")
    with pytest.raises(ValidationError, match=r"type 1,500\.50"):
        parse_amount("1.500,50", EN_US, "USD")


def test_spaces_and_apostrophes_group_where_the_locale_groups_with_them() -> None:
    for symbols in (FR_FR, RU_RU):
        for space in (" ", "\u00a0", "\u202f"):
            assert parse_amount(f"1{space}500,50", symbols, "EUR") == Decimal("1500.50")
    assert parse_amount("1'500.50", DE_CH, "CHF") == Decimal("1500.50")
    assert parse_amount("1\u2019500.50", DE_CH, "CHF") == Decimal("1500.50")
    with pytest.raises(ValidationError, match="one thousand five hundred"):
        parse_amount("1.500", FR_FR, "EUR")


def test_indian_grouping_is_read() -> None:
    assert parse_amount("1,23,456.75", EN_US, "INR") == Decimal("123456.75")


# ---- what is refused, and how -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "symbols", "currency", "message"),
    [
        ("1.250", EN_US, "USD", "more decimals than USD has (2); for one thousand two hundred fifty type 1,250"),
        ("1,505", DE_DE, "EUR", "more decimals than EUR has (2); for one thousand five hundred five type 1.505"),
        ("1.5", C_NUMBERS, "JPY", "more decimals than JPY has (0)"),
        ("0.1234", C_NUMBERS, "KWD", "more decimals than KWD has (3)"),
        ("-5", C_NUMBERS, "USD", "cannot be negative"),
        ("abc", EN_US, "USD", "not a number (type e.g. 1,250.50)"),
        ("12abc", DE_DE, "USD", "not a number (type e.g. 1.250,50)"),
        ("", C_NUMBERS, "USD", "enter the amount"),
        ("1,2345", EN_US, "USD", "unclear"),
        ("1.500.000", EN_US, "USD", "type 1,500,000 for one million five hundred thousand"),
        ("1e5", C_NUMBERS, "USD", "not a number"),
        ("NaN", C_NUMBERS, None, "not a number"),
        ("Infinity", C_NUMBERS, None, "not a number"),
        ("1" * 40, C_NUMBERS, None, "too many digits"),
        ("1" * 29, C_NUMBERS, "KWD", "too many digits"),
    ],
)
def test_refusals_say_what_to_type(text: str, symbols: NumberSymbols, currency: str | None, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_amount(text, symbols, currency, field="amount")
    assert message in str(info.value)
    assert info.value.field == "amount"


def test_negative_only_where_allowed() -> None:
    assert parse_amount("-1.500,5", DE_DE, "EUR", negative=True) == Decimal("-1500.5")
    assert parse_amount("\u22127", C_NUMBERS, "USD", negative=True) == Decimal(-7)


def test_rates_have_no_decimal_limit_but_amounts_do() -> None:
    assert parse_rate("0.000123456") == Decimal("0.000123456")
    assert parse_amount("0.1234", C_NUMBERS, max_decimals=4) == Decimal("0.1234")
    with pytest.raises(ValidationError):
        parse_amount("0.12345", C_NUMBERS, max_decimals=4)


def test_share_percent_reads_the_locale() -> None:
    assert parse_share_percent("52,5", DE_DE) == 5250
    assert parse_share_percent("52.5") == 5250
    with pytest.raises(ValidationError) as info:
        parse_share_percent("52,5")
    assert info.value.field == "share"


def test_number_words() -> None:
    assert number_words(1250) == "one thousand two hundred fifty"
    assert number_words(1_500_000) == "one million five hundred thousand"
    assert number_words(21) == "twenty-one"
    assert number_words(1_000_000_007) == "one billion seven"


# ---- format then parse gives the amount back ----------------------------------------------------------------

locales = st.sampled_from(sorted(ALL))
currencies = st.sampled_from(["USD", "EUR", "JPY", "KRW", "KWD", "IDR", "BRL"])


@settings(max_examples=300, deadline=None)
@given(locales, currencies, st.integers(min_value=-(10**15), max_value=10**15), st.booleans())
def test_format_then_parse_round_trips(name: str, currency: str, minor: int, full: bool) -> None:
    symbols = ALL[name]
    amount = Decimal(minor).scaleb(-minor_units(currency))
    text = format_amount(amount, symbols, minor_units(currency) if full else None)
    assert parse_amount(text, symbols, currency, negative=True) == amount


@settings(max_examples=200, deadline=None)
@given(locales, st.decimals(min_value=Decimal("0.000001"), max_value=Decimal("999999999"), places=6))
def test_rates_round_trip(name: str, rate: Decimal) -> None:
    symbols = ALL[name]
    assert parse_rate(format_amount(rate, symbols), symbols) == rate


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from([EN_US, DE_DE]),
    st.text(alphabet="0123456789.,", min_size=1, max_size=12),
)
def test_never_reads_a_text_both_ways(symbols: NumberSymbols, text: str) -> None:
    """A text accepted in one of en_US / de_DE and in the other must mean the same there, or one refuses it:
    the only texts both accept are whole numbers without separators."""
    other = DE_DE if symbols is EN_US else EN_US
    try:
        mine = parse_amount(text, symbols, "USD")
        theirs = parse_amount(text, other, "USD")
    except ValidationError:
        return
    assert mine == theirs


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from(sorted(ALL)),
    st.sampled_from([None, "USD", "JPY", "KWD"]),
    st.text(alphabet=st.sampled_from("0123456789.,'-−$€ \u00a0\u202fe+x"), max_size=40) | st.text(max_size=20),
)
def test_any_text_is_an_amount_or_a_refusal(name: str, currency: str | None, text: str) -> None:
    try:
        amount = parse_amount(text, ALL[name], currency, negative=True)
    except ValidationError as exc:
        assert str(exc) and exc.field == "amount"
        return
    assert amount.is_finite()


def test_huge_decimals_are_refused_not_crashed() -> None:
    with pytest.raises(ValidationError, match="too many digits"):
        parse_usd(Decimal("1E+40"), "amount")
    assert parse_amount("-€5", C_NUMBERS, "EUR", negative=True) == Decimal(-5)
