"""Payment methods: add, edit, remove, list, reveal; leftovers between the database and the keyring.

Order of writes: secrets go to the keyring first, then the row; if the row cannot be written the secrets are
removed again. A crash in between leaves keyring entries without a row, which `orphans()` reports."""

from __future__ import annotations

import builtins
import logging
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime

from companion.credentials.health import KeyringHealth
from companion.credentials.store import SERVICE_PREFIX, CredentialStore
from companion.domain.errors import ValidationError
from companion.domain.payment_methods import MASK, PaymentMethod, check_label, reveals_secret, validate_method
from companion.store.db import Database
from companion.store.methods_repo import MethodRepo
from companion.store.repositories import ProfileRepo, SettingRepo

log = logging.getLogger(__name__)

LOCK_SETTING = "methods.lock_minutes"


@dataclass(frozen=True)
class Orphans:
    """Keyring references without a row, and rows whose secrets are missing from the keyring."""

    entries: tuple[str, ...]
    rows: tuple[PaymentMethod, ...]
    complete: bool  # False when the keyring cannot list entries: only the app's index was searched

    def __bool__(self) -> bool:
        return bool(self.entries or self.rows)

    def describe(self) -> str:
        parts = []
        if self.entries:
            n = len(self.entries)
            parts.append(f"{n} saved secret{'s' if n != 1 else ''} in the keyring without a payment method")
        if self.rows:
            labels = ", ".join(f"“{m.label}”" for m in self.rows)
            parts.append(f"{labels} lost {'its' if len(self.rows) == 1 else 'their'} secrets in the keyring")
        return "; ".join(parts) or "the keyring and the payment methods match"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:24] or "profile"


