"""Issue 12 through the real entry point: `backup restore` checks a file is one of ours before touching the live
database, `export --out` never writes over the app's own files, a full disk is said as such (never "damaged",
never "the app is open", no log tracebacks, no partial backup), damaged headers and names are refused plainly,
odd folder names work, and the data folder is private."""

from __future__ import annotations

import errno
import logging
import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import companion.faults
import companion.store.checks
import companion.store.db as store_db
from companion import app
from tests.test_cli import _restore_process_state, cli  # noqa: F401  (the autouse fixture, the runner)


@pytest.fixture
def data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A data folder with 3 gifts and one manual backup of them."""
    folder = tmp_path / "data"
    for n in range(3):
        code, _, err = cli(capsys, folder, "gifts", "add", "--gift", "Rose", "--count", str(n + 1), "--sender", "x")
        assert code == 0, err
    assert cli(capsys, folder, "backup", "create")[0] == 0
    return folder


def _backup(folder: Path) -> Path:
    (made,) = [p for p in (folder / "backups").iterdir() if p.name.endswith("-manual.sqlite3")]
    return made


def _items(capsys: pytest.CaptureFixture[str], folder: Path) -> str:
    code, out, err = cli(capsys, folder, "summary", "--json")
    assert code == 0, err
    return out.split('"items": ')[1].split(",")[0]


# ---- backup restore: only our own backups, at a schema this version knows ----------------------------------


def _foreign(path: Path, *statements: str) -> Path:
    con = sqlite3.connect(path)
    for statement in statements:
        con.execute(statement)
    con.commit()
    con.close()
    return path


def _edited_copy(backup: Path, target: Path, *statements: str) -> Path:
    shutil.copyfile(backup, target)
    return _foreign(target, *statements)


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("another app's file with a profile table", "not a Creator Companion backup"),
        ("another app's file without our tables", "not a Creator Companion backup"),
        ("another app's application id", "another app's database"),
        ("a newer schema", "newer version of Creator Companion"),
        ("an unknown schema without our id", "unknown"),
        ("our schema without the gift tables", "tables missing"),
    ],
)
def test_restore_refuses_a_file_that_is_not_our_backup_before_touching_anything(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str, words: str
) -> None:
    ours = _backup(data)
    candidate = tmp_path / "candidate.sqlite3"
    if kind == "another app's file with a profile table":
        _foreign(candidate, "CREATE TABLE profile (id INTEGER PRIMARY KEY, name TEXT)",
                 "INSERT INTO profile VALUES (1, 'a')")
    elif kind == "another app's file without our tables":
        _foreign(candidate, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    elif kind == "another app's application id":
        _edited_copy(ours, candidate, "PRAGMA application_id = 305419896")
    elif kind == "a newer schema":
        _edited_copy(ours, candidate, "UPDATE alembic_version SET version_num = '0099_from_the_future'")
    elif kind == "an unknown schema without our id":
        _edited_copy(ours, candidate, "PRAGMA application_id = 0", "UPDATE alembic_version SET version_num = 'abc123'")
    else:
        _edited_copy(ours, candidate, "PRAGMA foreign_keys = OFF", "DROP TABLE gift_price", "DROP TABLE gift_event")
    live = data / "companion.sqlite3"
    before = live.read_bytes()
    backups = sorted(p.name for p in (data / "backups").iterdir())
    code, _, err = cli(capsys, data, "backup", "restore", str(candidate))
    assert code == 2, err
    assert words in err and "Nothing was changed" in err, err
    assert "SELECT" not in err and "sqlalche" not in err and "Traceback" not in err
    assert live.read_bytes() == before  # not even a "before-restore" copy was made
    assert sorted(p.name for p in (data / "backups").iterdir()) == backups
    assert _items(capsys, data) == "6"


def test_a_live_database_of_a_newer_schema_is_refused_plainly(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    live = data / "companion.sqlite3"
    _foreign(live, "UPDATE alembic_version SET version_num = '0099_from_the_future'")
    before = live.read_bytes()
    code, _, err = cli(capsys, data, "summary", "--json")
    assert code == 2 and "newer version of Creator Companion" in err and "Can't locate" not in err, err
    assert live.read_bytes() == before


# ---- export --out never replaces the app's own files -------------------------------------------------------


@pytest.mark.parametrize(
    "target", ["companion.sqlite3", "companion.sqlite3-wal", "companion.sqlite3-shm", "companion.lock",
               "backups/mine.csv", "backups", "link-to-db", "logs/../companion.sqlite3"]
)  # fmt: skip
def test_export_refuses_to_write_over_the_apps_own_files(
    data: Path, capsys: pytest.CaptureFixture[str], target: str
) -> None:
    live = data / "companion.sqlite3"
    (data / "link-to-db").symlink_to(live)
    before = live.read_bytes()
    for fmt in ("csv", "qif"):
        code, _, err = cli(capsys, data, "export", fmt, "--out", str(data / target))
        assert code == 2, err
        assert "one of the app's own files" in err and "Nothing was written" in err, err
    assert live.read_bytes() == before
    assert not (data / "backups" / "mine.csv").exists()
    assert _items(capsys, data) == "6"


# ---- damaged files are refused in plain words; restore never depends on opening them -----------------------


def _change_byte(path: Path, offset: Callable[[bytes], int], value: int) -> bytes:
    raw = bytearray(path.read_bytes())
    raw[offset(bytes(raw))] = value
    path.write_bytes(bytes(raw))
    return bytes(raw)


def test_a_table_name_that_is_not_utf8_is_refused_as_damaged_and_restore_works(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _change_byte(data / "companion.sqlite3", lambda raw: raw.find(b"tablegift_eventgift_event") + 9, 0xFF)
    code, _, err = cli(capsys, data, "summary", "--json")
    assert code == 2 and "is damaged" in err and "UnicodeDecodeError" not in err, err
    code, _, err = cli(capsys, data, "backup", "restore", str(_backup(data)))
    assert code == 0, err
    assert _items(capsys, data) == "6"


def test_a_changed_header_byte_18_is_damaged_not_a_read_only_folder(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    live = data / "companion.sqlite3"
    changed = _change_byte(live, lambda raw: 18, 3)
    code, _, err = cli(capsys, data, "gifts", "add", "--gift", "Rose", "--count", "1", "--sender", "y")
    assert code == 2 and "is damaged" in err and "header" in err, err
    assert "read-only" not in err
    assert live.read_bytes() == changed


# ---- a full disk -------------------------------------------------------------------------------------------


def _full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(companion.faults, "disk_is_full", lambda folder: True)
    monkeypatch.setattr(companion.store.checks, "disk_is_full", lambda folder: True)


def test_a_full_disk_while_checking_the_database_is_not_called_damaged(
    data: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite must create the WAL index beside the file to read it; on a full disk that fails as a
    "disk I/O error". That said "damaged" and offered an older backup (losing data if followed)."""
    _full_disk(monkeypatch)
    original = companion.store.checks.open_read_only

    def no_room_for_the_index(path: Path) -> sqlite3.Connection:
        if path.name == "companion.sqlite3":
            failure = sqlite3.OperationalError("disk I/O error")
            failure.sqlite_errorcode = 4874  # type: ignore[attr-defined]  (SQLITE_IOERR_SHMSIZE)
            raise failure
        return original(path)

    monkeypatch.setattr(companion.store.checks, "open_read_only", no_room_for_the_index)
    code, _, err = cli(capsys, data, "summary", "--json")
    assert code == 1, err
    assert f"No space left on the disk that holds {data}; free " in err and " MB" in err, err
    assert "damaged" not in err and "backup restore" not in err


