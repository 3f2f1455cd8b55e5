"""Payment methods: the kinds, the secret fields each kind has, their validation and masked hints.

Every field value here is a secret: it goes to the OS keyring and nowhere else. Messages never repeat a value."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from companion.domain import bank_details as bank
from companion.domain.errors import ValidationError
from companion.domain.iso4217 import babel_locale

KINDS: tuple[str, ...] = ("paypal", "bank", "payoneer", "other")
KIND_TITLES: dict[str, str] = {"paypal": "PayPal", "bank": "Bank account", "payoneer": "Payoneer", "other": "Other"}

#: Windows Credential Manager holds at most 2,560 bytes per secret, stored as UTF-16: 1,280 code units.
MAX_SECRET_UNITS = 1280
MAX_LABEL = 80
MAX_OTHER_FIELDS = 8
MASK = "•"


@dataclass(frozen=True)
class FieldSpec:
    name: str  # the key in the keyring user name: <ref>/<name>
    title: str
    required: bool = False
    placeholder: str = ""


_COUNTRY = FieldSpec("country", "Bank country", False, "two letters, e.g. DE, US, MX")
_HOLDER = FieldSpec("holder", "Account holder", True, "Name on the account")
_SWIFT = FieldSpec("swift", "SWIFT / BIC", False, "8 or 11 characters")
_BANK_NAME = FieldSpec("bank_name", "Bank name", False, "")

FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "paypal": (FieldSpec("email", "PayPal email", True, "name@example.com"),),
    "bank": (
        _COUNTRY,
        _HOLDER,
        FieldSpec("iban", "IBAN", False, "DE89 3704 0044 0532 0130 00"),
        FieldSpec("account_number", "Account number", False, "If the bank has no IBAN"),
        FieldSpec("routing", "Routing number / sort code", False, "9-digit ABA or sort code"),
        _SWIFT,
        _BANK_NAME,
    ),
    "payoneer": (
        FieldSpec("email", "Payoneer email", True, "name@example.com"),
        FieldSpec("account_id", "Payoneer customer ID", False, ""),
    ),
    "other": (),  # the user names its fields
}

Check = Callable[[str, str], str]


@dataclass(frozen=True)
class BankRule:
    """A country's bank fields (between holder and SWIFT), their checks, and which fields together suffice:
    the method needs every field of at least one group in `needs`."""

    fields: tuple[FieldSpec, ...]
    checks: Mapping[str, Check]
    needs: tuple[tuple[str, ...], ...] = ()
    needs_text: str = ""


def _iban(required: bool) -> FieldSpec:
    return FieldSpec("iban", "IBAN", required, "as on your statement")


#: Countries whose domestic details are not (only) an IBAN. Every other country in the IBAN registry asks for an
#: IBAN; a country in neither, or no country, gets the generic fields. Brazil has IBANs but pays by bank code.
BANK_RULES: dict[str, BankRule] = {
    "US": BankRule(
        (FieldSpec("routing", "ABA routing number", True, "9 digits"),
         FieldSpec("account_number", "Account number", True, "4-17 digits")),
        {"routing": bank.check_aba, "account_number": bank.digits_rule("US account number", 4, 17)},
    ),
    "GB": BankRule(
        (FieldSpec("routing", "Sort code", False, "12-34-56"), FieldSpec("account_number", "Account number", False,
         "8 digits"), _iban(False)),
        {"routing": bank.check_sort_code, "account_number": bank.check_uk_account},
        (("routing", "account_number"), ("iban",)), "give the sort code and account number, or an IBAN",
    ),
    "MX": BankRule((FieldSpec("account_number", "CLABE", True, "18 digits"),), {"account_number": bank.check_clabe}),
    "AR": BankRule((FieldSpec("account_number", "CBU", True, "22 digits"),), {"account_number": bank.check_cbu}),
    "NZ": BankRule(
        (FieldSpec("account_number", "Account number", True, "01-0242-0100194-00"),),
        {"account_number": bank.check_nz_account},
    ),
    "CZ": BankRule(
        (FieldSpec("account_number", "Account number", False, "19-2000145399/0800"), _iban(False)),
        {"account_number": bank.check_cz_account},
        (("account_number",), ("iban",)), "give the account number or an IBAN",
    ),
    "AU": BankRule(
        (FieldSpec("routing", "BSB", True, "6 digits"), FieldSpec("account_number", "Account number", True, "")),
        {"routing": bank.check_bsb, "account_number": bank.check_au_account},
    ),
    "IN": BankRule(
        (FieldSpec("routing", "IFSC", True, "e.g. SBIN0001234"), FieldSpec("account_number", "Account number", True,
         "9-18 digits")),
        {"routing": bank.check_ifsc, "account_number": bank.check_in_account},
    ),
    "CA": BankRule(
        (FieldSpec("routing", "Transit and institution number", True, "12345-003"),
         FieldSpec("account_number", "Account number", True, "7-12 digits")),
        {"routing": bank.check_ca_routing, "account_number": bank.check_ca_account},
    ),
}  # fmt: skip
_GENERIC = BankRule(FIELDS["bank"][2:5], {}, (("iban",), ("account_number",)), "give an IBAN or an account number")
_IBAN_ONLY = BankRule((_iban(True),), {})


def bank_rule(country: str) -> BankRule:
    if country in BANK_RULES:
        return BANK_RULES[country]
    if country and country != "BR" and country in bank.iban_countries():
        return _IBAN_ONLY
    return _GENERIC


def fields_for(kind: str, country: str = "") -> tuple[FieldSpec, ...]:
    """The fields a method of `kind` asks for; a bank's follow its country (no country: the generic ones)."""
    if kind != "bank":
        return FIELDS[kind]
    return (_COUNTRY, _HOLDER, *bank_rule(country).fields, _SWIFT, _BANK_NAME)


