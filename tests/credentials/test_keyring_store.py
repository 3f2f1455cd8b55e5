"""The keyring store against a real Secret Service (gnome-keyring on a private D-Bus session)."""

from __future__ import annotations

import secrets
from contextlib import closing
from typing import Any

import keyring
import pytest
from keyring.backends.SecretService import Keyring as SecretServiceKeyring

from companion.credentials.keyring_store import KeyringCredentialStore
from companion.credentials.store import INDEX_USER, CredentialsError, CredentialsUnavailable
from companion.domain.errors import ValidationError
from tests.keyring_fixture import PASSWORD, SecretService


@pytest.fixture
def service(secret_service: SecretService) -> str:
    return f"io.creatorcompanion.test-{secrets.token_hex(4)}"


def entries(service: str) -> dict[str, str]:
    """Every entry under `service`, read straight from the Secret Service (user name → secret)."""
    backend = SecretServiceKeyring()
    collection = backend.get_preferred_collection()
    with closing(collection.connection):
        return {
            item.get_attributes()["username"]: item.get_secret().decode()
            for item in collection.search_items({"service": service})
        }


class FailingOn(SecretServiceKeyring):
    """The real backend, except that saving the entry whose user name ends with `field` fails."""

    def __init__(self, field: str) -> None:
        super().__init__()
        self.field = field

    def set_password(self, service: str, username: str, password: str) -> None:
        if username.endswith("/" + self.field):
            raise keyring.errors.PasswordSetError("refused by test")
        super().set_password(service, username, password)


def test_the_backend_in_use_is_the_real_secret_service(service: str) -> None:
    store = KeyringCredentialStore()
    assert store.health().backend == "keyring.backends.SecretService.Keyring"
    assert store.health().secure
    assert store.enumerates


def test_one_entry_per_field_plus_bookkeeping_and_read_back(service: str) -> None:
    store = KeyringCredentialStore()
    store.put(service, "m1", {"holder": "Ada Lovelace", "iban": "GB82WEST12345698765432"})
    assert entries(service) == {
        "m1/holder": "Ada Lovelace",
        "m1/iban": "GB82WEST12345698765432",
        "m1": "holder,iban",
        INDEX_USER: "m1",
    }
    assert store.get(service, "m1", ["holder", "iban", "swift"]) == {
        "holder": "Ada Lovelace",
        "iban": "GB82WEST12345698765432",
    }
    store.delete(service, "m1", ["holder", "iban"])
    assert entries(service) == {}


def test_a_failure_on_field_two_of_three_removes_field_one(service: str) -> None:
    store = KeyringCredentialStore(FailingOn("iban"))
    store.put(service, "keep", {"email": "kept@example.com"})
    with pytest.raises(CredentialsError, match="field 2 of 3, so nothing was kept"):
        store.put(service, "m2", {"holder": "Ada", "iban": "GB82WEST12345698765432", "swift": "DEUTDEFF"})
    assert entries(service) == {"keep/email": "kept@example.com", "keep": "email", INDEX_USER: "keep"}


def test_a_secret_over_the_windows_limit_is_refused_before_anything_is_written(service: str) -> None:
    store = KeyringCredentialStore()
    with pytest.raises(ValidationError, match=r"1,281 characters.*at most 1,280") as refused:
        store.put(service, "m3", {"holder": "Ada", "notes": "x" * 1281})
    assert refused.value.field == "notes"
    assert entries(service) == {}
    store.put(service, "m3", {"notes": "x" * 1280})  # exactly at the limit is fine
    assert store.get(service, "m3", ["notes"]) == {"notes": "x" * 1280}


def test_refs_lists_entries_the_index_does_not_know(service: str) -> None:
    store = KeyringCredentialStore()
    store.put(service, "m4", {"email": "a@example.com"})
    keyring.set_password(service, "stray/email", "b@example.com")  # e.g. written by a crashed older version
    assert store.refs(service) == {"m4", "stray"}
    store.delete(service, "stray", [])  # fields found by searching the Secret Service
    assert "stray/email" not in entries(service)


def test_without_listing_the_index_still_finds_leftovers(service: str) -> None:
    class IndexOnly(KeyringCredentialStore):
        def _users(self, service: str) -> set[str] | None:
            return None  # as on macOS and Windows

    store = IndexOnly()
    store.put(service, "m5", {"holder": "Ada", "my field": "v"})
    assert store.refs(service) == {"m5"}
    store.delete(service, "m5", [])  # the manifest entry names the fields
    assert entries(service) == {}


def test_a_locked_keyring_is_refused_with_what_to_unlock(service: str) -> None:
    backend = SecretServiceKeyring()
    collection = backend.get_preferred_collection()
    store = KeyringCredentialStore()
    store.put(service, "m6", {"email": "a@example.com"})
    collection.lock()
    try:
        with pytest.raises(CredentialsUnavailable, match=r"locked or unavailable.*unlock"):
            store.put(service, "m7", {"email": "b@example.com"})
    finally:
        _unlock(collection)
    assert store.refs(service) == {"m6"}


def _unlock(collection: Any) -> None:
    """gnome-keyring has no prompter here: unlock through its internal interface with the test password."""
    from jeepney import DBusAddress, new_method_call
    from secretstorage.util import open_session

    connection = collection.connection
    session = open_session(connection)
    address = DBusAddress(
        "/org/freedesktop/secrets",
        bus_name="org.freedesktop.secrets",
        interface="org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
    )
    aes_iv, encrypted_secret = _encrypt(session, PASSWORD)
    message = new_method_call(
        address, "UnlockWithMasterPassword", "o(oayays)",
        (collection.collection_path, (session.object_path, aes_iv, encrypted_secret, "text/plain")),
    )  # fmt: skip
    connection.send_and_get_reply(message)


def _encrypt(session: Any, secret: bytes) -> tuple[bytes, bytes]:
    import os

    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    if not session.encrypted:
        return b"", secret
    iv = os.urandom(16)
    padder = padding.PKCS7(128).padder()
    padded = padder.update(secret) + padder.finalize()
    encryptor = Cipher(algorithms.AES(session.aes_key), modes.CBC(iv)).encryptor()
    return iv, encryptor.update(padded) + encryptor.finalize()


def test_in_ci_a_missing_gnome_keyring_fails_instead_of_skipping(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests import keyring_fixture as module

    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true but gnome-keyring-daemon is not installed"):
        module._missing("gnome-keyring-daemon is not installed")
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception):
        module._missing("gnome-keyring-daemon is not installed")
