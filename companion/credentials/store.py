"""The `CredentialStore` interface: a method's secret fields kept together under one reference, all or nothing.

Layout in a keyring (the same in every store): service `io.creatorcompanion.<profile>`, one entry per field with
user name `<ref>/<field>`; beside them, two bookkeeping entries that hold no secret: `<ref>` lists the field names
of that reference, and `index` lists the references this app wrote. Keyring has no portable way to list entries,
so the index is how a leftover is found on macOS and Windows; on Linux the Secret Service can also be searched."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping

from companion.credentials.health import KeyringHealth
from companion.domain.errors import CompanionError
from companion.domain.payment_methods import check_secret_length

log = logging.getLogger(__name__)

SERVICE_PREFIX = "io.creatorcompanion."
INDEX_USER = "index"
#: The index is one keyring entry, so it too must fit the Windows limit: 1,280 / (ref + comma) refs.
MAX_REFS = 100


class CredentialsUnavailable(CompanionError):
    """No keyring the app may use (fail, null or plaintext backend, locked, or gone): nothing was saved."""


class CredentialsError(CompanionError):
    """The keyring refused an operation; the message says whether anything was kept."""


def entry_user(ref: str, field: str) -> str:
    return f"{ref}/{field}"


class CredentialStore(ABC):
    """Stores secret fields in a keyring. Subclasses supply four primitive operations; this class keeps the
    index and makes `put` all or nothing."""

    #: True when `refs()` sees every entry of a service, not only those the index lists.
    enumerates = False

    # ---- primitives ------------------------------------------------------------------------------------

    @abstractmethod
    def health(self) -> KeyringHealth: ...

    @abstractmethod
    def _get(self, service: str, user: str) -> str | None: ...

    @abstractmethod
    def _set(self, service: str, user: str, value: str) -> None: ...

    @abstractmethod
    def _delete(self, service: str, user: str) -> None:
        """Remove an entry; an entry that is not there is not an error."""

    def _users(self, service: str) -> set[str] | None:
        """Every user name under `service`, when the backend can list them; None when it cannot."""
        return None

    # ---- operations ------------------------------------------------------------------------------------

    def require_secure(self) -> None:
        health = self.health()
        if not health.secure:
            raise CredentialsUnavailable(f"Not saved. {health.detail}")

    def put(self, service: str, ref: str, values: Mapping[str, str]) -> None:
        """Save every field of `ref`, or none: a failure part way removes what was written."""
        self.require_secure()
        for name, value in values.items():
            check_secret_length(name, value)
        index = self._index(service)
        if ref not in index and len(index) >= MAX_REFS:
            raise CredentialsError(f"at most {MAX_REFS} payment methods can be kept in the keyring")
        self._write_index(service, index | {ref})  # first, so an interrupted save is found as a leftover
        written: list[str] = []
        try:
            self._set(service, ref, ",".join(values))  # the manifest: which fields to remove later
            for name, value in values.items():
                self._set(service, entry_user(ref, name), value)
                written.append(name)
        except Exception as exc:
            log.warning("keyring save failed after %d of %d fields (%s); removing them", len(written),
                        len(values), type(exc).__name__)  # fmt: skip
            self._rollback(service, ref, written)
            if isinstance(exc, CredentialsUnavailable):
                raise
            # Our own messages never quote a value; anybody else's exception text might.
            reason = str(exc) if isinstance(exc, CompanionError) else type(exc).__name__
            raise CredentialsError(
                f"The keyring refused to save field {len(written) + 1} of {len(values)}, so nothing was kept. {reason}"
            ) from None
        log.info("saved %d secret fields under %s in %s", len(values), ref, service)

    def _rollback(self, service: str, ref: str, written: Iterable[str]) -> None:
        try:
            for name in written:
                self._delete(service, entry_user(ref, name))
            self._delete(service, ref)
            self._write_index(service, self._index(service) - {ref})
        except Exception:
            log.error("could not remove a half-saved method %s from %s; it will be reported as a leftover",
                      ref, service)  # fmt: skip

    def get(self, service: str, ref: str, fields: Iterable[str]) -> dict[str, str]:
        """The fields of `ref` that are in the keyring (a missing one is absent from the result)."""
        self.require_secure()
        found: dict[str, str] = {}
        for name in fields:
            value = self._get(service, entry_user(ref, name))
            if value is not None:
                found[name] = value
        return found

    def delete(self, service: str, ref: str, fields: Iterable[str]) -> None:
        self.require_secure()
        names = set(fields) | {n for n in (self._get(service, ref) or "").split(",") if n}
        listed = self._users(service)
        if listed is not None:  # also remove fields a row no longer names (an interrupted edit)
            names |= {u.split("/", 1)[1] for u in listed if u.startswith(ref + "/")}
        for name in sorted(names):
            self._delete(service, entry_user(ref, name))
        self._delete(service, ref)
        index = self._index(service)
        if ref in index:
            self._write_index(service, index - {ref})
        log.info("deleted %d secret fields of %s from %s", len(names), ref, service)

    def refs(self, service: str) -> set[str]:
        """References with entries under `service`: the index, plus every entry when the backend can list."""
        self.require_secure()
        found = set(self._index(service))
        listed = self._users(service)
        if listed is not None:
            found |= {u.split("/", 1)[0] for u in listed if u != INDEX_USER}
        return found

    # ---- the index -------------------------------------------------------------------------------------

    def _index(self, service: str) -> set[str]:
        text = self._get(service, INDEX_USER) or ""
        return {ref for ref in text.split(",") if ref}

    def _write_index(self, service: str, refs: set[str]) -> None:
        if refs:
            self._set(service, INDEX_USER, ",".join(sorted(refs)))
        else:
            self._delete(service, INDEX_USER)