def bank_countries(locale: str | None = None) -> list[tuple[str, str]]:
    """(code, name in the UI language) of every country, by name: what the bank-country picker offers."""
    names = babel_locale(locale).territories
    return sorted(((code, names[code]) for code in _country_codes()), key=lambda pair: pair[1].casefold())


@cache
def _country_codes() -> frozenset[str]:
    # CLDR also names regions and groupings (001, EU, UN, ZZ, QO); a bank sits in a two-letter country.
    return frozenset(str(c) for c in babel_locale("en").territories if len(str(c)) == 2 and str(c).isalpha()) - {
        "EU", "EZ", "UN", "ZZ", "QO", "XA", "XB"
    }  # fmt: skip


def check_bank_country(value: str, field: str = "country") -> str:
    code = value.strip().upper()
    if code not in _country_codes():
        raise ValidationError("is not a country code (two letters, e.g. DE or MX)", field)
    return code


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_FIELD_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,39}$")
_ROUTING_OTHER = re.compile(r"^[A-Z0-9]{4,15}$")


class Secrets(Mapping[str, str]):
    """Field name → secret value. Its repr never shows a value, so a log line or a traceback cannot leak one."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self._values = dict(values)

    def __getitem__(self, key: str) -> str:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Secrets({', '.join(self._values)}: hidden)"

    __str__ = __repr__


@dataclass(frozen=True)
class NewMethod:
    """A validated method ready to be saved: kind, label, hint for the database; secrets for the keyring."""

    kind: str
    label: str
    hint: str
    secrets: Secrets


@dataclass(frozen=True)
class PaymentMethod:
    """A saved method as the database knows it: never a secret, only where the secrets are."""

    id: int
    kind: str
    label: str
    hint: str
    keyring_service: str
    keyring_ref: str
    fields: tuple[str, ...]
    created_at: datetime

    @property
    def kind_title(self) -> str:
        return KIND_TITLES.get(self.kind, self.kind)


# ---- checks -----------------------------------------------------------------------------------------------


def secret_units(value: str) -> int:
    """Length as Windows counts it: UTF-16 code units."""
    return len(value.encode("utf-16-le")) // 2


def check_secret_length(name: str, value: str) -> None:
    if secret_units(value) > MAX_SECRET_UNITS:
        raise ValidationError(
            f"{name} is {secret_units(value):,} characters long; a keyring entry holds at most "
            f"{MAX_SECRET_UNITS:,} (the Windows limit). Nothing was saved.",
            name,
        )


def check_email(value: str, field: str = "email") -> str:
    email = value.strip()
    if len(email) > 254 or not _EMAIL.match(email):
        raise ValidationError("is not an email address (expected name@example.com)", field)
    return email


def iban_is_valid(iban: str) -> bool:
    """stdnum's verdict: the country's length and account layout, then ISO 7064 mod-97 and any national check."""
    return bank.iban_is_valid(iban)


def check_iban(value: str, field: str = "iban", country: str = "") -> str:
    return bank.check_iban(value, field, country if country in bank.iban_countries() else "")


def aba_is_valid(digits: str) -> bool:
    return bank.aba_is_valid(digits)


def check_routing(value: str, field: str = "routing") -> str:
    """With no country: a 9-digit number is an ABA routing number and must pass its checksum; other bank codes
    (UK sort code, BSB, IFSC, transit numbers) are 4-15 letters or digits."""
    code = re.sub(r"[\s-]", "", value).upper()
    if len(code) == 9 and code.isdigit():
        return bank.check_aba(code, field)
    if not _ROUTING_OTHER.match(code):
        raise ValidationError("expected a 9-digit ABA routing number or a 4-15 character bank code", field)
    return code


def check_bic(value: str, field: str = "swift") -> str:
    return bank.check_bic(value, field)


def check_account_number(value: str, field: str = "account_number") -> str:
    number = re.sub(r"[\s-]", "", value)
    if not 4 <= len(number) <= 34 or not number.isalnum():
        raise ValidationError("expected 4-34 letters or digits", field)
    return number


def check_label(label: str) -> str:
    text = " ".join(label.split())
    if not text:
        raise ValidationError("give the method a name, e.g. “PayPal main”", "label")
    if len(text) > MAX_LABEL:
        raise ValidationError(f"is longer than {MAX_LABEL} characters", "label")
    return text


def check_field_name(name: str) -> str:
    text = " ".join(name.split())
    if not _FIELD_NAME.match(text):
        raise ValidationError(
            f"field name “{text[:40]}” must start with a letter or digit and use only letters, digits, "
            "spaces, . _ - (at most 40)",
            "fields",
        )
    return text


# ---- hints -----------------------------------------------------------------------------------------------


def mask_email(email: str) -> str:
    """`paula@example.com` → `p•••@example.com`: enough to tell accounts apart, not enough to use one."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}{MASK * 3}@{domain}"


