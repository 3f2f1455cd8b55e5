"""The first thing a user sees: the window's frame, painted before the database and its libraries load.

Importing SQLModel/Alembic and checking the schema takes about a second; the shell shows the navigation and
"Opening your data…" meanwhile, then the real main window takes its place at the same spot and size.
Only PySide6 and light modules are imported here (no services, no store)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, Signal, SignalInstance
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QMainWindow, QVBoxLayout, QWidget

from companion import APP_NAME
from companion.ui.pages import PAGES


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
