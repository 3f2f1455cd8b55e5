"""What the app shows when its database is damaged: say so, change nothing, offer the newest good backup."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from companion import APP_NAME
from companion.services.recovery import DatabaseDamaged, restore_newest_good

log = logging.getLogger(__name__)


def offer_restore(
    parent: QWidget | None, damaged: DatabaseDamaged, backup_dir: Path, clock: Callable[[], datetime]
) -> bool:
    """Ask whether to restore the newest good backup; restore it if so. True when the data can be reopened.
    The damaged file is moved into the backups folder untouched, never overwritten. `clock` (the composition
    root's) dates the kept copy: no profile is open yet to ask."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(APP_NAME)
    box.setText("Your database is damaged. Nothing was written to it.")
    box.setInformativeText(str(damaged))
    restore = None
    if damaged.good_backup is not None:
        restore = box.addButton("Restore the newest good backup", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if restore is None or box.clickedButton() is not restore:
        return False
    assert damaged.good_backup is not None
    try:
        kept = restore_newest_good(damaged, backup_dir, clock)
    except Exception as exc:
        log.exception("restore failed")
        QMessageBox.critical(parent, APP_NAME, f"The backup could not be restored: {exc}\n\nNothing was changed.")
        return False
    QMessageBox.information(
        parent, APP_NAME, f"Restored {damaged.good_backup.name}.\nThe damaged database was kept as {kept}."
    )
    return True
