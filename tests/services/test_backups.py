"""Backups through the SQLite backup API, pruning, restore after an integrity check, and damaged databases
refused on open without a single byte changed."""

from __future__ import annotations

import os
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from companion.domain.models import NewGift
from companion.services import Services, build_services
from companion.services.backups import BackupInfo, backups_to_prune, list_backups
from companion.store.db import BackupDamaged, DatabaseDamaged, open_database, restore_database
from companion.store.repositories import GiftRepo
from tests.conftest import CATALOG, FakeClock


def _fill(services: Services, n: int, sender: str = "luna") -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    gifts = [NewGift(start + timedelta(minutes=i), f"{sender}{i % 50}", "Rose", 1, 1 + i % 7) for i in range(n)]
    with services.db.session(write=True) as s:
        GiftRepo(s).add_many(services.profile_id, gifts)
        s.commit()


def _diamonds(services: Services) -> int:
    return services.reports.summary().totals.diamonds


def test_create_makes_a_sound_copy_and_restore_brings_it_back(services: Services, clock: FakeClock) -> None:
    services.gifts.log("Rose", 3, "luna")
    made = services.backups.create()
    assert made.reason == "manual" and made.path.parent == services.db.path.parent / "backups"
    assert services.backups.check(made.path) is None
    services.gifts.log("Rose", 10, "mike")
    assert _diamonds(services) == 13
    clock.advance(minutes=1)
    kept = services.backups.restore(made.path)
    again = build_services(services.db, CATALOG, clock=clock)
    assert _diamonds(again) == 3
    # the database as it was before the restore is kept as a backup, and holds the later gift
    assert kept is not None and "before-restore" in kept.name
    old = open_database(kept, kept.parent / "nested")
    try:
        assert _diamonds(build_services(old, clock=clock)) == 13
    finally:
        old.dispose()


def test_a_damaged_backup_is_refused_and_nothing_changes(services: Services, tmp_path: Path) -> None:
    services.gifts.log("Rose", 3, "luna")
    bad = tmp_path / "companion-20260101-000000-manual.sqlite3"
    bad.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    with pytest.raises(BackupDamaged, match="damaged"):
        services.backups.restore(bad)
    assert _diamonds(services) == 3
    assert services.backups.all() == []  # not even a "before-restore" copy: nothing was done


def test_daily_backup_once_per_day(services: Services, clock: FakeClock) -> None:
    first = services.backups.auto_backup_if_due()
    assert first is not None and first.reason == "auto"
    clock.advance(minutes=30)
    assert services.backups.auto_backup_if_due() is None
    clock.advance(days=1)
    assert services.backups.auto_backup_if_due() is not None
    assert len(services.backups.all()) == 2


def _info(when: datetime, reason: str = "auto") -> BackupInfo:
    return BackupInfo(Path(f"companion-{when:%Y%m%d-%H%M%S}-{reason}.sqlite3"), when, reason, 1)


def test_pruning_keeps_newest_ten_and_one_a_month_for_a_year() -> None:
    now = datetime(2026, 11, 20, 12, tzinfo=UTC)
    daily = [_info(now - timedelta(days=d)) for d in range(0, 800, 1)]  # two years of daily backups
    damaged = _info(now - timedelta(days=900), "damaged")
    removed = {b.path for b in backups_to_prune([*daily, damaged], now)}
    kept = [b for b in daily if b.path not in removed]
    newest_ten = daily[:10]
    assert all(b in kept for b in newest_ten)
    monthly = [b for b in kept if b not in newest_ten]
    # one per calendar month for the 11 months before this one (this month is covered by the newest ten)
    assert [f"{b.made_at:%Y-%m}" for b in monthly] == [f"{m}" for m in _months_back(now, 11)]
    assert all(b.made_at.day == _last_day(b.made_at) for b in monthly)  # the month's newest
    assert damaged.path not in removed
    assert len(kept) == 21


def _months_back(now: datetime, n: int) -> list[str]:
    out, year, month = [], now.year, now.month
    for _ in range(n):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        out.append(f"{year:04d}-{month:02d}")
    return out


