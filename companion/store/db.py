"""Open the database: engine with safe pragmas, backup through the SQLite backup API, Alembic upgrade."""

from __future__ import annotations

import contextlib
import errno
import functools
import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, Engine
from sqlmodel import Session, create_engine

from companion.domain.errors import CompanionError
from companion.paths import PRIVATE_DIR, PRIVATE_FILE
from companion.store.checks import (
    APPLICATION_ID,
    SQLITE_MAGIC,
    identity_problem,
    integrity_problem,
    is_damage,
    open_read_only,
)

__all__ = [
    "APPLICATION_ID",
    "SQLITE_MAGIC",
    "BackupDamaged",
    "BackupRefused",
    "Database",
    "DatabaseDamaged",
    "SchemaRefused",
    "backup_database",
    "backup_name",
    "current_revision",
    "head_revision",
    "integrity_problem",
    "known_revisions",
    "make_engine",
    "newest_good_backup",
    "open_database",
    "open_read_only",
    "restore_database",
    "upgrade",
]

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def _set_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Take transaction control from pysqlite (which would BEGIN only before writes, so a session's reads
    # were not one snapshot); SQLAlchemy's "begin" event below issues BEGIN instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def sqlite_url(db_path: Path) -> URL:
    """The SQLAlchemy URL of a database file, built from parts: a path pasted into a URL string is not escaped,
    so a folder named `what?` or `a%41b` would put the database somewhere else."""
    return URL.create("sqlite", database=str(db_path))


def make_engine(db_path: Path) -> Engine:
    engine = create_engine(
        sqlite_url(db_path),
        connect_args={"check_same_thread": False, "timeout": 10},
    )
    event.listen(engine, "connect", _set_pragmas)
    event.listen(engine, "begin", _begin)
    return engine


def _begin(connection: Any) -> None:
    # A writing session takes the write lock up front (waiting up to busy_timeout for another writer),
    # so a read-then-write can never fail half way because someone else committed in between.
    immediate = connection.get_execution_options().get("companion_write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    """The app's one database: an engine plus short-lived sessions (`with db.session() as s:`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.engine = make_engine(path)
        self._write_engine = self.engine.execution_options(companion_write=True)

    @contextmanager
    def session(self, write: bool = False) -> Iterator[Session]:
        """A short session; `write=True` for one that will write (it starts with BEGIN IMMEDIATE)."""
        with Session(self._write_engine if write else self.engine, expire_on_commit=False) as session:
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def _alembic_config(engine: Engine | None) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


@functools.cache
def _script() -> Any:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config(None))


def head_revision() -> str:
    head = _script().get_current_head()
    assert head is not None
    return str(head)


def known_revisions() -> frozenset[str]:
    return frozenset(script.revision for script in _script().walk_revisions())


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def create_private(path: Path) -> None:
    """Create `path` empty and readable by this user only, before SQLite opens it (SQLite gives its -wal,
    -shm and -journal files the database file's permissions)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE))
    if os.name == "posix":
        os.chmod(path, PRIVATE_FILE)


def backup_database(source: Path, target: Path) -> Path:
    """Copy a live database through SQLite's backup API (consistent even with a WAL); never a file copy.
    Nothing is left behind when it fails (a full disk): the copy is made as `….partial`, renamed when done."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    partial = target.with_name(target.name + ".partial")
    _remove_with_journals(partial)
    try:
        create_private(partial)
        _copy_pages(sqlite3.connect(source), partial)
        partial.replace(target)
    except BaseException:
        _remove_with_journals(partial)
        raise
    return target


def _remove_with_journals(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            path.with_name(path.name + suffix).unlink()


def _copy_pages(src: sqlite3.Connection, target: Path) -> None:
    """Copy every page of `src` into the database at `target` (SQLite's backup API), then close `src`."""
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


class DatabaseDamaged(CompanionError):
    """The database file fails SQLite's integrity check; nothing was written to it."""

    def __init__(self, path: Path, problem: str, good_backup: Path | None) -> None:
        self.path = path
        self.problem = problem
        self.good_backup = good_backup
        offer = (
            f"The newest good backup is {good_backup}. Restore it from the app, or with:\n"
            f"  companion backup restore \"{good_backup}\""
            if good_backup is not None
            else "No good backup was found."
        )
        super().__init__(
            f"The database {path} is damaged ({problem}). Nothing was written to it, and it will not be "
            f"overwritten.\n{offer}"
        )


class SchemaRefused(CompanionError):
    """The database was made by a newer version of the app, or by another app: it is left as it is."""


def _has_tables(engine: Engine) -> bool:
    with engine.connect() as connection:
        row = connection.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE type='table'").one()
        return bool(row[0])


def upgrade(db: Database, backup_dir: Path) -> Path | None:
    """Bring the schema to head. An existing database is backed up first; returns the backup made, if any.
    A schema this version does not know (a newer app wrote it) is refused, untouched."""
    from alembic import command

    current = current_revision(db.engine)
    head = head_revision()
    backup = None
    if current != head:
        if current is not None and current not in known_revisions():
            raise SchemaRefused(
                f"The database {db.path} was written by a newer version of Creator Companion (schema {current}); "
                "this version cannot use it and left it unchanged. Update the app."
            )
        if db.path.exists() and _has_tables(db.engine):
            backup = backup_database(db.path, backup_dir / backup_name(datetime.now(UTC), f"before-{head}"))
            log.info("backed up %s to %s before migrating %s → %s", db.path, backup, current, head)
        command.upgrade(_alembic_config(db.engine), "head")
        log.info("database at revision %s", head)
    claim_database(db)
    return backup


def claim_database(db: Database) -> None:
    """Mark the database as ours (PRAGMA application_id), so a restore can tell our backups from another app's
    files. Best effort: a read-only folder or a full disk must not keep the data closed for it."""
    try:
        with db.engine.connect() as connection:
            current = connection.exec_driver_sql("PRAGMA application_id").scalar()
        if current == APPLICATION_ID:
            return
        if current:
            raise SchemaRefused(
                f"The file {db.path} belongs to another app (application id {current:#010x}); Creator Companion "
                "left it unchanged. Start with --data-dir pointing to another folder."
            )
        with db.engine.begin() as connection:
            connection.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
    except SchemaRefused:
        raise
    except Exception as exc:  # any storage fault: the claim waits for the next open
        log.warning("could not mark %s as a Creator Companion database: %s", db.path, exc)


def backup_name(moment: datetime, reason: str) -> str:
    """companion-20261120-190000-<reason>.sqlite3: the UTC time it was made, and why."""
    return f"companion-{moment.astimezone(UTC):%Y%m%d-%H%M%S}-{reason}.sqlite3"


def newest_good_backup(backup_dir: Path) -> Path | None:
    """The newest backup in `backup_dir` that passes the integrity check."""
    if not backup_dir.is_dir():
        return None
    for candidate in sorted(backup_dir.glob("companion-*.sqlite3"), key=lambda p: p.name, reverse=True):
        if "-damaged" in candidate.name:
            continue
        with contextlib.suppress(OSError):
            if integrity_problem(candidate) is None:
                return candidate
    return None


def open_database(path: Path, backup_dir: Path) -> Database:
    """Check the file (read-only, with its WAL) before anything touches it: a damaged database raises
    DatabaseDamaged and is left exactly as it was; a full disk raises OSError(ENOSPC). Then back up (before a
    migration) and upgrade. A new database file is created readable by this user only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    if path.exists():
        problem = integrity_problem(path)
        if problem is not None:
            log.error("database %s is damaged: %s", path, problem)
            raise DatabaseDamaged(path, problem, newest_good_backup(backup_dir))
    else:
        create_private(path)
    db = Database(path)
    try:
        upgrade(db, backup_dir)
    except BaseException:
        db.dispose()
        raise
    return db


class BackupRefused(CompanionError):
    """A file chosen for restore cannot be used (damaged, another app's, a newer schema); nothing was changed."""


class BackupDamaged(BackupRefused):
    """A backup chosen for restore fails the integrity check; nothing was changed."""


def check_backup(backup: Path) -> None:
    """Raise BackupDamaged / BackupRefused when `backup` must not replace the database."""
    problem = integrity_problem(backup, thorough=True)
    if problem is None and backup.stat().st_size == 0:
        problem = "the file is empty"
    if problem is not None:
        raise BackupDamaged(f"the backup {backup} is damaged ({problem}); nothing was changed")
    problem = identity_problem(backup, known_revisions())
    if problem is not None:
        raise BackupRefused(f"the file {backup} cannot be restored: {problem}. Nothing was changed")


def restore_database(backup: Path, path: Path, backup_dir: Path, now: datetime) -> Path | None:
    """Put `backup` (a file, or a `…-damaged.sqlite3` kept with its `-wal`) in place of the database at `path`,
    after checking it. The copy is made beside the database first and renamed over it only when complete, so a
    crash or a full disk leaves the database as it was. The current database is kept in `backup_dir`: through
    the backup API when it is sound, moved aside untouched (with its -wal and -shm) otherwise — never opened
    for writing. Returns where it was kept. Close every connection to `path` first."""
    check_backup(backup)
    staged = path.with_name(path.name + ".restoring")
    try:
        _remove_with_journals(staged)
        create_private(staged)
        _copy_pages(open_read_only(backup), staged)
        kept = _keep_current(path, backup_dir, now)
        _install(staged, path)
    except BaseException:
        _remove_with_journals(staged)
        raise
    log.info("restored %s from %s (previous database kept as %s)", path, backup, kept)
    return kept


def _keep_current(path: Path, backup_dir: Path, now: datetime) -> Path | None:
    wal = path.with_name(path.name + "-wal")
    if not path.exists() or (path.stat().st_size == 0 and not (wal.exists() and wal.stat().st_size)):
        return None
    try:
        sound = integrity_problem(path) is None
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise
        sound = False
    if sound:
        try:
            return backup_database(path, backup_dir / backup_name(now, "before-restore"))
        except (sqlite3.DatabaseError, UnicodeError) as exc:
            if not is_damage(exc):
                raise
            log.warning("could not copy %s (%s): moving it aside instead", path, exc)
    kept = backup_dir / backup_name(now, "damaged")
    backup_dir.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    for suffix in ("", "-wal", "-shm"):
        companion_file = path.with_name(path.name + suffix)
        if companion_file.exists():
            companion_file.replace(kept.with_name(kept.name + suffix))
    return kept


def _install(staged: Path, path: Path) -> None:
    """Rename the finished copy over the database. Its old -wal/-shm go first: SQLite would replay a WAL left
    beside a file it does not belong to. (Their content is already in the kept copy.)"""
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            path.with_name(path.name + suffix).unlink()
    staged.replace(path)
    if os.name == "posix":
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
