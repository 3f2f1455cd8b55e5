"""File → Export: CSV with progress, Cancel leaves no file, the PDF statement from the GUI."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from companion.domain.models import NewGift
from companion.services import Services
from companion.store.repositories import GiftRepo
from companion.ui.dialogs.export_data import ExportDialog
from companion.ui.main_window import MainWindow
from tests.ui.conftest import wait_idle


def _seed(services: Services, n: int) -> None:
    start = datetime(2026, 11, 1, tzinfo=UTC)
    with services.db.session(write=True) as s:
        GiftRepo(s).add_many(services.profile_id, [NewGift(start + timedelta(seconds=i), "luna", "Rose", 1, 1)
                                                    for i in range(n)])  # fmt: skip
        s.commit()


def test_csv_with_progress(qtbot: QtBot, window: MainWindow, gui_services: Services, tmp_path: Path) -> None:
    _seed(gui_services, 4500)
    dialog = ExportDialog(window.services, window.tasks, window)
    qtbot.addWidget(dialog)
    out = tmp_path / "all.csv"
    dialog.export_to(out)
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: dialog.written == out)
    assert len(out.read_text(encoding="utf-8-sig").splitlines()) == 4501
    assert dialog.close_button.text() == "Close" and dialog.export_button.isEnabled()


def test_cancel_leaves_no_file(qtbot: QtBot, window: MainWindow, gui_services: Services, tmp_path: Path) -> None:
    _seed(gui_services, 4500)
    dialog = ExportDialog(window.services, window.tasks, window)
    qtbot.addWidget(dialog)
    gate = threading.Event()
    window.tasks.run(lambda: gate.wait(10))  # hold the worker so Cancel lands before the first batch
    out = tmp_path / "exports" / "all.csv"
    out.parent.mkdir()
    dialog.export_to(out)
    assert dialog.close_button.text() == "Cancel"
    dialog.cancel_or_close()
    gate.set()
    wait_idle(qtbot, window)
    assert "cancelled" in dialog.status.text() and "no file was written" in dialog.status.text()
    assert list(out.parent.iterdir()) == []  # no file, no partial temp file


def test_pdf_statement_from_the_dialog(
    qtbot: QtBot, window: MainWindow, gui_services: Services, tmp_path: Path
) -> None:
    _seed(gui_services, 10)
    dialog = ExportDialog(window.services, window.tasks, window)
    qtbot.addWidget(dialog)
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("pdf"))
    assert dialog.one_month.isChecked() and not dialog.one_month.isEnabled()
    dialog.month_edit.setDate(dialog.month_edit.date().fromString("2026-11-01", "yyyy-MM-dd"))
    out = tmp_path / "nov.pdf"
    dialog.export_to(out)
    wait_idle(qtbot, window)
    assert out.read_bytes().startswith(b"%PDF")
    assert dialog.written == out