def mask_tail(value: str, keep: int = 4) -> str:
    """`DE89370400440532013000` → `•••• 3000`; a value too short to keep a tail shows no character."""
    compact = re.sub(r"\s", "", value)
    if len(compact) < 2 * keep:
        return MASK * 4
    return f"{MASK * 4} {compact[-keep:]}"


def _hint(kind: str, values: Mapping[str, str]) -> str:
    if kind in ("paypal", "payoneer"):
        return mask_email(values["email"])
    if kind == "bank":
        number = values.get("iban") or values.get("account_number") or ""
        return mask_tail(number)
    return _other_hint(values)


#: Field names of an `other` method whose value a partial reveal would help an attacker: never hinted.
_SECRET_NAME = re.compile(r"pass|pin|secret|key|token|code|cvv|cvc|security|otp|seed|phrase|answer|login", re.I)
#: Field names that say the value is an account number (hinted by its last digits, as a bank statement does).
_ACCOUNT_NAME = re.compile(r"account|acct|iban|number", re.I)


def _other_hint(values: Mapping[str, str]) -> str:
    """An `other` method's hint: from the first field whose value is safe to show in part — an email address,
    a valid IBAN, or the digits of a field named like an account number — and never from a password or
    free-form secret (its last characters would shorten a guess). Named, so it is never mistaken for the
    hints made before this rule (`•••• ` + the first value's tail), which `reveals_secret` clears."""
    for name, value in values.items():
        if _SECRET_NAME.search(name):
            continue
        if _EMAIL.match(value):
            return f"{name}: {mask_email(value)}"
        compact = re.sub(r"[\s-]", "", value).upper()
        if iban_is_valid(compact):
            return f"{name}: {mask_tail(compact)}"
        if _ACCOUNT_NAME.search(name) and compact.isascii() and compact.isdigit() and len(compact) >= 8:
            return f"{name}: {mask_tail(compact)}"
    return MASK * 4


