"""The in-memory store (unit tests only) keeps the same rules as the keyring store."""

from __future__ import annotations

import pytest

from companion.credentials.memory import InMemoryCredentialStore
from companion.credentials.store import CredentialsError, CredentialsUnavailable


def test_all_or_nothing_and_index() -> None:
    store = InMemoryCredentialStore()
    store.fail_on_set = 4  # index, manifest, field 1, then field 2 fails
    with pytest.raises(CredentialsError, match="field 2 of 3"):
        store.put("svc", "m1", {"a": "1", "b": "2", "c": "3"})
    assert store.entries == {}
    store.fail_on_set = None
    store.put("svc", "m1", {"a": "1"})
    assert store.refs("svc") == {"m1"}


def test_an_insecure_memory_store_refuses() -> None:
    with pytest.raises(CredentialsUnavailable):
        InMemoryCredentialStore(secure=False).put("svc", "m1", {"a": "1"})
