"""File → Export → PDF on a full disk (issue 12, defect 7): the dialog says which disk is full, saves nothing and
is ready again. The export's temp file is a link to /dev/full, where every write fails with ENOSPC."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from companion.services import Services
from companion.ui.dialogs.export_data import ExportDialog
from companion.ui.main_window import MainWindow
from tests.test_statement_pdf_disk import FULL, temp_files_on_full_disk
from tests.ui.conftest import wait_idle


@pytest.mark.skipif(not FULL.exists(), reason="needs /dev/full (Linux)")
def test_pdf_export_to_a_full_disk_says_so_and_saves_nothing(
    qtbot: QtBot, window: MainWindow, gui_services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gui_services.gifts.log("Rose", 10, "luna")
    out = tmp_path / "exports"
    out.mkdir()
    temp_files_on_full_disk(monkeypatch, out)
    dialog = ExportDialog(window.services, window.tasks, window)
    qtbot.addWidget(dialog)
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("pdf"))
    dialog.export_to(out / "nov.pdf")
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: dialog.export_button.isEnabled())
    # before the fix: a generic "The export failed" here, and "Saved" with a cut-short file on a real full disk
    assert f"no space left on the disk that holds {out}" in dialog.status.text()
    assert dialog.written is None
    assert list(out.iterdir()) == []
