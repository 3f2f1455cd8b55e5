"""Plain words for the storage faults a creator can meet (read-only folder, full disk, damaged or locked file),
instead of a driver's message. Stdlib only; the CLI and the GUI start-up both use it."""

from __future__ import annotations

import contextlib
import errno
import math
import shutil
from pathlib import Path

from companion.domain.errors import CompanionError

# Below this much free space, an I/O error is the disk being full (SQLite reports some ENOSPC failures, such as
# growing the WAL index, only as "disk I/O error").
_FULL_BELOW = 1 << 20
_MARGIN = 10_000_000  # room for the log, the lock file and SQLite's temporary files
_MB = 1_000_000

_FULL = "full"
_READ_ONLY = (
    "{data} cannot be written to (it is read-only, or you lack permission), so nothing was saved. "
    "Make the folder writable, or start with --data-dir pointing to a folder you can write to."
)

#: (words in SQLite's / the OS's message, what to tell the user). First match wins.
_SQLITE_FAULTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("database or disk is full", "no space left"), _FULL),
    (
        ("readonly database", "read-only", "unable to open database file", "permission denied",
         "operation not permitted"),
        _READ_ONLY,
    ),
    (
        ("database disk image is malformed", "file is not a database", "database is damaged", "is damaged"),
        "The database in {data} is damaged, so it was left untouched. Restore a backup from {data}/backups.",
    ),
    (
        ("database is locked",),
        "The database in {data} is busy in another program; nothing was saved. Close it and try again.",
    ),
    (("disk i/o error",), "The disk holding {data} reported an error, so nothing was saved. Check the drive."),
)  # fmt: skip


def disk_is_full(folder: Path) -> bool:
    """Whether the disk holding `folder` has (next to) no space left for this user."""
    try:
        return shutil.disk_usage(folder).free < _FULL_BELOW
    except OSError:
        return False


def lock_file_failure(lock_file: Path) -> OSError:
    """Why a lock file that nobody holds could not be created: a full disk or a folder we cannot write to (never
    "the app is open")."""
    if disk_is_full(lock_file.parent):
        return OSError(errno.ENOSPC, f"cannot create the lock file {lock_file}")
    return PermissionError(errno.EACCES, f"cannot create the lock file {lock_file}")


def full_disk_message(data_dir: Path) -> str:
    """"No space left on the disk that holds DIR; free N MB": N is what a backup of the database and a checkpoint
    of its WAL need, less what is free now (at least 1)."""
    needed = _MARGIN
    for name in ("companion.sqlite3", "companion.sqlite3-wal"):
        with contextlib.suppress(OSError):
            needed += (data_dir / name).stat().st_size
    try:
        free = shutil.disk_usage(data_dir).free
    except OSError:
        free = 0
    megabytes = max(1, math.ceil((needed - free) / _MB))
    return (
        f"No space left on the disk that holds {data_dir}; free {megabytes:,} MB and try again "
        "(the disk is full, so nothing was saved)."
    )


def storage_problem(exc: BaseException, data_dir: Path) -> str | None:
    """What went wrong with the data folder, in plain words, or None when `exc` is not a storage fault.
    Looks through the exception chain (SQLAlchemy wraps the sqlite3 error). A CompanionError already speaks
    to the user, so it is left alone."""
    if isinstance(exc, CompanionError):
        return None
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in (errno.ENOSPC, errno.EDQUOT):
            return full_disk_message(data_dir)
        if isinstance(current, OSError) and current.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return _READ_ONLY.format(data=data_dir)
        text = str(current).lower()
        for needles, message in _SQLITE_FAULTS:
            if any(needle in text for needle in needles):
                if message == _FULL or (needles == ("disk i/o error",) and disk_is_full(data_dir)):
                    return full_disk_message(data_dir)
                return message.format(data=data_dir)
        current = current.__cause__ or current.__context__ or getattr(current, "orig", None)
    return None
