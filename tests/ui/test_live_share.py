"""Live mode's "on track for" line under per-LIVE rules, new followers typed during the LIVE, and one stream's
share overridden (with a note) in the Edit stream dialog."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from companion.services import Services
from companion.ui.main_window import MainWindow
from tests.conftest import FakeClock
from tests.ui.conftest import wait_idle
from tests.ui.test_live_panel import _open

US = "us-scaled-2025-02"


def test_live_mode_says_what_share_this_live_is_on_track_for(
    qtbot: QtBot, window: MainWindow, gui_services: Services, clock: FakeClock, tmp_path: Path
) -> None:
    gui_services.economics.set_scheme(US)  # per-LIVE rules from today
    panel = _open(qtbot, window)
    clock.advance(minutes=13)
    panel.refresh()
    wait_idle(qtbot, window)
    text = panel.track_label.text()
    assert text.startswith("On track for 27.2 %")  # 13 min: the estimate between 5 and 25 min
    assert "12 more minutes → 38 %" in text and "5 more new followers → +2 %" in text
    qtbot.keyClicks(panel.followers_edit, "7")
    qtbot.keyClick(panel.followers_edit, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    live = gui_services.streams.live()
    assert live is not None and live.new_followers == 7
    assert "7 new followers → +2 %" in panel.track_label.text()
    assert "more new followers" not in panel.track_label.text()
    qtbot.waitExposed(panel)
    panel.grab().save(str(tmp_path / "live_on_track.png"))


def test_a_typed_follower_count_that_is_not_a_number_is_refused(qtbot: QtBot, window: MainWindow) -> None:
    panel = _open(qtbot, window)
    qtbot.keyClicks(panel.followers_edit, "lots")
    qtbot.keyClick(panel.followers_edit, Qt.Key.Key_Return)
    assert panel.audience_error.isVisible() and "new followers" in panel.audience_error.text()
