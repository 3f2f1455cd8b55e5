"""The first thing a user sees: the window's frame, painted before the database and its libraries load.

Importing SQLModel/Alembic and checking the schema takes about a second; the shell shows the navigation and
"Opening your data…" meanwhile, then the real main window takes its place at the same spot and size; once the
data is on screen, `Upkeep` runs the scheduled full check and the daily backup in the background.
Only PySide6 and light modules are imported here (no services, no store)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEventLoop, QObject, QTimer, Signal, SignalInstance
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QMainWindow, QVBoxLayout, QWidget

from companion import APP_NAME
from companion.ui.pages import PAGES

if TYPE_CHECKING:
    from companion.services import Services

log = logging.getLogger(__name__)


class StartupShell(QMainWindow):
    """Looks like the main window's frame (same size, navigation, colours) with a loading message."""

    closed = Signal()

    def __init__(self, data_dir: object) -> None:
        super().__init__()
        self.setWindowTitle(APP_NAME)
        self.resize(1200, 760)  # MainWindow's size, so the swap does not jump
        self.setMinimumSize(900, 560)
        brand = QLabel(APP_NAME)
        brand.setObjectName("navTitle")
        nav = QListWidget()
        nav.setObjectName("nav")
        nav.setFixedWidth(210)
        brand.setFixedWidth(210)
        nav.addItems([spec.title for spec in PAGES])
        nav.setEnabled(False)
        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(0)
        side.addWidget(brand)
        side.addWidget(nav, 1)
        self.message = QLabel("Opening your data…")
        self.message.setObjectName("emptyState")
        # Centred by stretches, not Qt.AlignmentFlag: the first use of a `Qt.` enum builds all ~120 of them
        # (≈ 0.15 s in PySide6), which the main window can pay after the first paint.
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.message)
        row.addStretch(1)
        column = QVBoxLayout()
        column.addStretch(1)
        column.addLayout(row)
        column.addStretch(1)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(side)
        layout.addLayout(column, 1)
        self.setCentralWidget(central)
        self.statusBar().showMessage(f"Data folder: {data_dir}")

    def hand_over(self, window: QMainWindow) -> None:
        """Show `window` where the shell is (same geometry and maximised state), then go away."""
        if self.isMaximized():
            window.showMaximized()
        else:
            window.setGeometry(self.geometry())
            window.show()
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closed.emit()
        super().closeEvent(event)


class _Finished(QObject):
    signal = Signal()


def run_while_painting(
    work: Callable[[], Any], stop: SignalInstance | None = None
) -> tuple[Any, BaseException | None, bool]:
    """Run `work` on a plain thread while the Qt event loop keeps the shell painted and responsive.

    Returns (result, exception, finished). `finished` is False when `stop` fired (the shell was closed) or the
    app was told to quit before the work ended; the work is still waited for, so an upgrade is never cut off."""
    outcome: dict[str, Any] = {}
    finished = _Finished()
    loop = QEventLoop()
    finished.signal.connect(loop.quit)  # emitted from the thread: queued to this (the GUI) thread
    if stop is not None:
        stop.connect(loop.quit)

    def body() -> None:
        try:
            outcome["result"] = work()
        except BaseException as exc:  # handed back to the GUI thread, which reports it
            outcome["error"] = exc
        finally:
            outcome["done"] = True
            finished.signal.emit()

    thread = threading.Thread(target=body, name="open-data", daemon=True)
    thread.start()
    if not outcome.get("done"):
        loop.exec()
    quit_early = not outcome.get("done")
    thread.join()
    return outcome.get("result"), outcome.get("error"), not quit_early


class _Stopped(Exception):
    """Raised from the backup's progress callback: SQLite abandons the copy and the partial file is removed."""


class Upkeep(QObject):
    """The work that used to delay the first screen: the scheduled full-file check (read-only) and the daily
    backup (SQLite's online backup in steps, on its own connection). It starts `delay_ms` after the main window
    is shown and the first page's queries are done, runs on a plain thread (SQLite releases the GIL while it
    copies pages), and reports in the status bar. `wait` stops a backup in progress: tomorrow's start redoes it."""

    progress = Signal(int, int)
    finished = Signal(str, int)  # the message, how long it stays (ms; 0: until replaced)

    def __init__(self, window: QMainWindow, services: Services, delay_ms: int = 1000) -> None:
        super().__init__(window)
        self._window = window
        self._services = services
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.progress.connect(self._show_progress)
        self.finished.connect(self._show_finished)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._start)
        self._timer.start(delay_ms)

    def _start(self) -> None:
        tasks = getattr(self._window, "tasks", None)
        if tasks is not None and tasks.pending:  # the first page is still loading: after it
            self._timer.start(200)
            return
        self._thread = threading.Thread(target=self._body, name="upkeep", daemon=True)
        self._thread.start()

    def _body(self) -> None:
        backups = self._services.backups
        try:
            problem = backups.check_if_due()
            if problem is not None:
                self.finished.emit(f"Your data failed its check and is open read-only: {problem}. Restore a backup.", 0)
                return
            if backups.auto_backup_if_due(progress=self._step) is not None:
                self.finished.emit("Daily backup made", 10_000)
        except _Stopped:
            log.info("the daily backup was stopped by closing the app")
        except Exception:  # a failed backup must not disturb the open data
            log.exception("the background upkeep failed")
            self.finished.emit("The daily backup failed (see the log)", 10_000)

    def _step(self, copied: int, total: int) -> None:
        if self._stop.is_set():
            raise _Stopped
        self.progress.emit(copied, total)

    def _show_progress(self, copied: int, total: int) -> None:
        self._window.statusBar().showMessage(f"Backing up your data… {copied * 100 // max(total, 1)}%")

    def _show_finished(self, message: str, timeout_ms: int) -> None:
        self._window.statusBar().showMessage(message, timeout_ms)

    def wait(self) -> None:
        """Stop (a backup in progress is abandoned between steps) and wait for the thread."""
        self._timer.stop()
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