def test_a_backup_on_a_full_disk_leaves_no_partial_file(
    data: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_fills(src: sqlite3.Connection, target: Path, progress: object = None) -> None:
        src.close()
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store_db, "_copy_pages", disk_fills)
    before = sorted(p.name for p in (data / "backups").iterdir())
    code, _, err = cli(capsys, data, "backup", "create")
    assert code == 1 and "No space left on the disk that holds" in err, err
    assert sorted(p.name for p in (data / "backups").iterdir()) == before  # no 0-byte `.partial`
    code, _, err = cli(capsys, data, "backup", "restore", str(_backup(data)))
    assert code == 1 and "No space left" in err, err
    assert not [p for p in data.iterdir() if ".restoring" in p.name or ".partial" in p.name]
    assert _items(capsys, data) == "6"


class _LockOnAFullDisk:
    """QLockFile where the lock file cannot be written: what Qt reports when the disk is full."""

    LockError: Any = None

    def __init__(self, path: str) -> None:
        self.path = path

    def setStaleLockTime(self, ms: int) -> None:
        pass

    def tryLock(self, timeout: int = 0) -> bool:
        return False

    def error(self) -> Any:
        return self.LockError.UnknownError


def test_restore_on_a_full_disk_does_not_claim_the_app_is_open(
    data: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import PySide6.QtCore

    monkeypatch.setattr(_LockOnAFullDisk, "LockError", PySide6.QtCore.QLockFile.LockError)
    monkeypatch.setattr(PySide6.QtCore, "QLockFile", _LockOnAFullDisk)
    _full_disk(monkeypatch)
    code, _, err = cli(capsys, data, "backup", "restore", str(_backup(data)))
    assert code == 1, err
    assert "app is open" not in err and "No space left on the disk that holds" in err, err


def test_a_log_file_that_cannot_be_written_prints_no_tracebacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app.setup_logging(tmp_path / "logs")
    (handler,) = [h for h in logging.getLogger().handlers if getattr(h, "_companion", False)]

    class FullDisk:
        def write(self, *args: object) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

        flush = close = seek = tell = write

    handler.stream = FullDisk()  # type: ignore[attr-defined]
    for n in range(3):
        logging.getLogger("companion").error("message %d", n)
    err = capsys.readouterr().err
    assert "Logging error" not in err and "Traceback" not in err, err
    assert err.count("cannot write the log") <= 1


# ---- odd folder names, private files -----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["what?", "a%41b"])
def test_a_data_folder_named_with_url_characters_keeps_its_data_inside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    folder = tmp_path / name
    code, _, err = cli(capsys, folder, "gifts", "add", "--gift", "Rose", "--count", "4", "--sender", "z")
    assert code == 0, err
    assert (folder / "companion.sqlite3").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # `what?` used to write to `what`
    assert _items(capsys, folder) == "4"


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_data_folder_is_private_and_older_files_are_tightened(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = [data / "companion.sqlite3", _backup(data), data / "logs" / "companion.log"]
    for folder in (data, data / "backups", data / "logs"):
        folder.chmod(0o755)
    for path in files:
        path.chmod(0o644)
    assert _items(capsys, data) == "6"
    for folder in (data, data / "backups", data / "logs"):
        assert folder.stat().st_mode & 0o777 == 0o700, folder
    for path in files:
        assert path.stat().st_mode & 0o777 == 0o600, path
    fresh = data.parent / "fresh"
    assert _items(capsys, fresh) == "0"
    assert fresh.stat().st_mode & 0o777 == 0o700
    for path in (fresh / "companion.sqlite3", fresh / "logs" / "companion.log", *(fresh / "backups").iterdir()):
        assert path.stat().st_mode & 0o777 == 0o600, path
