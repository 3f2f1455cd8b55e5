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
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    partial.replace(target)
    return target


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
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        backup = backup_database(db.path, backup_dir / f"companion-{stamp}-before-{head}.sqlite3")
        log.info("backed up %s to %s before migrating %s → %s", db.path, backup, current, head)
    command.upgrade(_alembic_config(db.engine), "head")
    log.info("database at revision %s", head)
    return backup


def open_database(path: Path, backup_dir: Path) -> Database:
    path.parent.mkdir(parents=True, exist_ok=True)
    db = Database(path)
    upgrade(db, backup_dir)
    return db
