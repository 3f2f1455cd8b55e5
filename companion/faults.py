"""Plain words for the storage faults a creator can meet (read-only folder, full disk, damaged or locked file),
instead of a driver's message. Stdlib only; the CLI and the GUI start-up both use it."""

from __future__ import annotations

import errno
from pathlib import Path

from companion.domain.errors import CompanionError

#: (words in SQLite's / the OS's message, what to tell the user). First match wins.
_SQLITE_FAULTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("database or disk is full", "no space left"),
        "The disk holding {data} is full, so nothing was saved. Free some space and try again.",
    ),
    (
        ("readonly database", "read-only", "unable to open database file", "permission denied",
         "operation not permitted"),
        "{data} cannot be written to (it is read-only, or you lack permission), so nothing was saved. "
        "Make the folder writable, or start with --data-dir pointing to a folder you can write to.",
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
            return _SQLITE_FAULTS[0][1].format(data=data_dir)
        if isinstance(current, OSError) and current.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return _SQLITE_FAULTS[1][1].format(data=data_dir)
        text = str(current).lower()
        for needles, message in _SQLITE_FAULTS:
            if any(needle in text for needle in needles):
                return message.format(data=data_dir)
        current = current.__cause__ or current.__context__ or getattr(current, "orig", None)
    return None
