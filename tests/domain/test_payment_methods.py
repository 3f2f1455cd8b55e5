"""Payment-method rules: fields per kind, email / IBAN / ABA / BIC checks, masked hints, no value in a message."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from companion.domain.errors import ValidationError
from companion.domain.payment_methods import (
    aba_is_valid,
    check_iban,
    iban_is_valid,
    mask_email,
    mask_tail,
    reveals_secret,
    validate_method,
)

VALID_IBANS = ["GB82WEST12345698765432", "DE89370400440532013000", "FR1420041010050500013M02606", "NL91ABNA0417164300"]


@pytest.mark.parametrize("iban", VALID_IBANS)
def test_real_ibans_pass_mod_97(iban: str) -> None:
    assert iban_is_valid(iban)
    spaced = " ".join(iban[i : i + 4] for i in range(0, len(iban), 4)).lower()
    assert check_iban(spaced) == iban


@given(st.sampled_from(VALID_IBANS), st.data())
def test_any_single_changed_character_fails_mod_97(iban: str, data: st.DataObject) -> None:
    position = data.draw(st.integers(4, len(iban) - 1))
    replacement = data.draw(st.sampled_from("0123456789").filter(lambda c: c != iban[position]))
    assert not iban_is_valid(iban[:position] + replacement + iban[position + 1 :])


@pytest.mark.parametrize("routing", ["021000021", "011000015", "121000358"])
def test_real_aba_routing_numbers_pass(routing: str) -> None:
    assert aba_is_valid(routing)


@pytest.mark.parametrize("routing", ["021000022", "123456789", "12345678", "02100002a"])
def test_wrong_aba_routing_numbers_fail(routing: str) -> None:
    assert not aba_is_valid(routing)


def test_paypal_hint_masks_the_email() -> None:
    method = validate_method("paypal", "  PayPal   main ", {"email": " paula@example.com "})
    assert (method.kind, method.label, method.hint) == ("paypal", "PayPal main", "p•••@example.com")
    assert dict(method.secrets) == {"email": "paula@example.com"}


def test_bank_hint_shows_the_last_four_and_values_are_normalised() -> None:
    method = validate_method(
        "bank",
        "Savings",
        {"holder": "Ada Lovelace", "iban": "gb82 west 1234 5698 7654 32", "routing": "021-000-021",
         "swift": "deut de ff", "bank_name": "", "account_number": ""},
    )  # fmt: skip
    assert method.hint == "•••• 5432"
    assert dict(method.secrets) == {
        "holder": "Ada Lovelace", "iban": "GB82WEST12345698765432", "routing": "021000021", "swift": "DEUTDEFF"
    }  # fmt: skip


def test_a_short_value_shows_no_character_in_the_hint() -> None:
    assert mask_tail("1234567") == "••••"
    assert mask_tail("12345678") == "•••• 5678"
    assert mask_email("x@y.org") == "x•••@y.org"


def test_other_kind_takes_named_fields() -> None:
    method = validate_method("other", "Wise", {"Account tag": "@ada-123456", "Pin note": "n/a"})
    assert list(method.secrets) == ["Account tag", "Pin note"]
    assert method.hint == "••••"  # a free-form tag: no character of it is shown


@pytest.mark.parametrize(
    "values",
    [
        {"password": "hunter2xyzw"},
        {"Login": "ada", "Password": "correct-horse-xyzw"},
        {"note": "free text ending xyzw"},
        {"PIN": "12345678"},
        {"security answer": "1234567890"},
    ],
)
def test_an_other_method_never_hints_at_a_password_or_free_form_secret(values: dict[str, str]) -> None:
    hint = validate_method("other", "Vault", values).hint
    assert hint == "••••"
    assert not any(value[-4:] in hint for value in values.values())


@pytest.mark.parametrize(
    ("values", "hint"),
    [
        ({"password": "secretxyzw", "email": "ada@example.com"}, "email: a•••@example.com"),
        ({"Account number": "1234 5678 90"}, "Account number: •••• 7890"),
        ({"Wise IBAN": "GB82 WEST 1234 5698 7654 32"}, "Wise IBAN: •••• 5432"),
    ],
)
def test_an_other_method_hints_only_at_fields_safe_to_show_in_part(values: dict[str, str], hint: str) -> None:
    assert validate_method("other", "Wise", values).hint == hint


def test_hints_saved_before_the_rule_are_recognised_as_revealing() -> None:
    assert reveals_secret("other", "•••• xyzw")
    assert not reveals_secret("other", "••••")
    assert not reveals_secret("other", "Account number: •••• 7890")
    assert not reveals_secret("bank", "•••• 3000")


SECRET = "SENTINEL-9f8e7d"


@pytest.mark.parametrize(
    ("kind", "values", "field", "words"),
    [
        ("paypal", {"email": f"{SECRET}-no-at-sign"}, "email", "not an email address"),
        ("paypal", {}, "email", "required"),
        ("bank", {"holder": "A", "iban": f"GB82WEST1234569876543{SECRET}"}, "iban", "has 22 characters"),
        ("bank", {"holder": "A", "iban": "GB83WEST12345698765432"}, "iban", "mod-97"),
        ("bank", {"holder": "A", "iban": "GB82WEST12345698765432", "routing": "021000022"}, "routing", "ABA"),
        ("bank", {"holder": "A", "iban": "GB82WEST12345698765432", "swift": SECRET}, "swift", "SWIFT/BIC"),
        ("bank", {"holder": "A"}, "iban", "IBAN or an account number"),
        ("bank", {"iban": "GB82WEST12345698765432"}, "holder", "required"),
        ("bank", {"holder": "A", "iban": "GB82WEST12345698765432", "pin": SECRET}, "pin", "no field"),
        ("payoneer", {"email": SECRET}, "email", "not an email address"),
        ("other", {}, "fields", "at least one"),
        ("other", {"a/b": SECRET}, "fields", "field name"),
        ("paypal", {"email": "a@example.com" + "x" * 1300}, "email", "at most 1,280"),
    ],
)
def test_bad_input_names_the_field_and_never_quotes_the_value(
    kind: str, values: dict[str, str], field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_method(kind, "Label", values)
    assert refused.value.field == field
    assert words in str(refused.value)
    assert SECRET not in str(refused.value)


def test_label_and_kind_are_checked() -> None:
    with pytest.raises(ValidationError, match="give the method a name") as refused:
        validate_method("paypal", "   ", {"email": "a@example.com"})
    assert refused.value.field == "label"
    with pytest.raises(ValidationError, match="unknown kind") as refused:
        validate_method("card", "x", {})
    assert refused.value.field == "kind"


def test_secrets_never_show_in_repr() -> None:
    method = validate_method("paypal", "P", {"email": f"{SECRET}@example.com"})
    assert SECRET not in repr(method) and SECRET not in str(method.secrets)
