"""Getting the data back when the database will not open as damaged: the use case behind the start-up dialog,
so the GUI restores a backup without reaching into the store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from companion.domain.timeutil import utc_now
from companion.store.db import DatabaseDamaged, restore_database

__all__ = ["DatabaseDamaged", "restore_newest_good"]


def restore_newest_good(
    damaged: DatabaseDamaged, backup_dir: Path, clock: Callable[[], datetime] = utc_now
) -> Path | None:
    """Put the newest good backup the damage check found in place of the damaged database; returns where the
    damaged file was kept (moved into `backup_dir` untouched, never overwritten)."""
    if damaged.good_backup is None:
        raise ValueError("no good backup was found to restore")
    return restore_database(damaged.good_backup, damaged.path, backup_dir, clock())
