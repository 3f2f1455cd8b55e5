"""Issue 17: opening the database stays cheap — the full-file check runs only when the file may have changed
unseen (no clean close, touched since, restored), the schema is checked without Alembic when it is at head, and a
file found damaged while open is never written to."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import companion.store.db as store_db
from companion.store.checks import clean_marker, closed_cleanly
from companion.store.db import open_database
from tests.conftest import CATALOG


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Records each check open_database runs: True for the full one, False for the light one."""
    original = store_db.integrity_problem
    seen: list[bool] = []

    def spy(path: Path, thorough: bool = False, light: bool = False) -> str | None:
        seen.append(not light)
        return original(path, thorough=thorough, light=light)

    monkeypatch.setattr(store_db, "integrity_problem", spy)
    return seen


def _closed(folder: Path) -> Path:
    from companion.services import build_services

    db = open_database(folder / "companion.sqlite3", folder / "backups")
    build_services(db, CATALOG).gifts.log("Rose", 1, "amy")
    db.dispose()
    return folder / "companion.sqlite3"


def test_a_clean_close_spares_the_next_open_the_full_check(tmp_path: Path, checks: list[bool]) -> None:
    path = _closed(tmp_path)
    assert closed_cleanly(path)
    checks.clear()
    open_database(path, tmp_path / "backups").dispose()
    assert checks == [False]  # was: the full quick_check on every open


def test_a_file_touched_after_the_clean_close_is_checked_in_full(tmp_path: Path, checks: list[bool]) -> None:
    path = _closed(tmp_path)
    with sqlite3.connect(path) as other:  # another program writes to it
        other.execute("INSERT INTO setting(key, value) VALUES ('x', 'y')")
    other.close()
    checks.clear()
    open_database(path, tmp_path / "backups").dispose()
    assert checks == [True]


def test_without_the_marker_the_open_is_checked_in_full(tmp_path: Path, checks: list[bool]) -> None:
    path = _closed(tmp_path)
    clean_marker(path).unlink()  # as after a crash, or a restore
    checks.clear()
    open_database(path, tmp_path / "backups").dispose()
    assert checks == [True]


def test_no_clean_marker_while_a_wal_is_left(tmp_path: Path) -> None:
    path = _closed(tmp_path)
    holder = sqlite3.connect(path)  # another process keeps the database open with unwritten WAL frames
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("INSERT INTO setting(key, value) VALUES ('x', 'y')")
    holder.commit()
    db = open_database(path, tmp_path / "backups")
    db.dispose()
    assert not closed_cleanly(path)
    holder.close()


def test_a_file_found_damaged_while_open_is_never_written_to(tmp_path: Path) -> None:
    path = _closed(tmp_path)
    clean_marker(path).unlink()
    db = open_database(path, tmp_path / "backups")
    db.found_damaged("a page is broken")
    before = path.read_bytes()
    with pytest.raises(Exception, match="readonly"), db.session(write=True) as s:
        s.connection().exec_driver_sql("INSERT INTO setting(key, value) VALUES ('x', 'y')")
    db.dispose()
    assert path.read_bytes() == before
    assert not clean_marker(path).exists()  # the next open checks it in full


def test_opening_a_database_at_head_does_not_import_alembic(tmp_path: Path) -> None:
    path = _closed(tmp_path)
    script = (
        "import sys; from pathlib import Path; from companion.store.db import open_database;"
        f"open_database(Path({str(path)!r}), Path({str(tmp_path / 'backups')!r})).dispose();"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'alembic'))"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout


def test_a_migration_run_behind_the_cheap_check_is_noticed(tmp_path: Path) -> None:
    """Alembic clears the schema version on every run, so a downgrade is upgraded again on the next open."""
    from alembic import command

    path = _closed(tmp_path)
    db = open_database(path, tmp_path / "backups")
    command.downgrade(store_db._alembic_config(db.engine), "0001_baseline")
    db.dispose()
    db = open_database(path, tmp_path / "backups")
    assert store_db.current_revision(db.engine) == store_db.head_revision()
    db.dispose()
