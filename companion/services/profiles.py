"""Creator profiles (several accounts in one app): currency, time zone and reward share every figure uses."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from companion.domain.currency import check_currency
from companion.domain.economics import DEFAULT_SHARE_BPS, check_share_bps
from companion.domain.errors import NotFound, ValidationError
from companion.domain.models import Profile
from companion.domain.text import clean_text
from companion.domain.timeutil import zone
from companion.store.db import Database
from companion.store.insights import InsightsRepo
from companion.store.repositories import ProfileRepo, SettingRepo

DEFAULT_PROFILE_NAME = "My channel"
MAX_PROFILE_NAME = 60
#: The setting that remembers which profile the app opened last.
CURRENT_PROFILE_KEY = "profile.current"


def _checked(name: str, currency: str, time_zone: str) -> tuple[str, str, str]:
    cleaned = clean_text(name, "name", MAX_PROFILE_NAME, required=True)
    code = check_currency(currency)  # a currency in use today (a retired one still rounds in old data)
    tz = time_zone.strip()
    zone(tz)  # refuses an unknown zone; "" is the computer's own
    return cleaned, code, tz


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

    def list(self) -> list[Profile]:
        with self.db.session() as s:
            return InsightsRepo(s).profiles()

    def get(self, profile_id: int) -> Profile:
        with self.db.session() as s:
            return ProfileRepo(s).get(profile_id)

    def current(self) -> Profile:
        """The profile the app opened last (the first one if that is gone); created on first run."""
        fallback = self.ensure_default()
        with self.db.session() as s:
            stored = SettingRepo(s).get(CURRENT_PROFILE_KEY)
            if stored and stored.isdigit():
                row = InsightsRepo(s).profile_row(int(stored))
                if row is not None:
                    return ProfileRepo(s).get(int(stored))
        return fallback

    def switch(self, profile_id: int) -> Profile:
        """Remember `profile_id` as the one to open; the caller rebuilds its services for it."""
        with self.db.session(write=True) as s:
            profile = ProfileRepo(s).get(profile_id)
            SettingRepo(s).set(CURRENT_PROFILE_KEY, str(profile_id))
            s.commit()
            return profile

    def create(
        self, name: str, currency: str = "USD", time_zone: str = "", share_bps: int = DEFAULT_SHARE_BPS
    ) -> Profile:
        cleaned, code, tz = _checked(name, currency, time_zone)
        check_share_bps(share_bps)
        with self.db.session(write=True) as s:
            try:
                profile = ProfileRepo(s).create(cleaned, code, tz, share_bps, self.clock())
                s.commit()
            except IntegrityError:
                raise ValidationError(f"a profile named '{cleaned}' already exists", field="name") from None
            return profile

    def update(self, profile_id: int, name: str, currency: str, time_zone: str) -> Profile:
        """Rename a profile or change its display currency or time zone."""
        cleaned, code, tz = _checked(name, currency, time_zone)
        with self.db.session(write=True) as s:
            row = InsightsRepo(s).profile_row(profile_id)
            if row is None:
                raise NotFound(f"profile {profile_id} does not exist")
            row.name, row.currency, row.time_zone = cleaned, code, tz
            s.add(row)
            try:
                s.commit()
            except IntegrityError:
                raise ValidationError(f"a profile named '{cleaned}' already exists", field="name") from None
        return self.get(profile_id)

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
