"""`companion backup create | list | restore FILE`. Restore runs without opening the services, so it works
when the current database is damaged (that file is then moved into the backups folder, untouched), and FILE
may be such a moved-aside `…-damaged.sqlite3` with its `-wal` beside it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from companion.commands.common import EXIT_OK
from companion.domain.errors import NotFound, StateError
from companion.domain.timeutil import utc_now
from companion.faults import lock_file_failure
from companion.paths import AppPaths

if TYPE_CHECKING:
    from companion.services import Services


def register(commands: Any) -> None:
    backup = commands.add_parser("backup", help="back up or restore the database")
    actions = backup.add_subparsers(dest="backup_command", metavar="ACTION", required=True)
    create = actions.add_parser("create", help="make a backup now (SQLite backup API)")
    create.set_defaults(handler=_create)
    listing = actions.add_parser("list", help="list backups, newest first")
    listing.set_defaults(handler=_list)
    restore = actions.add_parser(
        "restore", help="replace the database with a backup (checked first; the current one is kept as a backup)"
    )
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.set_defaults(handler=_restore, needs_services=False)


def _create(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    made = services.backups.create()
    print(f"backup written: {made.path} ({made.size:,} bytes)", file=out)
    return EXIT_OK


def _list(args: argparse.Namespace, services: Services, out: TextIO, err: TextIO) -> int:
    for backup in services.backups.all():
        print(
            f"{backup.made_at:%Y-%m-%d %H:%M:%S} UTC  {backup.reason:<16} {backup.size:>12,}  {backup.path}", file=out
        )
    return EXIT_OK


def _app_is_open(paths: AppPaths) -> bool:
    """Whether the app holds the data folder's lock. A lock file that cannot be created (a full disk, a
    read-only folder) is not an open app: that is said in its own words."""
    try:
        from PySide6.QtCore import QLockFile
    except ImportError:  # without Qt there is no app that could hold the folder
        return False
    lock = QLockFile(str(paths.lock_file))
    lock.setStaleLockTime(0)
    if lock.tryLock(0):
        lock.unlock()
        return False
    if lock.error() == QLockFile.LockError.LockFailedError:
        return True
    raise lock_file_failure(paths.lock_file)


def _restore(args: argparse.Namespace, services: None, out: TextIO, err: TextIO) -> int:
    from companion.store.db import open_database, restore_database

    paths: AppPaths = args.paths
    source: Path = args.file.expanduser().resolve()
    if not source.is_file():
        raise NotFound(f"no backup file at {source}")
    if _app_is_open(paths):
        raise StateError("the app is open with this data folder; close it first, or restore from its Settings page")
    kept = restore_database(source, paths.database, paths.backups, utc_now())
    open_database(paths.database, paths.backups).dispose()  # bring an older backup's schema up to date
    print(f"restored {paths.database} from {source}", file=out)
    if kept is not None:
        print(f"the previous database was kept as {kept}", file=out)
    return EXIT_OK
