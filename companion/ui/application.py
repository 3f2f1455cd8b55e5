"""The QApplication and the app-wide dialogs: already open, unexpected error."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from companion import APP_ID, APP_NAME, __version__
from companion.domain.errors import CompanionError
from companion.paths import resource_path

log = logging.getLogger(__name__)


def create_application() -> QApplication:
    app = QApplication([APP_NAME])
    apply_look(app)
    return app


def apply_look(app: QApplication) -> None:
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("Creator Companion")
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(QIcon(str(resource_path("icons", "app.svg"))))
    if QLocale.system().language() == QLocale.Language.C:
        # An unconfigured system (LANG=C) would print 29999; group digits the common way instead.
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    app.setStyle("Fusion")  # same look on every OS; the style sheet adds our colours
    style = resource_path("style.qss")
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))


def already_open_message(data_dir: Path, interactive: bool) -> None:
    text = f"{APP_NAME} is already open for this data folder:\n{data_dir}\n\nSwitch to the open window instead."
    print(text)
    if interactive:
        QMessageBox.information(None, APP_NAME, text)


def show_unexpected_error(parent: QWidget | None, exc: BaseException, logs: Path) -> None:
    """What the user sees for an error nobody handled. The app keeps running."""
    if isinstance(exc, CompanionError):
        QMessageBox.warning(parent, APP_NAME, str(exc))
        return
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(APP_NAME)
    box.setText("Something went wrong, but your data is safe and the app is still running.")
    box.setInformativeText(f"{type(exc).__name__}: {exc}\n\nThe details are in the log folder:\n{logs}")
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.open()  # non-blocking: an error inside a slot must not stall the event loop
