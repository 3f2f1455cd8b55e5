"""The storage edges of issue 12: a checkpoint cut short by a crash is not damage, a damaged file never crashes
the check, folder names that are not URL-safe, the header's version bytes, the application id, a damaged file
moved aside with its WAL, and a restore from such a pair."""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from companion.services import build_services
from companion.store.checks import APPLICATION_ID
from companion.store.db import DatabaseDamaged, integrity_problem, open_database, restore_database
from tests.conftest import CATALOG

NOW = datetime(2026, 11, 21, tzinfo=UTC)


def _seeded(folder: Path, gifts: int = 20) -> Path:
    """A closed database (no WAL) in `folder` with `gifts` gifts; returns the file."""
    db = open_database(folder / "companion.sqlite3", folder / "backups")
    services = build_services(db, CATALOG, backup_dir=folder / "backups")
    for n in range(gifts):
        services.gifts.log("Rose", 1 + n % 5, f"fan{n}")
    db.dispose()
    return folder / "companion.sqlite3"


def _gifts(database: Path) -> int:
    con = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return int(con.execute("SELECT count(*) FROM gift_event").fetchone()[0])
    finally:
        con.close()


def _cut_short_pair(database: Path, extra: int) -> int:
    """Commit `extra` gifts that stay in the WAL, then leave the files as a kill during the checkpoint does: the
    WAL intact, the main file holding the first pages the checkpoint copied (page 1 with the new size included)
    and nothing after. Returns the committed gift count."""
    wal = database.with_name(database.name + "-wal")
    con = sqlite3.connect(database, isolation_level=None)
    con.execute("PRAGMA wal_autocheckpoint=0")
    con.execute("BEGIN")
    con.executemany(
        "INSERT INTO gift_event (profile_id, received_at, sender, gift_name, coins_each, count, diamonds, source)"
        " VALUES (1, ?, ?, 'Rose', 1, 1, 1, 'manual')",
        ((1_790_000_000_000 + n, f"late{n}") for n in range(extra)),
    )
    con.execute("COMMIT")
    committed = int(con.execute("SELECT count(*) FROM gift_event").fetchone()[0])
    wal_bytes = wal.read_bytes()
    before = database.stat().st_size
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    checkpointed = database.read_bytes()
    assert len(checkpointed) > before + 8 * 4096
    database.write_bytes(checkpointed[: before + 4 * 4096])  # the kill came half way through the copy
    wal.write_bytes(wal_bytes)
    database.with_name(database.name + "-shm").unlink(missing_ok=True)
    header = database.read_bytes()[:100]
    assert int.from_bytes(header[28:32], "big") * 4096 > database.stat().st_size  # shorter than it says
    return committed


def test_a_checkpoint_cut_short_by_a_crash_opens_with_every_gift(tmp_path: Path) -> None:
    database = _seeded(tmp_path / "data")
    committed = _cut_short_pair(database, 3000)
    assert integrity_problem(database) is None  # SQLite reads the rest from the WAL
    db = open_database(database, tmp_path / "data" / "backups")  # was: DatabaseDamaged "the file is cut short"
    try:
        assert build_services(db, CATALOG).reports.summary().totals.gifts == committed
    finally:
        db.dispose()


def test_restore_takes_a_damaged_copy_kept_with_its_wal(tmp_path: Path) -> None:
    """The pair a restore moved aside (`…-damaged.sqlite3` + `-wal`) can itself be restored, with every gift."""
    source = _seeded(tmp_path / "old")
    committed = _cut_short_pair(source, 3000)
    backups = tmp_path / "data" / "backups"
    backups.mkdir(parents=True)
    kept = backups / "companion-20261120-190000-damaged.sqlite3"
    for suffix in ("", "-wal"):
        shutil.copyfile(source.with_name(source.name + suffix), kept.with_name(kept.name + suffix))
    live = _seeded(tmp_path / "data", gifts=2)
    restore_database(kept, live, backups, NOW)  # was: BackupDamaged "cut short"
    assert _gifts(live) == committed


