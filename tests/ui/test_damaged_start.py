"""A damaged database at start: the app says so and offers the newest good backup; accepting restores it (the
damaged file is moved aside untouched), refusing changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from companion.services import build_services
from companion.store.db import DatabaseDamaged, open_database
from companion.ui.damaged import offer_restore
from tests.conftest import CATALOG, FakeClock


def _damaged_folder(tmp_path: Path) -> tuple[Path, DatabaseDamaged, bytes]:
    folder = tmp_path / "data"
    db = open_database(folder / "companion.sqlite3", folder / "backups")
    services = build_services(db, CATALOG, backup_dir=folder / "backups")
    services.gifts.log("Rose", 42, "luna")
    services.backups.create()
    db.dispose()
    path = folder / "companion.sqlite3"
    damaged = path.read_bytes()[:5000]
    path.write_bytes(damaged)
    with pytest.raises(DatabaseDamaged) as refused:
        open_database(path, folder / "backups")
    return folder, refused.value, damaged


def _click_when_shown(qtbot: QtBot, text: str) -> None:
    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, click)
            return
        button = next(b for b in box.findChildren(QPushButton) if b.text().replace("&", "") == text)
        button.click()

    QTimer.singleShot(50, click)


def test_accepting_restores_the_newest_good_backup(qtbot: QtBot, qapp, tmp_path: Path, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    folder, damaged, data = _damaged_folder(tmp_path)
    assert "damaged" in str(damaged) and damaged.good_backup is not None
    _click_when_shown(qtbot, "Restore the newest good backup")
    QTimer.singleShot(400, lambda: _click_when_shown(qtbot, "OK"))  # "Restored …" confirmation
    assert offer_restore(None, damaged, folder / "backups", clock)
    kept = [p for p in (folder / "backups").iterdir() if p.name.endswith("-damaged.sqlite3")]
    assert len(kept) == 1 and kept[0].read_bytes() == data
    db = open_database(folder / "companion.sqlite3", folder / "backups")
    try:
        assert build_services(db, CATALOG).reports.summary().totals.diamonds == 42
    finally:
        db.dispose()


def test_quitting_changes_nothing(qtbot: QtBot, qapp, tmp_path: Path, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    folder, damaged, data = _damaged_folder(tmp_path)
    before = sorted(p.name for p in (folder / "backups").iterdir())
    _click_when_shown(qtbot, "Quit")
    assert not offer_restore(None, damaged, folder / "backups", clock)
    assert (folder / "companion.sqlite3").read_bytes() == data
    assert sorted(p.name for p in (folder / "backups").iterdir()) == before
