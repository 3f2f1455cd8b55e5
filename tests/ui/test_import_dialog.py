"""The import dialog: preview, column mapping, progress, cancel; a bad file is refused whole with every line
named; a good one is counted and the pages are told."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from companion.services import Services
from companion.ui.dialogs.import_gifts import ImportDialog
from companion.ui.main_window import MainWindow
from tests.integrations.eventlog import gift_event, lines
from tests.services.test_import_events import RECORDED
from tests.ui.conftest import wait_idle

HEADER = "received_at,sender,gift,coins_each,count,stream\n"


def dialog_for(qtbot: QtBot, window: MainWindow, services: Services, path: Path) -> ImportDialog:
    dialog = ImportDialog(services, window.tasks, path, window)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def run_import(qtbot: QtBot, window: MainWindow, dialog: ImportDialog, timeout_ms: int = 5000) -> None:
    assert dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.tasks.pending == 0, timeout=timeout_ms)


def test_bad_file_shows_every_problem_and_imports_nothing(
    qtbot: QtBot, window: MainWindow, gui_services: Services, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        HEADER
        + "2026-11-01T20:00:00+01:00,amy,Rose,,5,Night\n"
        + "2026-11-01T20:01:00+01:00,bob,Rose,,-2,Night\n"
        + "yesterday,cat,Rose,,1,Night\n"
        + "2026-11-01T20:03:00+01:00,dan,Mystery Gift,,1,Night\n",
        encoding="utf-8",
    )
    dialog = dialog_for(qtbot, window, gui_services, bad)
    assert dialog.preview.rowCount() == 4 and not dialog.mapping_box.isVisible()
    assert dialog.preview.verticalHeaderItem(0).text() == "2"  # the line the error messages would name
    run_import(qtbot, window, dialog)
    assert dialog.errors.isVisible()
    assert dialog.errors.toPlainText().splitlines() == [
        "line 3, count: must be at least 1 (got -2)",
        "line 4, received_at: 'yesterday' is not an ISO 8601 date-time"
        " (expected e.g. 2026-11-30 19:05:00 or 2026-11-30T19:05:00+09:00)",
        "line 5, coins_each: 'Mystery Gift' is not in the gift catalog; give its coin price",
    ]
    assert "Nothing was imported" in dialog.status.text() and "3 problems" in dialog.status.text()
    assert gui_services.reports.summary().totals.gifts == 0
    assert gui_services.streams.recent() == []
    assert dialog.import_button.isEnabled()  # fix the file and try again


def test_good_file_is_imported_and_the_pages_are_told(
    qtbot: QtBot, window: MainWindow, gui_services: Services, tmp_path: Path
) -> None:
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "2026-11-01T20:00:00+01:00,amy,Rose,,5,Night\n", encoding="utf-8")
    dialog = dialog_for(qtbot, window, gui_services, good)
    told: list[bool] = []
    dialog.imported.connect(lambda: told.append(True))
    run_import(qtbot, window, dialog)
    assert dialog.status.text() == "Done: imported 1 gift, 1 stream created."
    assert dialog.progress.value() == 100 and dialog.cancel_button.text() == "Close"
    assert told == [True]
    wait_idle(qtbot, window)
    page = window.streams_page
    assert page.streams_model.rowCount() == 1


def test_other_column_names_are_mapped_and_can_be_changed(
    qtbot: QtBot, window: MainWindow, gui_services: Services, tmp_path: Path
) -> None:
    export = tmp_path / "export.csv"
    export.write_text(
        "Date,User,Gift Name,Qty,Price,Stream title\n"
        "2026-11-01T20:00:00+01:00,amy,Rose,5,,Night\n"
        "2026-11-01T20:05:00+01:00,bob,Mystery Gift,1,250,Night\n",
        encoding="utf-8",
    )
    dialog = dialog_for(qtbot, window, gui_services, export)
    assert dialog.mapping_box.isVisible()
    assert dialog.chosen_mapping() == {
        "received_at": "Date", "sender": "User", "gift": "Gift Name", "coins_each": "Price", "count": "Qty",
        "stream": "Stream title",
    }  # fmt: skip
    assert [dialog.preview.horizontalHeaderItem(c).text() for c in range(6)][:2] == ["Date", "User"]
    dialog.mapping["sender"].setCurrentIndex(0)  # "not in the file": a needed column is missing
    assert not dialog.import_button.isEnabled() and "Sender" in dialog.status.text()
    dialog.mapping["sender"].setCurrentIndex(dialog.mapping["sender"].findData("User"))
    run_import(qtbot, window, dialog)
    assert dialog.status.text() == "Done: imported 2 gifts, 1 stream created."
    assert gui_services.reports.summary().totals.diamonds == 5 + 250


def test_an_event_log_is_previewed_and_imported_with_streaks_counted_once(
    qtbot: QtBot, window: MainWindow, gui_services: Services
) -> None:
    dialog = dialog_for(qtbot, window, gui_services, RECORDED)
    assert dialog.file_format == "events" and not dialog.mapping_box.isVisible()
    assert dialog.preview.rowCount() == 18
    assert [dialog.preview.item(0, c).text() for c in (1, 2, 4, 5)] == ["luna_sings", "Rose", "1", "…"]
    assert dialog.preview.verticalHeaderItem(17).text() == "18"  # rows are numbered by file line
    run_import(qtbot, window, dialog)
    assert dialog.status.text() == "Done: imported 7 gifts, 1 stream created."
    assert gui_services.reports.summary().totals.items == 31


def test_progress_moves_and_cancel_leaves_nothing_behind(
    qtbot: QtBot, window: MainWindow, gui_services: Services, tmp_path: Path
) -> None:
    big = tmp_path / "big.jsonl"
    big.write_text(lines(*(gift_event(i, sender=f"fan{i}", streakable=False) for i in range(1, 30_001))))
    dialog = dialog_for(qtbot, window, gui_services, big)
    seen: list[int] = []
    dialog.progress.valueChanged.connect(seen.append)
    dialog.progress.valueChanged.connect(lambda value: dialog.cancel() if value >= 50 else None)
    run_import(qtbot, window, dialog, timeout_ms=60_000)
    assert any(0 < v < 40 for v in seen) and max(seen) >= 50  # reading, then on to saving
    assert dialog.status.text() == "Import cancelled — nothing was imported."
    assert gui_services.reports.summary().totals.gifts == 0
    assert dialog.import_button.isEnabled()
