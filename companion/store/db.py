"""Open the database: engine with safe pragmas, backup through the SQLite backup API, Alembic upgrade."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from companion.domain.errors import CompanionError

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


def make_engine(db_path: Path) -> Engine:
    engine = create_engine(
        f"sqlite:///{db_path}",
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


def _alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config(None)).get_current_head()  # type: ignore[arg-type]
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def backup_database(source: Path, target: Path) -> Path:
    """Copy a live database through SQLite's backup API (consistent even with a WAL); never a file copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    _copy_pages(sqlite3.connect(source), partial)
    partial.replace(target)
    return target


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


SQLITE_MAGIC = b"SQLite format 3\x00"


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


def open_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write. Without a WAL file beside it everything is in the main file, so it is
    opened immutable, which creates no -wal/-shm files next to it; with one, read-only mode reads the WAL too."""
    mode = "ro" if path.with_name(path.name + "-wal").exists() else "ro&immutable=1"
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True)


def integrity_problem(path: Path, thorough: bool = False) -> str | None:
    """Why the SQLite file at `path` is unusable, or None when it passes. Opens it read-only: writes nothing.
    `thorough` runs PRAGMA integrity_check (also checks indexes); otherwise the faster quick_check."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    if not header:
        return None  # an empty file is a database not created yet
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        return "not an SQLite database"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    size = path.stat().st_size
    if page_size and size % page_size:
        return f"the file is cut short ({size:,} bytes is not a whole number of {page_size}-byte pages)"
    if pages and size < pages * page_size:
        return f"the file is cut short ({size:,} bytes, expected {pages * page_size:,})"
    try:
        connection = open_read_only(path)
    except sqlite3.Error as exc:
        return f"cannot be opened: {exc}"
    try:
        pragma = "integrity_check" if thorough else "quick_check"
        rows = connection.execute(f"PRAGMA {pragma}(5)").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        connection.close()
    results = [" ".join(str(r[0]).replace("*** in database main ***", "").split()) for r in rows]
    return None if results == ["ok"] else "; ".join(r for r in results if r)


def _has_tables(engine: Engine) -> bool:
    with engine.connect() as connection:
        row = connection.exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE type='table'").one()
        return bool(row[0])


def upgrade(db: Database, backup_dir: Path) -> Path | None:
    """Bring the schema to head. An existing database is backed up first; returns the backup made, if any."""
    from alembic import command

    current = current_revision(db.engine)
    head = head_revision()
    if current == head:
        return None
    backup = None
    if db.path.exists() and _has_tables(db.engine):
        backup = backup_database(db.path, backup_dir / backup_name(datetime.now(UTC), f"before-{head}"))
        log.info("backed up %s to %s before migrating %s → %s", db.path, backup, current, head)
    command.upgrade(_alembic_config(db.engine), "head")
    log.info("database at revision %s", head)
    return backup


def backup_name(moment: datetime, reason: str) -> str:
    """companion-20261120-190000-<reason>.sqlite3: the UTC time it was made, and why."""
    return f"companion-{moment.astimezone(UTC):%Y%m%d-%H%M%S}-{reason}.sqlite3"


def newest_good_backup(backup_dir: Path) -> Path | None:
    """The newest backup in `backup_dir` that passes the integrity check."""
    if not backup_dir.is_dir():
        return None
    for candidate in sorted(backup_dir.glob("companion-*.sqlite3"), key=lambda p: p.name, reverse=True):
        if "-damaged" not in candidate.name and integrity_problem(candidate) is None:
            return candidate
    return None


def open_database(path: Path, backup_dir: Path) -> Database:
    """Check the file (read-only) before anything touches it: a damaged database raises DatabaseDamaged and
    is left exactly as it was. Then back up (before a migration) and upgrade."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        problem = integrity_problem(path)
        if problem is not None:
            log.error("database %s is damaged: %s", path, problem)
            raise DatabaseDamaged(path, problem, newest_good_backup(backup_dir))
    db = Database(path)
    upgrade(db, backup_dir)
    return db


class BackupDamaged(CompanionError):
    """A backup chosen for restore fails the integrity check; nothing was changed."""


def restore_database(backup: Path, path: Path, backup_dir: Path, now: datetime) -> Path | None:
    """Put `backup` in place of the database at `path`, checking the backup first. The current database is
    kept in `backup_dir`: through the backup API when it is sound, moved aside untouched (with its WAL) when it
    is damaged. Returns where the current database was kept. Close every connection to `path` first."""
    problem = integrity_problem(backup, thorough=True)
    if problem is None and backup.stat().st_size == 0:
        problem = "the file is empty"
    if problem is not None:
        raise BackupDamaged(f"the backup {backup} is damaged ({problem}); nothing was changed")
    kept: Path | None = None
    if path.exists() and path.stat().st_size > 0:
        if integrity_problem(path) is None:
            kept = backup_database(path, backup_dir / backup_name(now, "before-restore"))
        else:
            kept = backup_dir / backup_name(now, "damaged")
            backup_dir.mkdir(parents=True, exist_ok=True)
            for suffix in ("", "-wal", "-shm"):
                companion_file = path.with_name(path.name + suffix)
                if companion_file.exists():
                    companion_file.replace(kept.with_name(kept.name + suffix))
    # the backup API copies into the (possibly new) file page by page, replacing everything in it
    backup_database_into(backup, path)
    log.info("restored %s from %s (previous database kept as %s)", path, backup, kept)
    return kept


def backup_database_into(source: Path, target: Path) -> None:
    """Overwrite the database at `target` with `source` through the backup API (works with a WAL target)."""
    _copy_pages(open_read_only(source), target)
