"""The main window: a navigation list, the pages, a menu. Pages do the work; this only arranges them."""

from __future__ import annotations

import dataclasses
import importlib
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
from companion.services import Services, ServicesFactory
from companion.services.context import ProfileContext
from companion.ui.application import show_unexpected_error
from companion.ui.dialogs.import_gifts import ask_and_import
from companion.ui.pages import PAGES, PageSpec
from companion.ui.pages.base import Page
from companion.ui.tasks import CONTEXT_TOUCHES, EVERYTHING, PROFILE, Changes, TaskRunner
from companion.ui.widgets.profile_bar import ProfileBar


class MainWindow(QMainWindow):
    """`factory` builds the services of another profile (the composition root's; default: `services.reopen`)."""

    def __init__(
        self,
        services: Services,
        log_dir: Path | None = None,
        parent: QWidget | None = None,
        factory: ServicesFactory | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.context: ProfileContext = services.context
        self._factory = factory
        logs = log_dir or services.db.path.parent / "logs"
        self.setWindowTitle(APP_NAME)
        self.resize(1200, 760)
        self.setMinimumSize(900, 560)
        self.tasks = TaskRunner(on_error=lambda exc: show_unexpected_error(self, exc, logs))
        self.tasks.changed.connect(self.data_changed)

        self.pages = QStackedWidget()
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(210)
        self._specs: list[PageSpec] = list(PAGES)
        self._built: dict[str, Page] = {}
        for spec in self._specs:
            self.nav.addItem(spec.title)
            self.pages.addWidget(QWidget())  # replaced by the real page the first time it is shown
        self.nav.currentRowChanged.connect(self._show_row)

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
        self.profile_bar = ProfileBar(self.tasks, self)
        self.profile_bar.switch_requested.connect(self.switch_profile)
        self.addToolBar(self.profile_bar)
        self.profile_bar.load(services)
        self.statusBar().showMessage(f"Data folder: {services.db.path.parent}")
        self.nav.setCurrentRow(0)

    # ---- pages -------------------------------------------------------------------------------------------

    def page(self, key: str) -> Page:
        """The page with this key, built now if it was not shown yet."""
        if key not in self._built:
            index = next(i for i, spec in enumerate(self._specs) if spec.key == key)
            spec = self._specs[index]
            page_class = getattr(importlib.import_module(spec.module), spec.cls)
            page = page_class(self.services, self.tasks, self.context)
            placeholder = self.pages.widget(index)
            self.pages.insertWidget(index, page)
            if placeholder is not None:
                self.pages.removeWidget(placeholder)
                placeholder.deleteLater()
            self._built[key] = page
        return self._built[key]

    def show_page(self, key: str) -> Page:
        """Switch to a page (as a click in the navigation would) and return it."""
        index = next(i for i, spec in enumerate(self._specs) if spec.key == key)
        self.nav.setCurrentRow(index)
        return self.page(key)

    @property
    def streams_page(self) -> Page:
        return self.page("streams")

    @Slot(int)
    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        page = self.page(self._specs[row].key)
        self.pages.setCurrentIndex(row)
        page.on_shown()

    @Slot(object)
    def data_changed(self, changes: Changes) -> None:
        """A write finished: every built page hears what it touched (those out of sight only note it). A write
        that changes the profile's context (zone, share, display rate) hands every page a new one instead."""
        if EVERYTHING in changes.touches:
            self.reload_services(None)  # a restore: ids may have changed
        elif changes.touches & CONTEXT_TOUCHES:
            if PROFILE in changes.touches:
                self.profile_bar.load(self.services)  # the name may have changed
            self.tasks.run(self.services.fresh_context, self.set_context)
        else:
            for page in self._built.values():
                page.data_changed(changes)

    def set_context(self, context: ProfileContext) -> None:
        """Every page shows its figures and times through the new context (no restart); dialogs opened from here
        on get it with the services."""
        self.context = context
        self.services = dataclasses.replace(self.services, context=context)
        for page in self._built.values():
            page.context = context

    # ---- profiles ----------------------------------------------------------------------------------------

    @Slot(int)
    def switch_profile(self, profile_id: int) -> None:
        self.reload_services(profile_id)

    @Slot(object)
    def reload_services(self, profile_id: int | None) -> None:
        """Ask the composition root for the services of a profile (None: the remembered one), then rebuild."""
        factory = self._factory or self.services.reopen
        self.tasks.run(lambda: factory(profile_id), self.set_services)

    def set_services(self, services: Services) -> None:
        """Use new services: built pages are dropped and rebuilt lazily, the current one right away."""
        row = max(self.nav.currentRow(), 0)
        for key, page in list(self._built.items()):
            page.shutdown()
            index = next(i for i, spec in enumerate(self._specs) if spec.key == key)
            self.pages.insertWidget(index, QWidget())
            self.pages.removeWidget(page)
            page.deleteLater()
        self._built.clear()
        self.services = services
        self.context = services.context
        self.profile_bar.load(services)
        self._show_row(row)

    def _build_menu(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        import_action = QAction("&Import gifts (CSV or event log)…", self)
        import_action.setShortcut(QKeySequence("Ctrl+I"))
        import_action.triggered.connect(self.import_gifts)
        file_menu.addAction(import_action)
        tools: dict[str, QWidget] = {}  # live capture stays open (and connected) while you work elsewhere

        def open_tool(module: str, cls: str) -> None:
            dialog = tools.get(cls)
            if dialog is None or not dialog.isVisible():
                dialog = getattr(importlib.import_module(module), cls)(self.services, self.tasks, self)
                tools[cls] = dialog
            dialog.show()
            dialog.raise_()

        for text, module, cls in (
            ("Edit gift &catalog…", "companion.ui.dialogs.catalog_editor", "CatalogEditor"),
            ("&Live capture…", "companion.ui.dialogs.live_capture", "LiveCaptureDialog"),
            ("Import &TikTok data download…", "companion.ui.dialogs.import_tiktok", "ImportTikTokDialog"),
        ):
            action = QAction(text, self)
            action.triggered.connect(lambda _=False, m=module, c=cls: open_tool(m, c))
            file_menu.addAction(action)
        export_action = QAction("&Export…", self)
        export_action.setShortcut(QKeySequence("Ctrl+E"))
        export_action.triggered.connect(self.export_data)
        file_menu.addAction(export_action)
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
    def export_data(self) -> None:
        from companion.ui.dialogs.export_data import ExportDialog

        ExportDialog(self.services, self.tasks, self).open()

    @Slot()
    def import_gifts(self) -> None:
        ask_and_import(self, self.services, self.tasks)

    @Slot()
    def about(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<b>{APP_NAME}</b> {__version__}<br>Track your live streams, gifts and diamonds.<br><br>"
            f"Your data stays on this computer:<br>{self.services.db.path.parent}",
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        for page in self._built.values():
            page.shutdown()
        self.tasks.shutdown()  # let a write in flight finish before the window goes
        super().closeEvent(event)