def test_a_damaged_database_is_moved_aside_with_its_wal_and_shm(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    live = _seeded(folder, gifts=300)
    good = folder / "backups" / "good.sqlite3"
    good.parent.mkdir(exist_ok=True)
    shutil.copyfile(live, good)
    con = sqlite3.connect(live)
    con.execute("PRAGMA wal_autocheckpoint=0")
    con.execute("INSERT INTO setting (key, value) VALUES ('x', 'y')")
    con.commit()
    # as a crash leaves them: a closing connection would checkpoint the WAL and delete it
    companions = {s: live.with_name(live.name + s).read_bytes() for s in ("", "-wal", "-shm")}
    con.close()
    data = bytearray(companions[""])
    data[3 * 4096 : 5 * 4096] = bytes(range(256)) * 32  # two pages of garbage in the main file
    companions[""] = bytes(data)
    for suffix, content in companions.items():
        live.with_name(live.name + suffix).write_bytes(content)
    kept = restore_database(good, live, folder / "backups", NOW)
    assert kept is not None and kept.name.endswith("-damaged.sqlite3")
    for suffix in ("", "-wal"):  # moved, not rewritten (the -shm is only an index SQLite rebuilds)
        assert kept.with_name(kept.name + suffix).read_bytes() == companions[suffix]
    assert kept.with_name(kept.name + "-shm").exists()
    assert _gifts(live) == 300
    assert not live.with_name(live.name + "-wal").exists() or live.with_name(live.name + "-wal").stat().st_size == 0


def _flip_table_name(database: Path) -> None:
    data = bytearray(database.read_bytes())
    at = data.find(b"tablegift_eventgift_event")
    assert at > 0
    data[at + 9] = 0xFF  # inside the name: SQLite's own error text is then not UTF-8
    database.write_bytes(bytes(data))


def test_a_table_name_that_is_not_utf8_is_damage_not_a_crash(tmp_path: Path) -> None:
    database = _seeded(tmp_path / "data")
    good = tmp_path / "data" / "backups" / "companion-20261120-190000-manual.sqlite3"
    good.parent.mkdir(exist_ok=True)
    shutil.copyfile(database, good)
    _flip_table_name(database)
    damaged = database.read_bytes()
    problem = integrity_problem(database)  # raised UnicodeDecodeError before
    assert problem
    with pytest.raises(DatabaseDamaged) as refused:
        open_database(database, tmp_path / "data" / "backups")
    assert refused.value.good_backup == good
    kept = restore_database(good, database, tmp_path / "data" / "backups", NOW)
    assert kept is not None and kept.read_bytes() == damaged
    assert _gifts(database) == 20


@pytest.mark.parametrize("offset", [18, 19])
def test_a_changed_format_version_byte_is_damage(tmp_path: Path, offset: int) -> None:
    """Byte 18 > 2 makes SQLite open the file read-only: every write then failed as if the folder were
    read-only. It is a damaged header."""
    database = _seeded(tmp_path / "data")
    data = bytearray(database.read_bytes())
    data[offset] = 7
    database.write_bytes(bytes(data))
    with pytest.raises(DatabaseDamaged, match="header"):
        open_database(database, tmp_path / "data" / "backups")
    assert database.read_bytes() == bytes(data)


@pytest.mark.parametrize("name", ["what?", "a%41b", "50% off #1"])
def test_a_folder_name_that_is_not_url_safe_keeps_the_database_inside(tmp_path: Path, name: str) -> None:
    folder = tmp_path / name
    database = _seeded(folder, gifts=3)
    assert database.is_file() and _gifts(database) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # nothing written beside the folder
    db = open_database(database, folder / "backups")
    try:
        services = build_services(db, CATALOG, backup_dir=folder / "backups")
        made = services.backups.create()
        assert made.path.parent == folder / "backups" and services.backups.check(made.path) is None
        services.gifts.log("Rose", 1, "late")
        services.backups.restore(made.path)
        assert _gifts(database) == 3
    finally:
        db.dispose()


def _application_id(database: Path) -> int:
    con = sqlite3.connect(database)
    try:
        return int(con.execute("PRAGMA application_id").fetchone()[0])
    finally:
        con.close()


def test_new_and_older_databases_carry_our_application_id(tmp_path: Path) -> None:
    database = _seeded(tmp_path / "data", gifts=1)
    assert _application_id(database) == APPLICATION_ID == int.from_bytes(b"CrCo", "big")
    con = sqlite3.connect(database)
    con.execute("PRAGMA application_id = 0")  # as every database made before the id was introduced
    con.close()
    open_database(database, tmp_path / "data" / "backups").dispose()
    assert _application_id(database) == APPLICATION_ID


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_database_is_created_readable_by_its_owner_only(tmp_path: Path) -> None:
    database = _seeded(tmp_path / "data", gifts=1)
    assert database.stat().st_mode & 0o777 == 0o600
    db = open_database(database, tmp_path / "data" / "backups")
    try:
        made = build_services(db, CATALOG, backup_dir=tmp_path / "data" / "backups").backups.create()
        with db.session(write=True) as s:
            s.connection().exec_driver_sql("INSERT INTO setting (key, value) VALUES ('k', 'v')")
            s.commit()
        assert database.with_name(database.name + "-wal").stat().st_mode & 0o777 == 0o600
    finally:
        db.dispose()
    assert made.path.stat().st_mode & 0o777 == 0o600