class MethodService:
    def __init__(self, db: Database, profile_id: int, store: CredentialStore, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.profile_id = profile_id
        self.store = store
        self.clock = clock

    # ---- reading (database only, no keyring) ------------------------------------------------------------

    def list(self) -> list[PaymentMethod]:
        with self.db.session() as s:
            methods = MethodRepo(s).all(self.profile_id)
        if any(reveals_secret(m.kind, m.hint) for m in methods):
            methods = self._clear_revealing_hints()
        return methods

    def get(self, method_id: int) -> PaymentMethod:
        with self.db.session() as s:
            method = MethodRepo(s).get(self.profile_id, method_id)
        if reveals_secret(method.kind, method.hint):
            self._clear_revealing_hints()
            return self.get(method_id)
        return method

    def hints(self) -> dict[int, str]:
        """Method id → “Label (masked hint)”, for ledgers that show which method a payout went to."""
        self.list()  # clears hints that could show part of a secret first
        with self.db.session() as s:
            return MethodRepo(s).hints(self.profile_id)

    def _clear_revealing_hints(self) -> builtins.list[PaymentMethod]:
        """Hints saved before hints were limited to safe fields may end in a password's last characters: once
        found, they are replaced by a hint that shows no character (the secrets stay in the keyring)."""
        with self.db.session(write=True) as s:
            repo = MethodRepo(s)
            for m in repo.all(self.profile_id):
                if reveals_secret(m.kind, m.hint):
                    repo.update(self.profile_id, m.id, m.label, MASK * 4, m.keyring_ref, m.fields)
            s.commit()
            return repo.all(self.profile_id)

    def keyring_health(self) -> KeyringHealth:
        return self.store.health()

    def keyring_service(self) -> str:
        """`io.creatorcompanion.<profile>`: the profile's name plus a random tag made once per profile, so two
        data folders (or a test run) never share — or clean up — each other's entries."""
        key = f"methods.keyring_service.{self.profile_id}"
        with self.db.session() as s:
            found = SettingRepo(s).get(key)
        if found:
            return found
        with self.db.session(write=True) as s:
            settings = SettingRepo(s)
            found = settings.get(key)
            if found is None:
                name = ProfileRepo(s).get(self.profile_id).name
                found = f"{SERVICE_PREFIX}{_slug(name)}-{secrets.token_hex(4)}"
                settings.set(key, found)
                s.commit()
            return found

    def lock_minutes(self) -> int:
        """Idle minutes after which the Payment methods page locks itself; 0 = never."""
        with self.db.session() as s:
            value = SettingRepo(s).get(LOCK_SETTING)
        return int(value) if value and value.isdigit() else 0

    def set_lock_minutes(self, minutes: int) -> None:
        if not 0 <= minutes <= 24 * 60:
            raise ValidationError("must be between 0 (never) and 1440 minutes", "lock_minutes")
        with self.db.session(write=True) as s:
            SettingRepo(s).set(LOCK_SETTING, str(minutes))
            s.commit()

    # ---- writing ------------------------------------------------------------------------------------------

    def add(self, kind: str, label: str, values: Mapping[str, str]) -> PaymentMethod:
        method = validate_method(kind, label, values)
        self.store.require_secure()
        with self.db.session() as s:
            if MethodRepo(s).label_taken(self.profile_id, method.label):
                raise ValidationError(f"a payment method named “{method.label}” already exists", "label")
        service = self.keyring_service()
        ref = _new_ref()
        fields = tuple(method.secrets)
        self.store.put(service, ref, method.secrets)
        try:
            with self.db.session(write=True) as s:
                repo = MethodRepo(s)
                if repo.label_taken(self.profile_id, method.label):
                    raise ValidationError(f"a payment method named “{method.label}” already exists", "label")
                saved = repo.add(
                    self.profile_id, method.kind, method.label, method.hint, service, ref, fields, self.clock()
                )
                s.commit()
        except BaseException:
            self._discard(service, ref, fields)
            raise
        log.info("added payment method %d (%s)", saved.id, saved.kind)
        return saved

    def edit(self, method_id: int, label: str, values: Mapping[str, str] | None = None) -> PaymentMethod:
        """Rename, and with `values` replace the secrets. New secrets go under a new reference; the row then
        points to it and the old entries are removed, so a failure half way keeps the old secrets whole."""
        current = self.get(method_id)
        if values is None:
            clean_label = check_label(label)
            with self.db.session(write=True) as s:
                repo = MethodRepo(s)
                if repo.label_taken(self.profile_id, clean_label, except_id=method_id):
                    raise ValidationError(f"a payment method named “{clean_label}” already exists", "label")
                saved = repo.update(
                    self.profile_id, method_id, clean_label, current.hint, current.keyring_ref, current.fields
                )
                s.commit()
            return saved
        method = validate_method(current.kind, label, values)
        with self.db.session() as s:
            if MethodRepo(s).label_taken(self.profile_id, method.label, except_id=method_id):
                raise ValidationError(f"a payment method named “{method.label}” already exists", "label")
        ref = _new_ref()
        fields = tuple(method.secrets)
        self.store.put(current.keyring_service, ref, method.secrets)
        try:
            with self.db.session(write=True) as s:
                saved = MethodRepo(s).update(self.profile_id, method_id, method.label, method.hint, ref, fields)
                s.commit()
        except BaseException:
            self._discard(current.keyring_service, ref, fields)
            raise
        self.store.delete(current.keyring_service, current.keyring_ref, current.fields)
        log.info("edited payment method %d", method_id)
        return saved

    def remove(self, method_id: int) -> PaymentMethod:
        """Delete the row and its keyring entries. The keyring goes first inside the transaction: if it refuses,
        the row stays and nothing changed; payouts that used the method keep their amounts."""
        self.store.require_secure()
        with self.db.session(write=True) as s:
            method = MethodRepo(s).delete(self.profile_id, method_id)
            self.store.delete(method.keyring_service, method.keyring_ref, method.fields)
            s.commit()
        log.info("removed payment method %d and its keyring entries", method_id)
        return method

    def reveal(self, method_id: int) -> dict[str, str]:
        """The secrets of one method, field name → value, straight from the keyring."""
        method = self.get(method_id)
        found = self.store.get(method.keyring_service, method.keyring_ref, method.fields)
        return {name: found[name] for name in method.fields if name in found}

    def _discard(self, service: str, ref: str, fields: tuple[str, ...]) -> None:
        """Undo a keyring write whose row could not be written; if even that fails, `orphans()` will find it."""
        try:
            self.store.delete(service, ref, fields)
        except Exception as exc:
            log.error("could not remove keyring entries %s after a failed save (%s)", ref, type(exc).__name__)

    # ---- leftovers ----------------------------------------------------------------------------------------

    def orphans(self) -> Orphans:
        """Compare the keyring with the rows. On Linux (Secret Service) every entry of the profile's service is
        seen; elsewhere only references in the app's index entry — see `CredentialStore.enumerates`."""
        methods = self.list()
        service = self.keyring_service()
        in_keyring = self.store.refs(service)
        known = {m.keyring_ref for m in methods if m.keyring_service == service}
        lost = tuple(
            m for m in methods if len(self.store.get(m.keyring_service, m.keyring_ref, m.fields)) < len(m.fields)
        )
        return Orphans(tuple(sorted(in_keyring - known)), lost, self.store.enumerates)

    def clean_orphans(self, found: Orphans) -> int:
        """Remove leftover keyring entries and rows without secrets; returns how many were removed."""
        service = self.keyring_service()
        for ref in found.entries:
            self.store.delete(service, ref, ())
        if found.rows:
            with self.db.session(write=True) as s:
                repo = MethodRepo(s)
                for method in found.rows:
                    repo.delete(self.profile_id, method.id)
                    self.store.delete(method.keyring_service, method.keyring_ref, method.fields)  # what is left
                s.commit()
        removed = len(found.entries) + len(found.rows)
        log.info("cleaned %d keyring leftovers", removed)
        return removed


def _new_ref() -> str:
    return "m" + secrets.token_hex(4)
