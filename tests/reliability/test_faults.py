"""Faults around the data: a read-only or full folder, a damaged database, a second instance, an exception in
a slot. Each gets a clear message, a log entry (without secrets), a living app and an unchanged database."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy.exc import OperationalError

import companion.store.db as store_db
from companion import app
from companion.credentials.memory import InMemoryCredentialStore
from companion.domain.timeutil import utc_now
from companion.paths import ENV_DATA_DIR, app_paths
from companion.services import Services, build_services
from companion.services.methods import MethodService
from companion.store.db import open_database
from tests.conftest import CATALOG, ROOT

TIMEOUT = 90
SECRET = "hunter2.payout@example.com"


def _env() -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    env.pop(ENV_DATA_DIR, None)
    return env


def companion(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "companion", *args], capture_output=True, text=True, timeout=TIMEOUT, env=_env()
    )


def _seeded(folder: Path) -> Path:
    """A data folder whose database holds a stream and some gifts; returns the database file (closed, no WAL)."""
    paths = app_paths(folder).create()
    db = open_database(paths.database, paths.backups)
    services = build_services(db, CATALOG, backup_dir=paths.backups)
    stream = services.streams.go_live("Friday night")
    for n in range(20):
        services.gifts.log("Rose", 1 + n, f"fan{n}", stream_id=stream.id)
    services.streams.end(stream.id)
    db.dispose()
    assert not paths.database.with_name(paths.database.name + "-wal").exists()
    return paths.database


def _rows(database: Path) -> tuple[int, int, int]:
    con = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    try:
        gifts, diamonds = con.execute("SELECT count(*), coalesce(sum(diamonds), 0) FROM gift_event").fetchone()
        streams = con.execute("SELECT count(*) FROM stream").fetchone()[0]
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        return int(gifts), int(diamonds), int(streams)
    finally:
        con.close()


def _log(folder: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    path = folder / "logs" / "companion.log"
    return path.read_text(encoding="utf-8") if path.exists() else ""


@pytest.fixture
def app_logging() -> Iterator[None]:
    """Undo what an in-process `app.run` sets up: the log handler, the level, the excepthook."""
    root = logging.getLogger()
    level, hook = root.level, sys.excepthook
    yield
    for handler in [h for h in root.handlers if getattr(h, "_companion", False)]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)
    sys.excepthook = hook
    app._error_dialog.clear()


# ---- a read-only data folder ------------------------------------------------------------------------------


@contextmanager
def read_only(*paths: Path) -> Iterator[None]:
    """Make files and folders unwritable — for root too (chattr +i), else by permissions."""
    if not hasattr(os, "geteuid"):
        pytest.skip("read-only folders are simulated the POSIX way")
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in paths}
        for p in paths:
            p.chmod(0o555 if p.is_dir() else 0o444)
        try:
            yield
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
        return
    if shutil.which("chattr") is None:
        pytest.skip("running as root without chattr: cannot make a folder read-only")
    done = subprocess.run(["chattr", "+i", *map(str, paths)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"this file system does not support chattr +i: {done.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", *map(str, paths)], check=True)


def test_read_only_data_folder_is_explained_and_nothing_changes(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    database = _seeded(folder)
    before, content = _rows(database), database.read_bytes()
    with read_only(database, folder):  # logs/ stays writable, as a separate log folder would be
        cli = companion("--data-dir", str(folder), "gifts", "add", "--gift", "Rose", "--count", "1", "--sender", "a")
        gui = companion("--data-dir", str(folder), "--self-test")
    assert cli.returncode == 1
    assert "cannot be written to" in cli.stderr and "read-only" in cli.stderr, cli.stderr
    assert "sqlalche.me" not in cli.stderr  # the driver's message stays in the log
    assert gui.returncode == 1
    assert "cannot be written to" in gui.stderr and "already open" not in gui.stdout, gui.stdout + gui.stderr
    assert database.read_bytes() == content and _rows(database) == before
    log = _log(folder)
    assert "command failed" in log and "Traceback" in log
    assert "cannot create" in log and "companion.lock" in log


# ---- a full disk ------------------------------------------------------------------------------------------


def _limit_pages(monkeypatch: pytest.MonkeyPatch, database: Path, spare: int) -> None:
    """Every new connection may grow the database by only `spare` pages: SQLite then reports a full disk."""
    pages = database.stat().st_size // 4096 + spare
    original = store_db._set_pragmas

    def with_limit(connection: Any, record: Any) -> None:
        original(connection, record)
        connection.execute(f"PRAGMA max_page_count={pages}")

    monkeypatch.setattr(store_db, "_set_pragmas", with_limit)


def test_import_on_a_full_disk_is_refused_in_plain_words_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], app_logging: None
) -> None:
    folder = tmp_path / "data"
    database = _seeded(folder)
    before = _rows(database)
    big = tmp_path / "gifts.csv"
    lines = [f"2026-10-01T{n // 3600:02d}:{n // 60 % 60:02d}:{n % 60:02d}Z,fan{n},Rose,,1,X\n" for n in range(5000)]
    big.write_text("received_at,sender,gift,coins_each,count,stream\n" + "".join(lines), encoding="utf-8")
    _limit_pages(monkeypatch, database, spare=2)
    code = app.run(["--data-dir", str(folder), "gifts", "import", str(big)])
    err = capsys.readouterr().err
    assert code == 1
    assert "is full" in err and "nothing was saved" in err, err
    assert _rows(database) == before
    assert "command failed" in _log(folder)
    # the app still works on the same folder: reading needs no space
    assert app.run(["--data-dir", str(folder), "summary", "--json"]) == 0
    assert f'"gifts": {before[0]}' in capsys.readouterr().out


@contextmanager
def small_disk(folder: Path, size: str = "3m") -> Iterator[Path]:
    """A real, tiny file system (tmpfs) at `folder`: only root may mount one, so elsewhere the test is skipped."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small tmpfs needs root")
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


