"""Bank identifiers checked by python-stdnum where it keeps the rules; plain format rules (said so) where not.

Each check takes the typed text and the field it came from, returns the compact form, or raises ValidationError
saying which part is wrong. The verdict on IBANs, BICs, ABA numbers, CBUs and Czech and New Zealand account
numbers is stdnum's; our code only explains it. stdnum 2.2 has no module for UK sort codes, Australian BSBs,
Indian IFSCs, Canadian transit numbers or the Mexican CLABE: those are format rules here (and the CLABE's
published check digit), tested on real-format samples in tests/domain/test_libraries.py."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from stdnum import bic as std_bic
from stdnum import iban as std_iban
from stdnum import numdb
from stdnum.ar import cbu
from stdnum.cz import bankaccount as cz_account
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength
from stdnum.exceptions import ValidationError as NumberError
from stdnum.iso7064 import mod_97_10
from stdnum.nz import bankaccount as nz_account
from stdnum.us import rtn

from companion.domain.errors import ValidationError
from companion.domain.iso4217 import country_name

_PART = re.compile(r"([1-9][0-9]*)!([nac])")
_CLASS = {"n": ("a digit", str.isdigit), "a": ("a letter", str.isalpha), "c": ("a letter or digit", str.isalnum)}


def _compact(value: str) -> str:
    return re.sub(r"[\s.\-/]", "", value).upper()


@cache
def iban_countries() -> frozenset[str]:
    """Country codes in the IBAN registry stdnum carries (SWIFT's)."""
    return frozenset(cc for cc in _ISO_LETTERS if iban_layout(cc))


_ISO_LETTERS = [a + b for a in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]


def iban_layout(country: str) -> list[str]:
    """The registry's layout after the check digits, one class per character ('n' digit, 'a' letter, 'c'
    either); empty when the country has no IBAN."""
    props = numdb.get("iban").info(country.upper()[:2])[0][1]
    return [kind for count, kind in _PART.findall(props.get("bban", "")) for _ in range(int(count))]


def iban_is_valid(iban: str) -> bool:
    """stdnum's verdict: the country's length and account layout, then ISO 7064 mod-97 and any national check."""
    return bool(std_iban.is_valid(iban))


def check_iban(value: str, field: str = "iban", country: str = "") -> str:
    """stdnum decides; the message names the part: country code, length, a character's kind, the mod-97 check
    digits, or the national check digit inside (Belgium, Spain, Norway... keep one)."""
    iban = std_iban.compact(value)
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]+", iban):
        raise ValidationError("is not an IBAN: expected a country code, 2 check digits, then the account", field)
    code = iban[:2]
    layout = iban_layout(code)
    if not layout:
        raise ValidationError("does not start with the code of a country that has IBANs", field)
    place = country_name(code)
    if country and country != code:
        raise ValidationError(
            f"is an IBAN from {place} (its first two letters), but the bank is in {country_name(country)}", field
        )
    if len(iban) != 4 + len(layout):
        raise ValidationError(f"an IBAN from {place} has {4 + len(layout)} characters; this one has {len(iban)}", field)
    for index, (char, kind) in enumerate(zip(iban[4:], layout, strict=True), start=5):
        what, fits = _CLASS[kind]
        if not fits(char):
            raise ValidationError(f"character {index} should be {what} in an IBAN from {place}", field)
    try:
        return std_iban.validate(iban)
    except InvalidChecksum:
        if mod_97_10.is_valid(iban[4:] + iban[:4]):
            raise ValidationError(
                f"the account number inside fails {place}'s national check digit: a character is mistyped", field
            ) from None
        raise ValidationError("check digits do not match (mod-97): a character is mistyped", field) from None
    except InvalidComponent:  # only Belgium, Spain, Norway and Montenegro have a national module that says this
        raise ValidationError(f"the bank code inside is not a known bank in {place}", field) from None
    except NumberError:
        raise ValidationError(f"is not a valid IBAN from {place}", field) from None


def check_bic(value: str, field: str = "swift") -> str:
    bic = std_bic.compact(value)
    try:
        return std_bic.validate(bic)
    except InvalidLength:
        raise ValidationError(f"a SWIFT/BIC code has 8 or 11 characters; this one has {len(bic)}", field) from None
    except InvalidComponent:
        raise ValidationError("characters 5-6 are not a country code", field) from None
    except NumberError:
        raise ValidationError(
            "expected 4 letters (bank), 2 letters (country), 2 letters or digits (place), optionally 3 more "
            "(branch), e.g. DEUTDEFF",
            field,
        ) from None


def aba_is_valid(digits: str) -> bool:
    return bool(rtn.is_valid(digits))