def _last_day(moment: datetime) -> int:
    following = (moment.replace(day=28) + timedelta(days=4)).replace(day=1)
    return (following - timedelta(days=1)).day


def test_create_prunes_real_files_but_never_foreign_ones(services: Services) -> None:
    folder = services.db.path.parent / "backups"
    folder.mkdir(exist_ok=True)
    old = datetime(2026, 11, 1, tzinfo=UTC)
    for i in range(15):
        (folder / f"companion-{old + timedelta(hours=i):%Y%m%d-%H%M%S}-auto.sqlite3").write_bytes(b"")
    (folder / "my-own-copy.sqlite3").write_bytes(b"x")
    services.backups.create()
    names = sorted(p.name for p in folder.iterdir())
    assert "my-own-copy.sqlite3" in names
    assert len(list_backups(folder)) == 10


def test_pruning_removes_a_partial_copy_left_by_a_killed_backup(services: Services, clock: FakeClock) -> None:
    folder = services.db.path.parent / "backups"
    folder.mkdir(exist_ok=True)
    stale, fresh = folder / "companion-20261120-100000-auto.sqlite3.partial", folder / "x.sqlite3.partial"
    in_flight = folder / "companion-20261120-185900-auto.sqlite3.partial"
    for partial in (stale, fresh, in_flight):
        partial.write_bytes(b"")
    os.utime(stale, (clock.now.timestamp() - 9 * 3600,) * 2)
    os.utime(in_flight, (clock.now.timestamp() - 60,) * 2)  # another process may still be writing it
    services.backups.create()
    assert not stale.exists() and in_flight.exists() and fresh.exists()  # `fresh` is not named by the app


def _closed_with_backup(tmp_path: Path, gifts: int) -> tuple[Path, Path, BackupInfo]:
    """A data folder whose database holds `gifts` gifts and one backup of them, closed: (folder, database, backup)."""
    folder = tmp_path / "data"
    db = open_database(folder / "companion.sqlite3", folder / "backups")
    services = build_services(db, CATALOG, backup_dir=folder / "backups")
    _fill(services, gifts)
    good = services.backups.create()
    db.dispose()
    return folder, folder / "companion.sqlite3", good


@pytest.mark.parametrize("damage", ["truncated", "garbage pages", "garbage header"])
def test_damaged_database_is_refused_on_open_and_left_untouched(tmp_path: Path, damage: str) -> None:
    folder, path, good = _closed_with_backup(tmp_path, 3000)
    data = bytearray(path.read_bytes())
    assert len(data) > 40 * 4096
    if damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "garbage pages":
        rng = random.Random(6)
        for page in (5, 9, 17, 30):
            data[page * 4096 : (page + 1) * 4096] = rng.randbytes(4096)
    else:
        data[0:4096] = random.Random(7).randbytes(4096)
    path.write_bytes(bytes(data))
    before = set(folder.iterdir())

    with pytest.raises(DatabaseDamaged) as refused:
        open_database(path, folder / "backups")

    assert path.read_bytes() == bytes(data)  # not one byte written
    assert set(folder.iterdir()) == before  # no -wal / -shm / new files beside it
    assert refused.value.good_backup == good.path
    assert "damaged" in str(refused.value) and str(good.path) in str(refused.value)


def test_restoring_over_a_damaged_database_moves_it_aside_untouched(tmp_path: Path) -> None:
    folder, path, good = _closed_with_backup(tmp_path, 500)
    damaged = path.read_bytes()[:8192]
    path.write_bytes(damaged)
    kept = restore_database(good.path, path, folder / "backups", datetime(2026, 11, 21, tzinfo=UTC))
    assert kept is not None and kept.name.endswith("-damaged.sqlite3")
    assert kept.read_bytes() == damaged
    reopened = open_database(path, folder / "backups")
    try:
        assert build_services(reopened, CATALOG).reports.summary().totals.gifts == 500
    finally:
        reopened.dispose()