def test_a_really_full_disk_is_said_as_such_and_never_called_damaged(tmp_path: Path) -> None:
    """On a full tmpfs: every command and the app say the disk is full, naming the folder and the megabytes to
    free; none says "damaged" or "the app is open"; no logging tracebacks; no partial files; freeing space is
    enough."""
    with small_disk(tmp_path / "disk") as disk:
        folder = disk / "data"
        first = companion("--data-dir", str(folder), "gifts", "add", "--gift", "Rose", "--count", "2", "--sender", "a")
        assert first.returncode == 0, first.stderr
        backup = next((folder / "backups").iterdir())
        filler = disk / "filler"
        with filler.open("wb") as out, contextlib.suppress(OSError):
            while True:
                out.write(b"\0" * 65536)
        runs = [
            companion("--data-dir", str(folder), "gifts", "add", "--gift", "Rose", "--count", "1", "--sender", "b"),
            companion("--data-dir", str(folder), "summary", "--json"),
            companion("--data-dir", str(folder), "backup", "create"),
            companion("--data-dir", str(folder), "backup", "restore", str(backup)),
            companion("--data-dir", str(folder), "--self-test"),  # the lock file cannot be written: not read-only
        ]
        for done in runs:
            assert done.returncode == 1, done.stdout + done.stderr
            assert f"No space left on the disk that holds {folder}; free " in done.stderr, done.stderr
            for wrong in ("damaged", "app is open", "Logging error", "Traceback", "details in"):
                assert wrong not in done.stderr, done.stderr
        leftovers = [p.name for p in (*folder.iterdir(), *(folder / "backups").iterdir()) if "partial" in p.name
                     or "restoring" in p.name]  # fmt: skip
        assert leftovers == []
        filler.unlink()
        after = companion("--data-dir", str(folder), "summary", "--json")
        assert after.returncode == 0 and '"items": 2' in after.stdout, after.stderr


# ---- a damaged database -----------------------------------------------------------------------------------


def test_damaged_database_is_reported_and_left_byte_for_byte(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    database = _seeded(folder)
    data = bytearray(database.read_bytes())
    page = 4096
    assert len(data) >= 6 * page
    data[3 * page : 5 * page] = bytes(range(256)) * (2 * page // 256)  # two pages of garbage, header intact
    database.write_bytes(bytes(data))
    cli = companion("--data-dir", str(folder), "summary", "--json")
    gui = companion("--data-dir", str(folder), "--self-test")
    assert cli.returncode in (1, 2) and gui.returncode == 1
    for done in (cli, gui):
        assert "damaged" in done.stderr.lower(), done.stderr
        assert "Traceback" not in done.stderr
    assert database.read_bytes() == bytes(data)
    assert "damaged" in _log(folder).lower()


# ---- a second instance ------------------------------------------------------------------------------------


def test_second_instance_is_refused_and_changes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    database = _seeded(folder)
    content = database.read_bytes()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\nfrom PySide6.QtCore import QLockFile\n"
         "lock = QLockFile(sys.argv[1])\nassert lock.tryLock(0)\nprint('locked', flush=True)\ntime.sleep(60)\n",
         str(folder / "companion.lock")],
        stdout=subprocess.PIPE, text=True, env=_env(),
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        second = companion("--data-dir", str(folder), "--self-test")
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=TIMEOUT)
    assert second.returncode == 1
    assert "already open" in second.stdout and "self-test passed" not in second.stdout
    assert database.read_bytes() == content
    assert "another instance holds" in _log(folder)


# ---- exceptions in slots (pytest-qt) ----------------------------------------------------------------------


@pytest.fixture
def window(qtbot: QtBot, qapp: Any, tmp_path: Path) -> Iterator[Any]:
    from companion.ui.application import apply_look
    from companion.ui.main_window import MainWindow

    apply_look(qapp)
    database = _seeded(tmp_path / "data")
    db = open_database(database, tmp_path / "data" / "backups")
    services = build_services(db, CATALOG)
    win = MainWindow(services, tmp_path / "data" / "logs")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: win.tasks.pending == 0, timeout=5000)
    yield win
    for box in _message_boxes():
        box.close()
    win.tasks.shutdown()
    db.dispose()