def reveals_secret(kind: str, hint: str) -> bool:
    """Whether a stored hint may show the tail of a secret: an `other` method's hint made before hints were
    limited to safe fields (the tail of whatever its first value was, a password included)."""
    return kind == "other" and hint.startswith(MASK * 4 + " ")


# ---- the whole method -------------------------------------------------------------------------------------

_NORMALIZERS = {
    "email": check_email,
    "iban": check_iban,
    "routing": check_routing,
    "swift": check_bic,
    "account_number": check_account_number,
    "country": check_bank_country,
}


def _normalize(name: str, value: str, rule: BankRule, country: str) -> str:
    if name == "iban":
        return check_iban(value, name, country)
    check = rule.checks.get(name) or _NORMALIZERS.get(name)
    return check(value, name) if check else value


def _clean(values: Mapping[str, str]) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    for name, value in values.items():
        if not isinstance(value, str):
            raise ValidationError("must be text", name)
        text = value.strip()
        if text:
            cleaned[name] = text
    return cleaned


def validate_method(kind: str, label: str, values: Mapping[str, str]) -> NewMethod:
    """Check and normalise everything the user typed; raises ValidationError naming the first bad field."""
    if kind not in KINDS:
        raise ValidationError(f"unknown kind “{kind}”; expected one of {', '.join(KINDS)}", "kind")
    clean_label = check_label(label)
    cleaned = _clean(values)
    for name, value in cleaned.items():
        check_secret_length(name, value)
    result: dict[str, str] = {}
    if kind == "other":
        if not cleaned:
            raise ValidationError("add at least one secret field (name and value)", "fields")
        if len(cleaned) > MAX_OTHER_FIELDS:
            raise ValidationError(f"at most {MAX_OTHER_FIELDS} fields", "fields")
        for name, value in cleaned.items():
            key = check_field_name(name)
            if key in result:
                raise ValidationError(f"field name “{key}” is used twice", "fields")
            result[key] = value
    else:
        country = check_bank_country(cleaned["country"]) if kind == "bank" and "country" in cleaned else ""
        rule = bank_rule(country)
        specs = {spec.name: spec for spec in fields_for(kind, country)}
        unknown = sorted(set(cleaned) - set(specs))
        if unknown:
            raise ValidationError(
                f"a {KIND_TITLES[kind]} method has no field “{unknown[0]}” (fields: {', '.join(specs)})", unknown[0]
            )
        for spec in fields_for(kind, country):
            if spec.name not in cleaned:
                if spec.required:
                    raise ValidationError("is required", spec.name)
                continue
            result[spec.name] = _normalize(spec.name, cleaned[spec.name], rule, country)
        if kind == "bank" and rule.needs and not any(all(name in result for name in group) for group in rule.needs):
            raise ValidationError(rule.needs_text, next(n for n in rule.needs[0] if n not in result))
    return NewMethod(kind, clean_label, _hint(kind, result), Secrets(result))
