"""The main window: a navigation list, the pages, a menu. Pages do the work; this only arranges them."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from companion import APP_NAME, __version__
from companion.services import Services
from companion.ui.application import show_unexpected_error
from companion.ui.dialogs.import_gifts import ask_and_import
from companion.ui.pages.streams import StreamsPage
from companion.ui.tasks import TaskRunner


class MainWindow(QMainWindow):
    def __init__(self, services: Services, log_dir: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        logs = log_dir or services.db.path.parent / "logs"
        self.setWindowTitle(APP_NAME)
        self.resize(1200, 760)
        self.setMinimumSize(900, 560)
        self.tasks = TaskRunner(on_error=lambda exc: show_unexpected_error(self, exc, logs))

        self.streams_page = StreamsPage(services, self.tasks)
        self.pages = QStackedWidget()
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(210)
        self._add_page("Streams", self.streams_page)
        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.nav.setCurrentRow(0)

        brand = QLabel(APP_NAME)
        brand.setObjectName("navTitle")
        brand.setFixedWidth(self.nav.width())
        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(0)
        side.addWidget(brand)
        side.addWidget(self.nav, 1)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(side)
        layout.addWidget(self.pages, 1)
        self.setCentralWidget(central)
        self._build_menu()
        self.statusBar().showMessage(f"Data folder: {services.db.path.parent}")
        self.streams_page.refresh()

    def _add_page(self, title: str, page: QWidget) -> None:
        self.nav.addItem(title)
        self.pages.addWidget(page)

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        import_action = QAction("&Import gifts from CSV…", self)
        import_action.setShortcut(QKeySequence("Ctrl+I"))
        import_action.triggered.connect(self.import_gifts)
        file_menu.addAction(import_action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("&Help")
        about_action = QAction(f"&About {APP_NAME}", self)
        about_action.triggered.connect(self.about)
        help_menu.addAction(about_action)

    @Slot()
    def import_gifts(self) -> None:
        ask_and_import(self, self.services, self.tasks, on_imported=self.streams_page.reload)

    @Slot()
    def about(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<b>{APP_NAME}</b> {__version__}<br>Track your live streams, gifts and diamonds.<br><br>"
            f"Your data stays on this computer:<br>{self.services.db.path.parent}",
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self.streams_page.clock_timer.stop()
        self.tasks.shutdown()  # let a write in flight finish before the window goes
        super().closeEvent(event)
