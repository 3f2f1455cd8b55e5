"""Open the database: engine with safe pragmas, backup through the SQLite backup API, Alembic upgrade."""

from __future__ import annotations

import contextlib
import errno
import functools
import logging
import os
import re
import sqlite3
import zlib
from collections.abc import Callable, Iterator
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
    clean_marker,
    closed_cleanly,
    identity_problem,
    integrity_problem,
    is_damage,
    mark_clean,
    open_read_only,
    record_checked,
)

__all__ = [
    "APPLICATION_ID",
    "SQLITE_MAGIC",
    "BackupDamaged",
    "BackupProgress",
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
        #: Set when a background check found the file damaged: every connection from then on is read-only.
        self.damage: str | None = None
        event.listen(self.engine, "connect", self._refuse_writes_when_damaged)

    def _refuse_writes_when_damaged(self, dbapi_connection: Any, _record: Any) -> None:
        if self.damage is not None:
            dbapi_connection.execute("PRAGMA query_only = ON")

    def found_damaged(self, problem: str) -> None:
        """The file failed the full check while open: from now on SQLite itself refuses every write (the
        pooled connections are closed; new ones are opened read-only), and no clean marker is written."""
        self.damage = problem
        self.engine.dispose()

    @contextmanager
    def session(self, write: bool = False) -> Iterator[Session]:
        """A short session; `write=True` for one that will write (it starts with BEGIN IMMEDIATE)."""
        with Session(self._write_engine if write else self.engine, expire_on_commit=False) as session:
            yield session

    def dispose(self) -> None:
        """Close every connection (the last one checkpoints the WAL into the file) and mark the close clean."""
        self.engine.dispose()
        if self.damage is None:
            mark_clean(self.path)


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


#: Pages copied per backup step (4 MiB at SQLite's 4 KiB pages): between steps the progress is reported.
BACKUP_STEP_PAGES = 1024
#: progress(pages copied, pages in all)
BackupProgress = Callable[[int, int], None]


def backup_database(source: Path, target: Path, progress: BackupProgress | None = None) -> Path:
    """Copy a live database through SQLite's backup API (consistent even with a WAL); never a file copy.
    Nothing is left behind when it fails (a full disk): the copy is made as `….partial`, renamed when done.
    With `progress` the copy goes in steps of BACKUP_STEP_PAGES on its own connection, inside one read
    transaction: a WAL reader never blocks the app's writes, and the snapshot keeps a write from restarting it."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    partial = target.with_name(target.name + ".partial")
    _remove_with_journals(partial)
    try:
        create_private(partial)
        _copy_pages(sqlite3.connect(source, isolation_level=None), partial, progress)
        partial.replace(target)
    except BaseException:
        _remove_with_journals(partial)
        raise
    return target


def _remove_with_journals(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            path.with_name(path.name + suffix).unlink()


def _copy_pages(src: sqlite3.Connection, target: Path, progress: BackupProgress | None = None) -> None:
    """Copy every page of `src` into the database at `target` (SQLite's backup API), then close `src`."""
    try:
        dst = sqlite3.connect(target)
        try:
            if progress is None:
                src.backup(dst)
            else:
                src.execute("BEGIN")
                src.execute("SELECT count(*) FROM sqlite_master").fetchall()  # the snapshot every step reads
                src.backup(
                    dst, pages=BACKUP_STEP_PAGES, progress=lambda _status, left, total: progress(total - left, total)
                )
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


_REVISION = re.compile(r"""^revision(?:: *[\w\[\], |]+)? *= *["']([^"']+)["']""", re.M)
_DOWN_REVISION = re.compile(r"^down_revision(?:: *[^=]+)? *= *(.+)$", re.M)


@functools.cache
def head_from_files() -> str | None:
    """The head revision read from the migration files' `revision = …` / `down_revision = …` lines, without
    importing Alembic (≈ 0.15 s); None when that cannot be told for sure (then Alembic is asked)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for file in (MIGRATIONS_DIR / "versions").glob("*.py"):
        if file.name == "__init__.py":
            continue
        text = file.read_text(encoding="utf-8")
        revision, down = _REVISION.search(text), _DOWN_REVISION.search(text)
        if revision is None or down is None:
            return None
        revisions.add(revision.group(1))
        parents.update(re.findall(r"""["']([^"']+)["']""", down.group(1)))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def schema_version(head: str) -> int:
    """`PRAGMA user_version` of a database at revision `head`, kept in step by `upgrade` (and cleared by every
    Alembic run, migrations/env.py): never 0."""
    return zlib.crc32(head.encode()) & 0x7FFFFFFF or 1


def _at_head_and_ours(db: Database) -> bool:
    """The cheap check on every open: the stored revision is the head, the schema version was set for it (no
    Alembic run since), and the application id is ours."""
    head = head_from_files()
    if head is None:
        return False
    with db.engine.connect() as connection:
        version = connection.exec_driver_sql("PRAGMA user_version").scalar()
        app_id = connection.exec_driver_sql("PRAGMA application_id").scalar()
        if version != schema_version(head) or app_id != APPLICATION_ID:
            return False
        stored = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()
    return stored == [head]


def upgrade(db: Database, backup_dir: Path) -> Path | None:
    """Bring the schema to head. An existing database is backed up first; returns the backup made, if any.
    A schema this version does not know (a newer app wrote it) is refused, untouched. A database whose
    `user_version` says it is at head is not asked again through Alembic."""
    if _at_head_and_ours(db):
        return None
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
    # best effort, like the claim: without it the next open asks Alembic again
    with contextlib.suppress(Exception), db.engine.begin() as connection:
        connection.exec_driver_sql(f"PRAGMA user_version = {schema_version(head_revision())}")
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
    """Check the file (read-only, with its WAL) before anything touches it — in full unless it was closed
    cleanly and nothing touched it since (checks.closed_cleanly), else only its header and schema: a damaged
    database raises DatabaseDamaged and is left exactly as it was; a full disk raises OSError(ENOSPC). Then back
    up (before a migration) and upgrade. A new database file is created readable by this user only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    if path.exists():
        full = not closed_cleanly(path)
        problem = integrity_problem(path, light=not full)
        if problem is not None:
            log.error("database %s is damaged: %s", path, problem)
            raise DatabaseDamaged(path, problem, newest_good_backup(backup_dir))
        if full:
            record_checked(path)
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
    clean_marker(path).unlink(missing_ok=True)  # a restored file is checked in full on its next open
    staged.replace(path)
    if os.name == "posix":
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
