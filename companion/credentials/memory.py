"""An in-memory credential store for unit tests only: the app never builds one (secrets would not survive)."""

from __future__ import annotations

from companion.credentials.health import KeyringHealth
from companion.credentials.store import CredentialStore


class InMemoryCredentialStore(CredentialStore):
    enumerates = True

    def __init__(self, secure: bool = True) -> None:
        self.entries: dict[tuple[str, str], str] = {}
        self.secure = secure
        self.fail_on_set: int | None = None  # the n-th _set (1-based) raises, to test all-or-nothing saves
        self.sets = 0

    def health(self) -> KeyringHealth:
        if self.secure:
            return KeyringHealth("memory", True, "test store")
        return KeyringHealth("memory", False, "The keyring in use, memory, cannot hold secrets.")

    def _get(self, service: str, user: str) -> str | None:
        return self.entries.get((service, user))

    def _set(self, service: str, user: str, value: str) -> None:
        self.sets += 1
        if self.fail_on_set is not None and self.sets == self.fail_on_set:
            raise OSError("simulated keyring failure")
        self.entries[(service, user)] = value

    def _delete(self, service: str, user: str) -> None:
        self.entries.pop((service, user), None)

    def _users(self, service: str) -> set[str] | None:
        return {user for (svc, user) in self.entries if svc == service}