def check_aba(value: str, field: str = "routing") -> str:
    number = _compact(value)
    if not number.isdigit() or len(number) != 9:
        raise ValidationError("an ABA routing number has 9 digits", field)
    if not rtn.is_valid(number):
        raise ValidationError("is not a valid ABA routing number (its check digit does not match)", field)
    return number


def check_cbu(value: str, field: str = "account_number") -> str:
    """Argentina: 22 digits, a check digit closing the bank-and-branch block (8) and one closing the account (14)."""
    number = _compact(value)
    if not number.isdigit() or len(number) != 22:
        raise ValidationError("a CBU has 22 digits", field)
    if cbu.calc_check_digit(number[:7]) != number[7]:
        raise ValidationError("the bank and branch part (digits 1-8) fails its check digit", field)
    if not cbu.is_valid(number):
        raise ValidationError("the account part (digits 9-22) fails its check digit", field)
    return number


def check_nz_account(value: str, field: str = "account_number") -> str:
    """New Zealand: bank (2), branch (4), account (7), suffix (2-3): 01-0242-0100194-00."""
    try:
        return nz_account.validate(value)
    except InvalidChecksum:
        raise ValidationError("the account number fails its check digit: a digit is mistyped", field) from None
    except InvalidComponent:
        raise ValidationError(
            "the bank and branch (the first 6 digits) are not a known New Zealand branch", field
        ) from None
    except NumberError:
        raise ValidationError("expected bank-branch-account-suffix, e.g. 01-0242-0100194-00", field) from None


def check_cz_account(value: str, field: str = "account_number") -> str:
    """Czechia: [prefix-]number/bank code, e.g. 19-2000145399/0800."""
    number = cz_account.compact(value)
    try:
        return cz_account.validate(number)
    except InvalidChecksum:
        part = "account number" if not cz_account.is_valid(number[7:]) else "prefix (before the dash)"
        raise ValidationError(f"the {part} fails its check digit: a digit is mistyped", field) from None
    except InvalidComponent:
        raise ValidationError("the bank code (the 4 digits after the /) is not a Czech bank", field) from None
    except NumberError:
        raise ValidationError("expected [prefix-]number/bank code, e.g. 19-2000145399/0800", field) from None


# ---- format rules (stdnum has no module for these) ----------------------------------------------------------

_CLABE_WEIGHTS = (3, 7, 1) * 6


def clabe_is_valid(number: str) -> bool:
    """Banxico's CLABE: 18 digits, the last is (10 - Σ(digit·3,7,1 mod 10) mod 10) mod 10 over the first 17."""
    if len(number) != 18 or not number.isdigit():
        return False
    total = sum(int(d) * w % 10 for d, w in zip(number[:17], _CLABE_WEIGHTS, strict=False))
    return (10 - total % 10) % 10 == int(number[17])


def check_clabe(value: str, field: str = "account_number") -> str:
    number = _compact(value)
    if not number.isdigit() or len(number) != 18:
        raise ValidationError("a CLABE has 18 digits (bank 3, branch 3, account 11, check digit 1)", field)
    if not clabe_is_valid(number):
        raise ValidationError("the check digit (the 18th) does not match: a digit is mistyped", field)
    return number


def digits_rule(title: str, low: int, high: int) -> Callable[[str, str], str]:
    def check(value: str, field: str = "account_number") -> str:
        number = _compact(value)
        if not number.isdigit() or not low <= len(number) <= high:
            size = f"{low}" if low == high else f"{low}-{high}"
            raise ValidationError(f"a {title} has {size} digits", field)
        return number

    return check


check_sort_code = digits_rule("UK sort code", 6, 6)
check_uk_account = digits_rule("UK account number", 8, 8)
check_bsb = digits_rule("BSB", 6, 6)
check_au_account = digits_rule("Australian account number", 5, 10)
check_ca_routing = digits_rule("transit (5) and institution (3) number", 8, 8)
check_ca_account = digits_rule("Canadian account number", 7, 12)
check_in_account = digits_rule("Indian account number", 9, 18)


def check_ifsc(value: str, field: str = "routing") -> str:
    """India's IFSC: 4 letters (bank), a zero, 6 letters or digits (branch), e.g. SBIN0001234."""
    code = _compact(value)
    if len(code) != 11:
        raise ValidationError(f"an IFSC has 11 characters; this one has {len(code)}", field)
    if not code[:4].isalpha():
        raise ValidationError("the first 4 characters (the bank) should be letters", field)
    if code[4] != "0":
        raise ValidationError("the 5th character should be a zero", field)
    if not code[5:].isalnum():
        raise ValidationError("the last 6 characters (the branch) should be letters or digits", field)
    return code
