"""The credential store the app uses: the OS keyring through the `keyring` package (Secret Service on Linux,
Keychain on macOS, Credential Manager on Windows). Fail, null and plaintext backends are refused."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from companion.credentials.health import KeyringHealth, advice, assess
from companion.credentials.store import CredentialsError, CredentialStore, CredentialsUnavailable

log = logging.getLogger(__name__)


class KeyringCredentialStore(CredentialStore):
    """`backend=None` uses `keyring.get_keyring()` at each call, so the backend in use is always the current one.
    Nothing touches the keyring until a method is saved, read or checked (no unlock prompt at start-up)."""

    def __init__(self, backend: Any = None) -> None:
        self._backend = backend

    @property
    def backend(self) -> Any:
        if self._backend is not None:
            return self._backend
        import keyring

        return keyring.get_keyring()

    @property
    def enumerates(self) -> bool:  # type: ignore[override]
        return _secret_service(self.backend) is not None

    def health(self) -> KeyringHealth:
        return assess(self.backend)

    @contextmanager
    def _calling(self, what: str) -> Iterator[None]:
        from keyring.errors import InitError, KeyringLocked, NoKeyringError

        try:
            yield
        except (KeyringLocked, InitError, NoKeyringError) as exc:
            raise CredentialsUnavailable(
                f"The keyring ({self.health().backend}) is locked or unavailable ({type(exc).__name__}). {advice()}"
            ) from None
        except CredentialsUnavailable:
            raise
        except Exception as exc:
            # Never the exception's text: a backend could quote what it was given.
            log.warning("keyring %s failed: %s", what, type(exc).__name__)
            raise CredentialsError(f"The keyring could not {what} ({type(exc).__name__}).") from None

    def _get(self, service: str, user: str) -> str | None:
        with self._calling("read an entry"):
            value = self.backend.get_password(service, user)
        return None if value is None else str(value)

    def _set(self, service: str, user: str, value: str) -> None:
        with self._calling("save an entry"):
            self.backend.set_password(service, user, value)

    def _delete(self, service: str, user: str) -> None:
        from keyring.errors import PasswordDeleteError

        with self._calling("delete an entry"), suppress(PasswordDeleteError):  # already gone is fine
            self.backend.delete_password(service, user)

    def _users(self, service: str) -> set[str] | None:
        backend = _secret_service(self.backend)
        if backend is None:
            return None
        with self._calling("list entries"):
            scheme = backend.schemes[backend.scheme]
            collection = backend.get_preferred_collection()
            try:
                items = collection.search_items({scheme["service"]: service})
                return {item.get_attributes().get(scheme["username"], "") for item in items} - {""}
            finally:
                collection.connection.close()


def _secret_service(backend: Any) -> Any:
    """The Secret Service backend, if that is what is in use: it can search entries by attribute, so on Linux
    every entry under a service is listed, not only those the index knows."""
    try:
        from keyring.backends.SecretService import Keyring as SecretServiceKeyring
    except ImportError:  # pragma: no cover - not on this OS
        return None
    from keyring.backends.chainer import ChainerBackend

    candidates = list(backend.backends) if isinstance(backend, ChainerBackend) else [backend]
    first = candidates[0] if candidates else None
    return first if isinstance(first, SecretServiceKeyring) else None
