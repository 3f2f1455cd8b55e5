"""File → Import TikTok data download: the preview says what TotalEarning is taken as and lets the creator change
it before anything is written; after the import, the Streams page shows each LIVE's gap to TikTok's total."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

from companion.services import Services
from companion.services.tracking import StreamEdit
from companion.ui.dialogs.import_tiktok import ImportTikTokDialog
from companion.ui.main_window import MainWindow
from companion.ui.models.streams_table import TIKTOK
from tests.integrations.tiktok_data import export, live, write_json, write_zip
from tests.ui.conftest import wait_idle


def _lives(services: Services) -> int:
    with sqlite3.connect(services.db.path) as con:
        return int(con.execute("SELECT count(*) FROM tiktok_live").fetchone()[0])


def _past_stream(services: Services, start: datetime, diamonds: int) -> int:
    stream = services.streams.go_live("Friday night")
    services.streams.end(stream.id)
    services.streams.edit(stream.id, StreamEdit("Friday night", start, start + timedelta(hours=1)))
    services.gifts.log("Rose", diamonds, "fan", at=start + timedelta(minutes=5), stream_id=stream.id)
    return stream.id


def test_the_menu_opens_the_dialog(qtbot: QtBot, window: MainWindow) -> None:
    action = next(a for a in window.findChildren(QAction) if "TikTok data download" in a.text())
    action.trigger()
    dialog = next(w for w in window.findChildren(ImportTikTokDialog))
    assert dialog.isVisible() and not dialog.import_button.isEnabled()
    dialog.close()


def test_preview_changes_the_unit_before_writing_then_imports(
    qtbot: QtBot, window: MainWindow, gui_services: Services, tmp_path: Path
) -> None:
    path = write_zip(tmp_path / "tiktok.zip", export(live("2026-11-10 19:00:00 UTC", 250, title="Friday")))
    dialog = ImportTikTokDialog(gui_services, window.tasks, window, path)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle(qtbot, window)
    assert dialog.unit_combo.currentData() == "diamonds"
    assert "TotalEarning is taken as diamonds" in dialog.unit_label.text()
    assert dialog.table.item(0, 3).text() == "250"
    summary = dialog.summary_label.text()
    assert "1 LIVE in user_data_tiktok.json: 0 matched to your streams, 1 new past stream" in summary
    dialog.unit_combo.setCurrentIndex(dialog.unit_combo.findData("usd"))  # US$250 at 50 %: 50,000 diamonds
    wait_idle(qtbot, window)
    assert "US dollars you earned, converted to diamonds at the share each LIVE earned" in dialog.unit_label.text()
    assert dialog.table.item(0, 3).text() == "50,000"
    assert _lives(gui_services) == 0  # nothing written by previewing
    dialog.import_button.click()
    wait_idle(qtbot, window)
    assert "Imported: 0 LIVEs matched to streams, 1 new past stream" in dialog.summary_label.text()
    assert gui_services.tiktok.tiktok_totals([s.id for s in gui_services.streams.recent()]) == {1: 50_000}


def test_a_damaged_file_is_refused_in_the_dialog(
    qtbot: QtBot, window: MainWindow, gui_services: Services, tmp_path: Path
) -> None:
    bad = tmp_path / "user_data_tiktok.json"
    bad.write_text('{"TikTok Live": ', encoding="utf-8")
    dialog = ImportTikTokDialog(gui_services, window.tasks, window, bad)
    qtbot.addWidget(dialog)
    wait_idle(qtbot, window)
    assert "not valid JSON" in dialog.error_label.text() and "expected TikTok" in dialog.error_label.text()
    assert not dialog.import_button.isEnabled()


def test_the_streams_page_shows_each_lives_gap_to_tiktok(
    qtbot: QtBot, window: MainWindow, gui_services: Services, tmp_path: Path
) -> None:
    friday = _past_stream(gui_services, datetime(2026, 11, 13, 19, 3, tzinfo=UTC), 4_400)
    saturday = _past_stream(gui_services, datetime(2026, 11, 14, 20, 0, tzinfo=UTC), 900)
    lives = (live("2026-11-13 19:00:00", 5_200), live("2026-11-14 20:02:00 UTC", 900))
    dialog = ImportTikTokDialog(gui_services, window.tasks, window, write_json(tmp_path / "u.json", export(*lives)))
    qtbot.addWidget(dialog)
    wait_idle(qtbot, window)
    dialog.import_button.click()
    wait_idle(qtbot, window)
    page = window.streams_page
    model = page.streams_model
    rows = {model.record_at(r).stream.id: r for r in range(model.rowCount())}
    cell = model.index(rows[friday], TIKTOK)
    assert cell.data() == "5,200 · 800 missing"
    assert cell.data(Qt.ItemDataRole.ToolTipRole).endswith("you logged 4,400: 800 diamonds of gifts are not logged.")
    assert cell.data(Qt.ItemDataRole.ForegroundRole).name() == "#fe2c55"
    assert model.index(rows[saturday], TIKTOK).data() == "900 ✓"
    page.streams_view.selectRow(rows[friday])
    wait_idle(qtbot, window)
    assert page.detail.tiktok_label.isVisibleTo(page)
    assert "800 diamonds of gifts are not logged" in page.detail.tiktok_label.text()
    shots = os.environ.get("COMPANION_SCREENSHOTS")
    if shots:
        window.resize(1400, 700)
        wait_idle(qtbot, window)
        page.grab().save(str(Path(shots) / "per-live-check.png"))
        dialog.grab().save(str(Path(shots) / "tiktok-import-dialog.png"))