def _message_boxes() -> list[Any]:
    from PySide6.QtWidgets import QApplication, QMessageBox

    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def _box_text(box: Any) -> str:
    return f"{box.text()}\n{box.informativeText()}\n{box.detailedText()}"


def _disk_full() -> OperationalError:
    return OperationalError("INSERT INTO stream ...", {}, sqlite3.OperationalError("database or disk is full"))


def _go_live_failing(
    window: Any, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, error: Callable[[], Exception]
) -> None:
    from PySide6.QtCore import Qt

    def fail(*_args: Any, **_kwargs: Any) -> Any:
        raise error()

    monkeypatch.setattr(window.services.streams, "go_live", fail)
    page = window.show_page("streams")
    qtbot.mouseClick(page.go_live_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(_message_boxes()), timeout=5000)


def test_a_failing_service_call_in_a_slot_shows_a_message_and_the_app_lives(
    window: Any, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from PySide6.QtCore import Qt

    database = window.services.db.path
    before = _rows(database)
    caplog.set_level(logging.INFO)
    _go_live_failing(window, qtbot, monkeypatch, _disk_full)
    (box,) = _message_boxes()
    assert "disk is full" in _box_text(box) and "still running" in _box_text(box)
    assert "background task failed" in caplog.text and "Traceback" in caplog.text
    box.close()
    assert _rows(database) == before
    # alive: the same button works once the fault is gone
    monkeypatch.undo()
    page = window.page("streams")
    qtbot.mouseClick(page.go_live_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.services.streams.live() is not None, timeout=5000)
    qtbot.waitUntil(lambda: window.tasks.pending == 0, timeout=5000)
    assert window.isVisible() and not _message_boxes()


@pytest.mark.qt_no_exception_capture
def test_an_exception_raised_on_the_gui_thread_goes_through_the_app_hook(
    window: Any, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, app_logging: None
) -> None:
    """A bug in a slot itself (not in a service call): the app's excepthook logs it and shows it; the window
    stays and the database is unchanged."""
    from PySide6.QtCore import QTimer

    from companion.ui.application import show_unexpected_error

    logs = tmp_path / "data" / "logs"
    app.setup_logging(logs)
    app.install_excepthook()
    app._error_dialog[:] = [lambda exc: show_unexpected_error(window, exc, logs)]
    before = _rows(window.services.db.path)

    def broken_slot() -> None:
        raise ZeroDivisionError("a bug in a slot")

    QTimer.singleShot(0, broken_slot)
    qtbot.waitUntil(lambda: bool(_message_boxes()), timeout=5000)
    (box,) = _message_boxes()
    assert "ZeroDivisionError" in _box_text(box) and "still running" in _box_text(box)
    log = _log(tmp_path / "data")
    assert "unexpected error" in log and "ZeroDivisionError: a bug in a slot" in log
    assert window.isVisible() and _rows(window.services.db.path) == before


def test_a_failure_while_saving_a_secret_never_shows_or_logs_the_secret(
    window: Any, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Adding a payment method whose row cannot be written (the disk is full after the keyring took the
    secret): the error, the log and the dialog name the problem but never the secret; the keyring is cleaned."""
    services: Services = window.services
    store = InMemoryCredentialStore()
    methods = MethodService(services.db, services.profile_id, store, utc_now)
    before = _rows(services.db.path)
    caplog.set_level(logging.DEBUG)
    # the disk fills up after the keyring took the secret: the row cannot be written
    failing = _failing_writes(store_db.Database.session, lambda: store.sets > 0)
    monkeypatch.setattr(store_db.Database, "session", failing)
    failures: list[BaseException] = []
    window.tasks.run(lambda: methods.add("paypal", "Main", {"email": SECRET}), on_error=failures.append)
    qtbot.waitUntil(lambda: bool(failures), timeout=5000)
    (failure,) = failures
    window.tasks.report_error(failure)  # what the page would do: the standard error dialog
    qtbot.waitUntil(lambda: bool(_message_boxes()), timeout=5000)
    assert SECRET not in str(failure) and SECRET not in repr(failure.args)
    assert SECRET not in caplog.text
    assert all(SECRET not in _box_text(box) for box in _message_boxes())
    assert SECRET not in _log(services.db.path.parent)
    assert store.sets >= 1 and store.entries == {}  # the keyring took the secret, then it was removed again
    assert _rows(services.db.path) == before
    assert methods.list() == []


def _failing_writes(session: Any, when: Callable[[], bool]) -> Any:
    """Database.session whose writing sessions fail on commit the way a full disk does, once `when()`."""
    from contextlib import contextmanager as _cm

    @_cm
    def failing(self: Any, write: bool = False) -> Iterator[Any]:
        with session(self, write) as s:
            if write and when():

                def commit() -> None:
                    raise _disk_full()

                s.commit = commit  # type: ignore[method-assign]
            yield s

    return failing
