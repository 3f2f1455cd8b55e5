"""Which backends may hold secrets, and what the refusal tells the user to do."""

from __future__ import annotations

import pytest
from keyring.backend import KeyringBackend
from keyring.backends import chainer, fail, null

from companion.credentials.health import advice, assess
from companion.credentials.keyring_store import KeyringCredentialStore
from companion.credentials.store import CredentialsUnavailable


class PlaintextKeyring(KeyringBackend):
    """Stands in for keyrings.alt's file backend (not installed here): same module and class name."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise AssertionError("a plaintext backend must never be asked to save")

    def delete_password(self, service: str, username: str) -> None:
        pass


PlaintextKeyring.__module__ = "keyrings.alt.file"


@pytest.mark.parametrize(
    ("backend", "name", "why"),
    [
        (fail.Keyring(), "keyring.backends.fail.Keyring", "no secure keyring was found"),
        (null.Keyring(), "keyring.backends.null.Keyring", "no secure keyring was found"),
        (PlaintextKeyring(), "keyrings.alt.file.PlaintextKeyring", "writes secrets to a file in the clear"),
    ],
)
def test_unsafe_backends_are_refused_naming_the_keyring_and_the_fix(backend: object, name: str, why: str) -> None:
    store = KeyringCredentialStore(backend)
    with pytest.raises(CredentialsUnavailable) as refused:
        store.put("io.creatorcompanion.t", "m1", {"email": "a@example.com"})
    message = str(refused.value)
    assert message.startswith("Not saved.")
    assert name in message and why in message and advice() in message
    assert not store.health().secure


def test_a_chain_holding_a_plaintext_backend_is_refused() -> None:
    chain = chainer.ChainerBackend()
    chain.__dict__["backends"] = [PlaintextKeyring()]
    assert not assess(chain).secure


@pytest.mark.parametrize(
    ("platform", "words"),
    [("linux", "gnome-keyring"), ("darwin", "Keychain Access"), ("win32", "Credential Manager")],
)
def test_advice_names_what_to_install_or_unlock_on_each_os(platform: str, words: str) -> None:
    assert words in advice(platform)
    assert "keyrings.alt" in advice(platform)


def test_a_forced_backend_is_named_in_the_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    assert "PYTHON_KEYRING_BACKEND=keyring.backends.fail.Keyring" in assess(fail.Keyring()).detail
