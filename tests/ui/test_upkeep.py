"""Issue 17: the daily backup and the scheduled full check run after the data is on screen, off the GUI thread,
and report in the status bar; closing the app stops a backup between steps and leaves no partial file."""

from __future__ import annotations

import time

import pytest
from pytestqt.qtbot import QtBot

import companion.store.db as store_db
from companion.services import Services
from companion.store.checks import checked_marker
from companion.ui.main_window import MainWindow
from companion.ui.startup import Upkeep


def test_the_daily_backup_is_made_after_the_window_shows_data(
    qtbot: QtBot, window: MainWindow, gui_services: Services
) -> None:
    assert gui_services.backups.all() == []  # was: made while opening, before any data was shown
    upkeep = Upkeep(window, gui_services, delay_ms=0)
    qtbot.waitUntil(lambda: "Daily backup made" in window.statusBar().currentMessage(), timeout=10_000)
    upkeep.wait()
    assert [b.reason for b in gui_services.backups.all()] == ["auto"]
    assert checked_marker(gui_services.db.path).exists()  # the scheduled full check ran (none had passed)


def test_closing_stops_a_backup_between_steps(
    qtbot: QtBot, window: MainWindow, gui_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_db, "BACKUP_STEP_PAGES", 1)
    for i in range(200):
        gui_services.gifts.log("Rose", 1, f"viewer{i}")
    upkeep = Upkeep(window, gui_services, delay_ms=0)
    step = upkeep._step

    def slow_step(copied: int, total: int) -> None:
        time.sleep(0.05)  # a big database: many steps still to go when the app closes
        step(copied, total)

    upkeep._step = slow_step  # type: ignore[method-assign]
    qtbot.waitUntil(lambda: "Backing up" in window.statusBar().currentMessage(), timeout=10_000)
    upkeep.wait()
    assert gui_services.backups.all() == []
    assert not list(gui_services.backups.backup_dir.glob("*.partial*"))
