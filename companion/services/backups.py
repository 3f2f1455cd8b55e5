"""Backups: made through SQLite's backup API once a day (after the data is on screen), before migrations, and on
request; pruned to the newest 10 plus one a month for a year; restored only after the backup passes an integrity
check and is recognised as ours, at a schema this version knows. Also the scheduled full check of the open file."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from companion.domain.errors import NotFound
from companion.store.checks import check_due, record_checked
from companion.store.db import (
    BackupProgress,
    BackupRefused,
    Database,
    backup_database,
    backup_name,
    check_backup,
    integrity_problem,
    restore_database,
    upgrade,
)

KEEP_NEWEST = 10
KEEP_MONTHS = 12
STALE_PARTIAL = timedelta(hours=1)  # a `.partial` copy this old was left by a process that died while copying
_NAME = re.compile(r"companion-(\d{8}-\d{6})-([a-z0-9-]+)\.sqlite3")


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    made_at: datetime  # UTC
    reason: str  # auto | manual | before-<revision> | before-restore | damaged
    size: int

    @property
    def is_damaged_copy(self) -> bool:
        """A damaged database moved aside by a restore: kept for the record, never restored or pruned."""
        return self.reason == "damaged"


def list_backups(backup_dir: Path) -> list[BackupInfo]:
    """Backups in the folder, newest first. Files not named by the app are ignored (and never deleted)."""
    found: list[BackupInfo] = []
    if not backup_dir.is_dir():
        return found
    for path in backup_dir.iterdir():
        match = _NAME.fullmatch(path.name)
        if match is None or not path.is_file():
            continue
        made = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
        found.append(BackupInfo(path, made, match.group(2), path.stat().st_size))
    return sorted(found, key=lambda b: (b.made_at, b.path.name), reverse=True)


def backups_to_prune(backups: list[BackupInfo], now: datetime) -> list[BackupInfo]:
    """Keep the newest KEEP_NEWEST, and the newest of each of the last KEEP_MONTHS calendar months (UTC)."""
    candidates = [b for b in backups if not b.is_damaged_copy]
    candidates.sort(key=lambda b: (b.made_at, b.path.name), reverse=True)
    keep = {b.path for b in candidates[:KEEP_NEWEST]}
    this_month = now.year * 12 + now.month - 1
    monthly: dict[int, BackupInfo] = {}
    for backup in candidates:
        month = backup.made_at.year * 12 + backup.made_at.month - 1
        if this_month - month < KEEP_MONTHS and month not in monthly:
            monthly[month] = backup  # newest first, so the first seen is the month's newest
    keep.update(b.path for b in monthly.values())
    return [b for b in candidates if b.path not in keep]


class BackupService:
    def __init__(self, db: Database, backup_dir: Path, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.backup_dir = backup_dir
        self.clock = clock

    def all(self) -> list[BackupInfo]:
        return list_backups(self.backup_dir)

    def create(self, reason: str = "manual", progress: BackupProgress | None = None) -> BackupInfo:
        """Back up now (a consistent copy even while the app writes), then prune old backups. With `progress`
        the copy goes in steps and reports (pages copied, pages in all)."""
        now = self.clock()
        path = backup_database(self.db.path, self.backup_dir / backup_name(now, reason), progress)
        self.prune()
        return next(b for b in self.all() if b.path == path)

    def auto_backup_if_due(self, progress: BackupProgress | None = None) -> BackupInfo | None:
        """The daily backup, when none was made today (the computer's local day): the GUI makes it once the
        data is on screen, a command after its work."""
        today = self.clock().astimezone().date()
        if any(b.made_at.astimezone().date() == today for b in self.all() if not b.is_damaged_copy):
            return None
        return self.create("auto", progress)

    def check_if_due(self) -> str | None:
        """The scheduled full check of the open database (checks.CHECK_EVERY_SECONDS), on a read-only
        connection. A damaged file is closed to writes at once (Database.found_damaged); returns the problem."""
        if self.db.damage is not None or not check_due(self.db.path):
            return self.db.damage
        problem = integrity_problem(self.db.path)
        if problem is None:
            record_checked(self.db.path)
        else:
            self.db.found_damaged(problem)
        return problem

    def prune(self) -> list[Path]:
        removed: list[Path] = []
        for backup in backups_to_prune(self.all(), self.clock()):
            backup.path.unlink(missing_ok=True)
            removed.append(backup.path)
        if self.backup_dir.is_dir():
            for partial in self.backup_dir.glob("companion-*.sqlite3.partial*"):
                with contextlib.suppress(OSError):
                    made = datetime.fromtimestamp(partial.stat().st_mtime, UTC)
                    if self.clock() - made > STALE_PARTIAL:
                        partial.unlink()
                        removed.append(partial)
        return removed

    def check(self, path: Path) -> str | None:
        """Why this backup cannot be restored, or None if it passes SQLite's integrity check and is ours."""
        if not path.is_file():
            return "the file does not exist"
        try:
            check_backup(path)
        except BackupRefused as refused:
            return str(refused)
        return None

    def restore(self, path: Path) -> Path | None:
        """Replace the database with a backup that passes the integrity check; the current database is kept
        as a backup first. Schema upgrades run afterwards, so an older backup works too. Returns where the
        previous database was kept. Services built before must be rebuilt (profile ids may differ)."""
        if not path.is_file():
            raise NotFound(f"no backup file at {path}")
        self.db.dispose()  # pooled connections would keep reading the old pages
        kept = restore_database(path, self.db.path, self.backup_dir, self.clock())
        upgrade(self.db, self.backup_dir)
        return kept
