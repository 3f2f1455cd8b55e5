"""Importing a CSV from the window: a bad file is refused whole with its lines named; a good one is counted."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from companion.services import Services
from companion.ui.dialogs.import_gifts import import_file
from companion.ui.main_window import MainWindow
from tests.ui.conftest import wait_idle

HEADER = "received_at,sender,gift,coins_each,count,stream\n"


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
    import_file(window, gui_services, window.tasks, bad, None)
    wait_idle(qtbot, window)
    boxes = [b for b in window.findChildren(QMessageBox) if b.windowTitle() == "Nothing was imported"]
    assert len(boxes) == 1
    details = boxes[0].detailedText().splitlines()
    assert details == [
        "line 3, count: must be at least 1 (got -2)",
        "line 4, received_at: 'yesterday' is not an ISO 8601 date-time (expected e.g. 2026-11-01T20:15:00+01:00)",
        "line 5, coins_each: 'Mystery Gift' is not in the gift catalog; give its coin price",
    ]
    assert "3 problem(s)" in boxes[0].text()
    assert gui_services.reports.summary().totals.gifts == 0
    assert gui_services.streams.recent() == []


def test_good_file_is_imported_and_listed(
    qtbot: QtBot, window: MainWindow, gui_services: Services, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text: shown.append(text))
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "2026-11-01T20:00:00+01:00,amy,Rose,,5,Night\n", encoding="utf-8")
    import_file(window, gui_services, window.tasks, good, window.streams_page.reload)
    wait_idle(qtbot, window)
    assert shown == ["good.csv: imported 1 gift, 1 stream created."]
    page = window.streams_page
    assert page.streams_model.rowCount() == 1
    assert page.detail.title_label.text() == "Night"
    assert page.detail.diamonds_card.value_label.text() == "5"
