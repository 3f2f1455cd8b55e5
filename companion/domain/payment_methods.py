"""Payment methods: the kinds, the secret fields each kind has, their validation and masked hints.

Every field value here is a secret: it goes to the OS keyring and nowhere else. Messages never repeat a value."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime

from companion.domain.errors import ValidationError

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


FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "paypal": (FieldSpec("email", "PayPal email", True, "name@example.com"),),
    "bank": (
        FieldSpec("holder", "Account holder", True, "Name on the account"),
        FieldSpec("iban", "IBAN", False, "DE89 3704 0044 0532 0130 00"),
        FieldSpec("account_number", "Account number", False, "If the bank has no IBAN"),
        FieldSpec("routing", "Routing number / sort code", False, "9-digit ABA or sort code"),
        FieldSpec("swift", "SWIFT / BIC", False, "8 or 11 characters"),
        FieldSpec("bank_name", "Bank name", False, ""),
    ),
    "payoneer": (
        FieldSpec("email", "Payoneer email", True, "name@example.com"),
        FieldSpec("account_id", "Payoneer customer ID", False, ""),
    ),
    "other": (),  # the user names its fields
}

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_IBAN = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")
_BIC = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$")
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
    """ISO 13616: move the first four characters to the end, letters → 10..35, the number mod 97 is 1."""
    if not _IBAN.match(iban):
        return False
    moved = iban[4:] + iban[:4]
    digits = "".join(str(int(ch, 36)) for ch in moved)
    return int(digits) % 97 == 1


def check_iban(value: str, field: str = "iban") -> str:
    iban = re.sub(r"[\s-]", "", value).upper()
    if not _IBAN.match(iban):
        raise ValidationError(
            "is not an IBAN: expected a country code, 2 check digits and up to 30 letters or digits", field
        )
    if not iban_is_valid(iban):
        raise ValidationError("check digits do not match (mod-97): a character is mistyped", field)
    return iban


def aba_is_valid(digits: str) -> bool:
    """ABA routing number: 9 digits, 3·(d1+d4+d7) + 7·(d2+d5+d8) + (d3+d6+d9) divisible by 10."""
    if len(digits) != 9 or not digits.isdigit():
        return False
    d = [int(c) for c in digits]
    return (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8])) % 10 == 0


def check_routing(value: str, field: str = "routing") -> str:
    """A 9-digit number is an ABA routing number and must pass its checksum; other bank codes (UK sort code,
    BSB, IFSC, transit numbers) are 4-15 letters or digits."""
    code = re.sub(r"[\s-]", "", value).upper()
    if len(code) == 9 and code.isdigit():
        if not aba_is_valid(code):
            raise ValidationError("is not a valid ABA routing number (its checksum does not match)", field)
        return code
    if not _ROUTING_OTHER.match(code):
        raise ValidationError("expected a 9-digit ABA routing number or a 4-15 character bank code", field)
    return code


def check_bic(value: str, field: str = "swift") -> str:
    bic = re.sub(r"\s", "", value).upper()
    if not _BIC.match(bic):
        raise ValidationError("is not a SWIFT/BIC code (8 or 11 letters and digits, e.g. DEUTDEFF)", field)
    return bic


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
        if _IBAN.match(compact) and iban_is_valid(compact):
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
}


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
        specs = {spec.name: spec for spec in FIELDS[kind]}
        unknown = sorted(set(cleaned) - set(specs))
        if unknown:
            raise ValidationError(
                f"a {KIND_TITLES[kind]} method has no field “{unknown[0]}” (fields: {', '.join(specs)})", unknown[0]
            )
        for spec in FIELDS[kind]:
            if spec.name not in cleaned:
                if spec.required:
                    raise ValidationError("is required", spec.name)
                continue
            normalize = _NORMALIZERS.get(spec.name)
            result[spec.name] = normalize(cleaned[spec.name], spec.name) if normalize else cleaned[spec.name]
        if kind == "bank" and not (result.get("iban") or result.get("account_number")):
            raise ValidationError("give an IBAN or an account number", "iban")
    return NewMethod(kind, clean_label, _hint(kind, result), Secrets(result))
