"""Shared fixtures: a fresh database per test, services on a clock the test controls."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from companion.credentials.memory import InMemoryCredentialStore
from companion.services import Services, build_services
from companion.store.db import Database, open_database

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "resources" / "gifts.json"

# `secret_service`: one private D-Bus + gnome-keyring for the whole run, usable from any test module.
pytest_plugins = ["tests.keyring_fixture"]


class FakeClock:
    """A clock tests move by hand: `clock.advance(minutes=5)`."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 20, 19, 0, tzinfo=UTC))


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "data" / "companion.sqlite3", tmp_path / "data" / "backups")
    yield database
    database.dispose()


@pytest.fixture
def services(db: Database, clock: FakeClock) -> Services:
    return build_services(db, CATALOG, clock=clock, credentials=InMemoryCredentialStore())


@pytest.fixture
def computer_zone() -> Iterator[Callable[[str], None]]:
    """Set the computer's own zone for the test (`computer_zone("America/New_York")`); restored afterwards."""
    before = os.environ.get("TZ")

    def set_zone(name: str) -> None:
        os.environ["TZ"] = name
        time.tzset()

    yield set_zone
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()
