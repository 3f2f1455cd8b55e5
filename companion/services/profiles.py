"""The creator profile: currency, time zone and reward share every figure is computed with."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from companion.domain.economics import DEFAULT_SHARE_BPS
from companion.domain.models import Profile
from companion.store.db import Database
from companion.store.repositories import ProfileRepo, SettingRepo

DEFAULT_PROFILE_NAME = "My channel"


class ProfileService:
    def __init__(self, db: Database, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.clock = clock

    def ensure_default(self) -> Profile:
        with self.db.session(write=True) as s:
            repo = ProfileRepo(s)
            profile = repo.first()
            if profile is None:
                profile = repo.create(DEFAULT_PROFILE_NAME, "USD", "", DEFAULT_SHARE_BPS, self.clock())
                s.commit()
            return profile

    def write_check(self, key: str) -> str:
        """Write a setting and read it back in a new session (the self-test's proof the database works)."""
        value = self.clock().isoformat()
        with self.db.session(write=True) as s:
            SettingRepo(s).set(key, value)
            s.commit()
        with self.db.session() as s:
            stored = SettingRepo(s).get(key)
        if stored != value:
            raise RuntimeError(f"database read back {stored!r}, expected {value!r}")
        return stored
