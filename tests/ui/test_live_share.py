"""Live mode's "on track for" line under per-LIVE rules, new followers typed during the LIVE, and one stream's
share overridden (with a note) in the Edit stream dialog."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from companion.services import Services
from companion.ui.main_window import MainWindow
from companion.ui.models.streams_table import SHARE
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
    assert panel.cash_card.caption_label.text() == "cash at 27.2 %"  # this LIVE's share, not today's level
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


def test_a_streams_share_is_overridden_with_a_note_in_the_edit_dialog(
    qtbot: QtBot, window: MainWindow, gui_services: Services, tmp_path: Path
) -> None:
    gui_services.economics.set_scheme(US, None, date(2026, 11, 1))
    start = datetime(2026, 11, 16, 18, 0, tzinfo=UTC)
    stream = gui_services.streams.add_past(start, start + timedelta(minutes=31), "Monday", 7)
    gui_services.gifts.log("Rose", 1000, "fan", at=start + timedelta(minutes=5), stream_id=stream.id)
    page = window.streams_page
    page.refresh(select=stream.id)
    wait_idle(qtbot, window)
    model = page.streams_model
    row = model.row_of(stream.id)
    assert row is not None
    assert model.index(row, SHARE).data() == "46 %"  # 38 + 2 + one LIVE of 25+ min this week: +6
    assert model.index(row, SHARE).data(Qt.ItemDataRole.ToolTipRole) == (
        "31 min → 38 %; 7 new followers → +2 %; week: 1 LIVE of 25+ min → +6 % = 46 %"
    )
    assert "Share: 31 min → 38 %" in page.detail.share_label.text()
    qtbot.mouseClick(page.detail.edit_button, Qt.MouseButton.LeftButton)
    dialog = page.edit_dialog
    assert "= 46 %" in dialog.share_label.text()
    qtbot.keyClicks(dialog.share_edit, "lots")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.isVisible() and "share override" in dialog.error_label.text()
    dialog.share_edit.clear()
    qtbot.keyClicks(dialog.share_edit, "48")
    qtbot.keyClicks(dialog.share_note_edit, "TikTok's screen said 48 %")
    closed: list[int] = []
    dialog.finished.connect(closed.append)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    wait_idle(qtbot, window)
    assert closed == [QDialog.DialogCode.Accepted]
    line = gui_services.streams.overview_of(stream.id)
    assert line.share.share_bps == 4800 and line.share.overridden and line.cash == Decimal("4.80")
    assert line.setting.note == "TikTok's screen said 48 %"
    row = model.row_of(stream.id)
    assert row is not None and model.index(row, SHARE).data() == "48 % ✎"
    window.grab().save(str(tmp_path / "stream_share.png"))
