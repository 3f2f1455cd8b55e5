"""Schema through Alembic only: fresh databases reach head, match the models, carry safe pragmas, back up first."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

import companion.store.tables  # noqa: F401  (registers the tables on SQLModel.metadata)
from companion.store.db import (
    Database,
    _alembic_config,
    backup_database,
    current_revision,
    head_revision,
    open_database,
    upgrade,
)

TABLES = {
    "profile",
    "stream",
    "gift_type",
    "gift_price",
    "gift_event",
    "setting",
    "alembic_version",
    # 0002_economics
    "reward_scheme",
    "reward_level",
    "profile_economics",
    "method_fee",
    "exchange_rate",
    "payment_method",
    "payout",
    "balance_check",
    "goal",
    # 0006_share_timeline
    "share_period",
    "stream_share",
    # 0007_tiktok_lives
    "tiktok_live",
}


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as con:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _schema_diff(database: Database) -> list[object]:
    with database.engine.connect() as conn:
        return list(compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata))


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Database]:
    database = open_database(tmp_path / "data" / "c.sqlite3", tmp_path / "backups")
    yield database
    database.dispose()


def test_head_revision_is_the_newest_migration() -> None:
    assert head_revision() == "0007_tiktok_lives"


def test_open_database_on_an_empty_file_upgrades_to_head(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dir" / "c.sqlite3"
    database = open_database(path, tmp_path / "backups")
    try:
        assert path.exists()
        assert current_revision(database.engine) == head_revision()
        assert _tables(path) == TABLES
        assert not (tmp_path / "backups").exists() or not any((tmp_path / "backups").iterdir())
    finally:
        database.dispose()


def test_migrated_schema_matches_the_models(fresh: Database) -> None:
    assert _schema_diff(fresh) == []


def test_every_new_connection_gets_wal_full_sync_and_foreign_keys(fresh: Database) -> None:
    fresh.engine.dispose()  # force a brand-new DBAPI connection
    with fresh.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000


def test_downgrade_to_base_then_upgrade_again(fresh: Database) -> None:
    config = _alembic_config(fresh.engine)
    command.downgrade(config, "base")
    assert current_revision(fresh.engine) is None
    assert _tables(fresh.path) == {"alembic_version"}
    command.upgrade(config, "head")
    assert current_revision(fresh.engine) == head_revision()
    assert _tables(fresh.path) == TABLES
    assert _schema_diff(fresh) == []


def test_upgrade_at_head_is_a_no_op_and_makes_no_backup(fresh: Database, tmp_path: Path) -> None:
    with fresh.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO setting(key, value) VALUES ('k', 'v')")
    backups = tmp_path / "later-backups"
    assert upgrade(fresh, backups) is None
    assert not backups.exists()
    with fresh.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT value FROM setting WHERE key='k'").scalar() == "v"


def test_reopening_an_existing_database_keeps_its_rows_and_makes_no_backup(tmp_path: Path) -> None:
    path = tmp_path / "c.sqlite3"
    first = open_database(path, tmp_path / "backups")
    with first.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO setting(key, value) VALUES ('k', 'v')")
    first.dispose()
    again = open_database(path, tmp_path / "backups")
    try:
        with again.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT value FROM setting").scalar() == "v"
        assert not (tmp_path / "backups").exists()
    finally:
        again.dispose()


def test_database_behind_head_is_backed_up_before_migrating(fresh: Database, tmp_path: Path) -> None:
    """A database at the first release's revision, opened by newer code: a backup with the rows comes first."""
    command.downgrade(_alembic_config(fresh.engine), "0001_baseline")
    with fresh.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO setting(key, value) VALUES ('k', 'v')")
    backups = tmp_path / "backups"
    backup = upgrade(fresh, backups)
    assert backup is not None
    assert current_revision(fresh.engine) == head_revision()
    assert backup.parent == backups
    assert backup.name.startswith("companion-") and backup.name.endswith(f"-before-{head_revision()}.sqlite3")
    assert not backup.with_name(backup.name + ".partial").exists()
    with sqlite3.connect(backup) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert con.execute("SELECT key, value FROM setting").fetchall() == [("k", "v")]
        assert con.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001_baseline",)


def test_database_at_base_with_version_table_is_backed_up_then_upgraded(fresh: Database, tmp_path: Path) -> None:
    command.downgrade(_alembic_config(fresh.engine), "base")
    backup = upgrade(fresh, tmp_path / "backups")
    assert backup is not None and backup.exists()
    assert current_revision(fresh.engine) == head_revision()
    assert _tables(fresh.path) == TABLES


def test_backup_database_copies_committed_wal_rows_while_a_connection_is_open(fresh: Database, tmp_path: Path) -> None:
    with fresh.engine.connect() as holder:
        holder.exec_driver_sql("INSERT INTO setting(key, value) VALUES ('a', '1')")
        holder.exec_driver_sql("INSERT INTO setting(key, value) VALUES ('b', '2')")
        holder.commit()
        # The rows sit in the WAL (not yet checkpointed) and the connection stays open during the backup.
        wal = fresh.path.with_name(fresh.path.name + "-wal")
        assert wal.exists() and wal.stat().st_size > 0
        target = backup_database(fresh.path, tmp_path / "copies" / "copy.sqlite3")
        holder.exec_driver_sql("INSERT INTO setting(key, value) VALUES ('c', '3')")
        holder.commit()
    assert target == tmp_path / "copies" / "copy.sqlite3"
    assert not target.with_name(target.name + ".partial").exists()
    with sqlite3.connect(target) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert con.execute("SELECT key, value FROM setting ORDER BY key").fetchall() == [("a", "1"), ("b", "2")]
    restored = Database(target)
    try:
        assert current_revision(restored.engine) == head_revision()
    finally:
        restored.dispose()


def test_backup_overwrites_an_older_backup_atomically(fresh: Database, tmp_path: Path) -> None:
    target = tmp_path / "copy.sqlite3"
    target.write_bytes(b"old junk")
    backup_database(fresh.path, target)
    with sqlite3.connect(target) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_migrated_database_stores_instants_as_integers(fresh: Database) -> None:
    from companion.store.repositories import ProfileRepo

    with fresh.session() as s:
        ProfileRepo(s).create("p", "USD", "", 5000, datetime(2026, 11, 1, 0, 0, 0, 123000, tzinfo=UTC))
        s.commit()
    with sqlite3.connect(fresh.path) as con:
        value, kind = con.execute("SELECT created_at, typeof(created_at) FROM profile").fetchone()
    assert kind == "integer"
    assert value == 1_793_491_200_123
