"""The live capture window, driven with a stand-in connection that replays a recorded LIVE (no network), and
without the optional package installed."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from companion.services import Services
from companion.ui.dialogs.live_capture import LiveCaptureDialog
from companion.ui.main_window import MainWindow
from tests.services.test_import_events import RECORDED, RECORDED_GIFTS, stored
from tests.ui.conftest import wait_idle


class ReplayClient:
    """Stands in for TikTokLive: on start it says it connected and delivers the recorded gift events."""

    def __init__(self, handle: str, on_record: Callable[[dict[str, Any]], None], on_status: Callable[[str], None]):
        self.handle, self.on_record, self.on_status = handle, on_record, on_status
        self.stopped = False

    def start(self) -> None:
        self.on_status(f"connected to @{self.handle}")
        records = [json.loads(line) for line in RECORDED.read_text(encoding="utf-8").splitlines()]
        shift = int(time.time() * 1000) + 1000 - records[0]["create_time"]  # as if arriving from now on
        for record in records:
            self.on_record({**record, "create_time": record["create_time"] + shift})

    def stop(self) -> None:
        self.stopped = True


def test_without_the_package_the_window_says_how_to_install_it(
    qtbot: QtBot, window: MainWindow, gui_services: Services
) -> None:
    dialog = LiveCaptureDialog(gui_services, window.tasks, window, installed=False)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.install_label.isVisible() and "pip install" in dialog.install_label.text()
    assert not dialog.connect_button.isEnabled() and not dialog.handle_edit.isEnabled()


def test_a_replayed_live_is_captured_into_the_live_stream(
    qtbot: QtBot, window: MainWindow, gui_services: Services
) -> None:
    stream = gui_services.streams.go_live("Tonight")
    clients: list[ReplayClient] = []

    def factory(handle: str, on_record: Any, on_status: Any) -> ReplayClient:
        clients.append(ReplayClient(handle, on_record, on_status))
        return clients[-1]

    dialog = LiveCaptureDialog(gui_services, window.tasks, window, client_factory=factory, installed=True)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.install_label.isVisible()
    qtbot.keyClicks(dialog.handle_edit, "@luna_sings")
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.state_label.text() == "Connected to @luna_sings")
    wait_idle(qtbot, window)
    assert dialog.connected and dialog.disconnect_button.isEnabled() and not dialog.connect_button.isEnabled()
    assert dialog.counts_label.text() == "18 gift events · 6 gifts logged · 1 streak running"
    assert dialog.log_label.text().endswith(".jsonl")
    qtbot.mouseClick(dialog.disconnect_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert clients[0].stopped and not dialog.connected
    # the streak that never ended is stored at its highest count when the capture ends
    assert dialog.counts_label.text() == "18 gift events · 7 gifts logged · 0 streaks running"
    assert sorted(stored(gui_services)) == sorted(RECORDED_GIFTS)
    assert len(gui_services.gifts.for_stream(stream.id)) == 7


def test_a_bad_handle_is_refused_without_connecting(qtbot: QtBot, window: MainWindow, gui_services: Services) -> None:
    dialog = LiveCaptureDialog(gui_services, window.tasks, window, client_factory=ReplayClient, installed=True)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.handle_edit, "not a handle")
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    assert "is not a TikTok @handle" in dialog.state_label.text()
    assert not dialog.connected and gui_services.reports.summary().totals.gifts == 0


def test_the_file_menu_opens_one_live_capture_window(qtbot: QtBot, window: MainWindow) -> None:
    [action] = [a for a in window.menuBar().actions()[0].menu().actions() if a.text() == "&Live capture…"]
    action.trigger()
    action.trigger()  # a second time shows the same window
    [dialog] = window.findChildren(LiveCaptureDialog)
    assert dialog.isVisible()
