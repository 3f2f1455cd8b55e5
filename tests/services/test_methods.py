"""MethodService against a real Secret Service: the row holds a hint, the keyring holds the secrets."""

from __future__ import annotations

import dataclasses

import keyring
import pytest
from keyring.backends import fail

from companion.credentials.keyring_store import KeyringCredentialStore
from companion.credentials.store import CredentialsUnavailable
from companion.domain.errors import NotFound, ValidationError
from companion.services import Services
from companion.services.methods import MethodService
from companion.store.methods_repo import MethodRepo
from tests.credentials.test_keyring_store import entries
from tests.keyring_fixture import SecretService

IBAN = "GB82WEST12345698765432"


@pytest.fixture
def methods(services: Services, secret_service: SecretService) -> MethodService:
    """The real keyring (the `services` fixture holds secrets in memory)."""
    return MethodService(services.db, services.profile_id, KeyringCredentialStore(), services.profiles.clock)


def database_bytes(services: Services) -> bytes:
    path = services.db.path
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def test_add_keeps_the_secret_in_the_keyring_and_only_a_hint_in_the_database(
    methods: MethodService, services: Services
) -> None:
    method = methods.add("paypal", "PayPal main", {"email": "paula.secret@example.com"})
    assert (method.kind, method.label, method.hint, method.fields) == (
        "paypal", "PayPal main", "p•••@example.com", ("email",)
    )  # fmt: skip
    assert method.keyring_service.startswith("io.creatorcompanion.my-channel-")
    assert entries(method.keyring_service)[f"{method.keyring_ref}/email"] == "paula.secret@example.com"
    assert methods.reveal(method.id) == {"email": "paula.secret@example.com"}
    assert b"paula.secret" not in database_bytes(services)
    assert methods.list() == [method]
    assert methods.hints() == {method.id: "PayPal main (p•••@example.com)"}


def test_remove_deletes_the_keyring_entries(methods: MethodService) -> None:
    bank = methods.add("bank", "Savings", {"holder": "Ada", "iban": IBAN})
    keep = methods.add("paypal", "PayPal", {"email": "a@example.com"})
    methods.remove(bank.id)
    left = entries(bank.keyring_service)
    assert not [user for user in left if user.startswith(bank.keyring_ref)]
    assert left["index"] == keep.keyring_ref
    assert methods.list() == [keep]
    with pytest.raises(NotFound):
        methods.reveal(bank.id)


def test_edit_replaces_secrets_under_a_new_reference_and_drops_the_old(methods: MethodService) -> None:
    bank = methods.add("bank", "Savings", {"holder": "Ada", "iban": IBAN, "swift": "DEUTDEFF"})
    edited = methods.edit(bank.id, "Savings (old)", {"holder": "Ada L.", "account_number": "12345678"})
    assert (edited.label, edited.hint, edited.fields) == ("Savings (old)", "•••• 5678", ("holder", "account_number"))
    assert edited.keyring_ref != bank.keyring_ref
    assert methods.reveal(bank.id) == {"holder": "Ada L.", "account_number": "12345678"}
    assert not [u for u in entries(bank.keyring_service) if u.startswith(bank.keyring_ref)]
    renamed = methods.edit(bank.id, "Checking")
    assert (renamed.label, renamed.keyring_ref) == ("Checking", edited.keyring_ref)


def test_a_taken_label_is_refused_before_the_keyring_is_touched(methods: MethodService) -> None:
    first = methods.add("paypal", "Main", {"email": "a@example.com"})
    before = entries(first.keyring_service)
    with pytest.raises(ValidationError, match="already exists") as refused:
        methods.add("payoneer", "Main", {"email": "b@example.com"})
    assert refused.value.field == "label"
    assert entries(first.keyring_service) == before


def test_a_database_failure_after_the_keyring_write_removes_the_secrets(
    methods: MethodService, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = methods.keyring_service()

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(MethodRepo, "add", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        methods.add("paypal", "Main", {"email": "a@example.com"})
    assert entries(service) == {}
    assert methods.list() == []


def test_leftovers_on_both_sides_are_reported_and_cleaned(methods: MethodService) -> None:
    service = methods.keyring_service()
    kept = methods.add("paypal", "Kept", {"email": "kept@example.com"})
    lost = methods.add("paypal", "Lost", {"email": "lost@example.com"})
    keyring.delete_password(service, f"{lost.keyring_ref}/email")  # e.g. removed in Seahorse
    keyring.set_password(service, "mstray01/email", "stray@example.com")  # a row that never got written
    found = methods.orphans()
    assert found.entries == ("mstray01",) and [m.label for m in found.rows] == ["Lost"]
    assert found.complete
    assert "1 saved secret in the keyring without a payment method" in found.describe()
    assert "“Lost” lost its secrets" in found.describe()
    assert methods.clean_orphans(found) == 2
    assert not methods.orphans()
    assert methods.list() == [kept]
    assert set(entries(service)) == {f"{kept.keyring_ref}/email", kept.keyring_ref, "index"}


def test_a_fail_backend_refuses_add_and_stores_nothing(services: Services) -> None:
    store = KeyringCredentialStore(fail.Keyring())
    methods = dataclasses.replace(services, methods=MethodService(services.db, services.profile_id, store,
                                                                  services.methods.clock)).methods  # fmt: skip
    with pytest.raises(CredentialsUnavailable, match=r"keyring\.backends\.fail\.Keyring"):
        methods.add("paypal", "Main", {"email": "a@example.com"})
    assert methods.list() == []


def test_each_database_gets_its_own_keyring_service(methods: MethodService, services: Services) -> None:
    assert methods.keyring_service() == methods.keyring_service()
    other = MethodService(services.db, services.profile_id, methods.store, methods.clock)
    assert other.keyring_service() == methods.keyring_service()
