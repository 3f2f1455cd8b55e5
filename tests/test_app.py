"""The composition root: --self-test in a real process, the one-instance lock (live and stale), the no-display
message, the excepthook, and backups around the schema upgrade."""

from __future__ import annotations

import logging
import os
import signal
import sqlite3
import subprocess
import sys
import time
import traceback
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import Session

from companion import app
from companion.app import _excepthook, setup_logging
from companion.paths import ENV_DATA_DIR, app_paths
from companion.store.db import backup_database, current_revision, head_revision, open_database, upgrade
from companion.store.tables import ProfileRow
from tests.keyring_fixture import SecretService

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
TIMEOUT = 60


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **extra}
    env.pop(ENV_DATA_DIR, None)
    return env


def companion(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "companion", *args],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=env if env is not None else _env(),
        cwd=cwd,
    )


# --- self-test ------------------------------------------------------------------------------------------------


@pytest.fixture
def keyring_env(request: pytest.FixtureRequest) -> dict[str, str]:
    """The self-test passes only with a secure keyring: runs that must pass get the private Secret Service."""
    service: SecretService = request.getfixturevalue("secret_service")
    return _env(**service.env)


def test_self_test_passes_and_saves_a_screenshot(tmp_path: Path, keyring_env: dict[str, str]) -> None:
    data = tmp_path / "data"
    shot = tmp_path / "shot.png"
    done = companion("--data-dir", str(data), "--self-test", "--screenshot", str(shot), env=keyring_env, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "self-test passed" in done.stdout
    assert "keyring:" in done.stdout
    assert f"schema {head_revision()}" in done.stdout
    assert shot.is_file()
    content = shot.read_bytes()
    assert content.startswith(PNG_MAGIC)
    assert len(content) > 5_000  # a real window, not an empty image
    assert (data / "companion.sqlite3").is_file()
    assert not (data / "companion.lock").exists()  # released on the way out


def test_a_database_that_cannot_be_opened_is_reported_and_left_untouched(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    damaged = data / "companion.sqlite3"
    damaged.write_bytes(b"this is not an SQLite database" * 100)
    before = damaged.read_bytes()
    done = companion("--data-dir", str(data), "--self-test")
    assert done.returncode == 1
    assert "could not open its data" in done.stderr and "Nothing was changed" in done.stderr
    assert damaged.read_bytes() == before
    assert "could not open the database" in (data / "logs" / "companion.log").read_text(encoding="utf-8")


def test_second_instance_is_refused(tmp_path: Path) -> None:
    from PySide6.QtCore import QLockFile

    paths = app_paths(tmp_path / "data").create()
    lock = QLockFile(str(paths.lock_file))
    assert lock.tryLock(0)
    try:
        done = companion("--data-dir", str(paths.data), "--self-test", cwd=tmp_path)
    finally:
        lock.unlock()
    assert done.returncode == 1, done.stdout + done.stderr
    assert "already open" in done.stdout
    assert "self-test passed" not in done.stdout


def test_stale_lock_of_a_killed_process_is_recovered(tmp_path: Path, keyring_env: dict[str, str]) -> None:
    paths = app_paths(tmp_path / "data").create()
    holder_code = (
        "import sys, time\n"
        "from PySide6.QtCore import QLockFile\n"
        "lock = QLockFile(sys.argv[1])\n"
        "assert lock.tryLock(0)\n"
        "print('locked', flush=True)\n"
        "time.sleep(60)\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", holder_code, str(paths.lock_file)], stdout=subprocess.PIPE, text=True, env=_env()
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        assert paths.lock_file.exists()
        # while the holder lives, the app is refused
        refused = companion("--data-dir", str(paths.data), "--self-test", cwd=tmp_path)
        assert refused.returncode == 1
        assert "already open" in refused.stdout
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=TIMEOUT)
        if holder.stdout is not None:
            holder.stdout.close()
    assert holder.returncode == -signal.SIGKILL
    assert paths.lock_file.exists()  # the dead owner left it behind
    done = companion("--data-dir", str(paths.data), "--self-test", env=keyring_env, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "self-test passed" in done.stdout


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the no-display check is for Linux desktops")
def test_without_a_display_the_gui_explains_and_exits(tmp_path: Path) -> None:
    env = _env()
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(name, None)
    started = time.monotonic()
    done = companion("--data-dir", str(tmp_path / "data"), env=env, cwd=tmp_path)
    assert done.returncode == 1
    assert "display" in done.stderr.lower()
    assert "--help" in done.stderr
    assert time.monotonic() - started < 30


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the no-display fallback is for Linux")
def test_self_test_without_a_display_falls_back_to_offscreen(tmp_path: Path, keyring_env: dict[str, str]) -> None:
    env = dict(keyring_env)
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(name, None)
    done = companion("--data-dir", str(tmp_path / "data"), "--self-test", env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "platform 'offscreen'" in done.stdout
    assert "self-test passed" in done.stdout


# --- the excepthook -------------------------------------------------------------------------------------------


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    root = logging.getLogger()
    level = root.level
    path = setup_logging(tmp_path / "logs")
    yield path
    for handler in [h for h in root.handlers if getattr(h, "_companion", False)]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)
    app._error_dialog.clear()


def _log_text(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def _raise_deep() -> None:
    raise ValueError("the gift total went sideways")


def _caught() -> ValueError:
    try:
        _raise_deep()
    except ValueError as exc:
        return exc
    raise AssertionError("unreachable")


def test_excepthook_logs_traceback_and_shows_the_error(log_file: Path) -> None:
    exc = _caught()
    shown: list[BaseException] = []
    app._error_dialog[:] = [shown.append]
    _excepthook(type(exc), exc, exc.__traceback__)
    assert shown == [exc]
    text = _log_text(log_file)
    assert "unexpected error" in text
    assert "Traceback (most recent call last)" in text
    assert "_raise_deep" in text
    assert "ValueError: the gift total went sideways" in text
    assert "".join(traceback.format_tb(exc.__traceback__)).strip().splitlines()[-1].strip() in text


def test_excepthook_survives_a_failing_dialog(log_file: Path) -> None:
    exc = _caught()

    def broken(_: BaseException) -> None:
        raise RuntimeError("dialog exploded")

    app._error_dialog[:] = [broken]
    _excepthook(type(exc), exc, exc.__traceback__)  # must not raise
    text = _log_text(log_file)
    assert "ValueError: the gift total went sideways" in text
    assert "could not show the error dialog" in text
    assert "RuntimeError: dialog exploded" in text


def test_excepthook_without_gui_prints_the_traceback(log_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    exc = _caught()
    app._error_dialog.clear()
    _excepthook(type(exc), exc, exc.__traceback__)
    assert "ValueError: the gift total went sideways" in capsys.readouterr().err
    assert "the gift total went sideways" in _log_text(log_file)


def test_keyboard_interrupt_is_not_logged_as_an_error(log_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shown: list[BaseException] = []
    app._error_dialog[:] = [shown.append]
    _excepthook(KeyboardInterrupt, KeyboardInterrupt(), None)
    assert shown == []
    assert "unexpected error" not in _log_text(log_file)
    assert "KeyboardInterrupt" in capsys.readouterr().err


# --- backups around the upgrade -------------------------------------------------------------------------------


def _files(folder: Path) -> list[Path]:
    return sorted(folder.iterdir()) if folder.exists() else []


def test_new_and_up_to_date_databases_make_no_backup(tmp_path: Path) -> None:
    path, backups = tmp_path / "data" / "companion.sqlite3", tmp_path / "backups"
    db = open_database(path, backups)  # brand new: nothing worth backing up
    try:
        assert current_revision(db.engine) == head_revision()
        assert _files(backups) == []
        with Session(db.engine) as s:
            s.add(ProfileRow(name="kept", created_at=datetime.now(UTC)))
            s.commit()
        assert upgrade(db, backups) is None  # already at head
        assert _files(backups) == []
    finally:
        db.dispose()
    db = open_database(path, backups)  # reopening an up-to-date database
    db.dispose()
    assert _files(backups) == []


def test_backup_copies_a_live_database_with_its_wal(tmp_path: Path) -> None:
    db = open_database(tmp_path / "companion.sqlite3", tmp_path / "backups")
    try:
        with Session(db.engine) as s:
            s.add(ProfileRow(name="in the wal", created_at=datetime.now(UTC)))
            s.commit()
        # the engine still holds its connection, so the row may live only in the -wal file
        target = backup_database(db.path, tmp_path / "copies" / "copy.sqlite3")
    finally:
        db.dispose()
    assert target == tmp_path / "copies" / "copy.sqlite3"
    assert not (tmp_path / "copies" / "copy.sqlite3.partial").exists()
    with sqlite3.connect(target) as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT name FROM profile").fetchall() == [("in the wal",)]
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == head_revision()


def test_existing_database_that_needs_migrating_is_backed_up_first(tmp_path: Path) -> None:
    path, backups = tmp_path / "companion.sqlite3", tmp_path / "backups"
    with sqlite3.connect(path) as con:  # an existing file with data but no schema version
        con.execute("CREATE TABLE keepsake (note TEXT)")
        con.execute("INSERT INTO keepsake VALUES ('before the upgrade')")
    con.close()
    db = open_database(path, backups)
    try:
        assert current_revision(db.engine) == head_revision()
    finally:
        db.dispose()
    made = _files(backups)
    assert len(made) == 1
    assert made[0].name.startswith("companion-") and made[0].name.endswith(f"-before-{head_revision()}.sqlite3")
    with sqlite3.connect(made[0]) as con:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert con.execute("SELECT note FROM keepsake").fetchall() == [("before the upgrade",)]
    con.close()
    assert "keepsake" in tables and "profile" not in tables
