"""The start-up frame: painted before the data opens, the open runs off the GUI thread, a close while opening
waits for the open to finish (an upgrade is never cut off), and a failure comes back to the GUI thread."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from companion.ui.startup import StartupShell, run_while_painting


@pytest.fixture
def shell(qtbot: QtBot, tmp_path: Any) -> StartupShell:
    frame = StartupShell(tmp_path)
    qtbot.addWidget(frame)
    frame.show()
    qtbot.waitExposed(frame)
    return frame


def test_the_work_runs_off_the_gui_thread_while_the_frame_keeps_painting(shell: StartupShell) -> None:
    gui_thread = threading.get_ident()
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(10)

    def work() -> int:
        assert threading.get_ident() != gui_thread
        time.sleep(0.3)
        return 42

    result, failure, finished = run_while_painting(work, stop=shell.closed)
    timer.stop()
    assert (result, failure, finished) == (42, None, True)
    assert len(ticks) >= 5  # the event loop ran during the work: the frame was never frozen


def test_a_failure_comes_back_to_the_caller(shell: StartupShell) -> None:
    def work() -> None:
        raise OSError(30, "Read-only file system")

    result, failure, finished = run_while_painting(work, stop=shell.closed)
    assert result is None and isinstance(failure, OSError) and finished


def test_closing_the_frame_while_opening_waits_for_the_work_to_end(shell: StartupShell) -> None:
    ended: list[bool] = []

    def work() -> str:
        time.sleep(0.4)  # e.g. a schema upgrade in progress
        ended.append(True)
        return "opened"

    QTimer.singleShot(50, shell.close)
    result, failure, finished = run_while_painting(work, stop=shell.closed)
    assert not finished  # the caller knows the user closed the window …
    assert ended == [True] and result == "opened" and failure is None  # … and the work was not cut off


def test_hand_over_puts_the_main_window_where_the_frame_was(shell: StartupShell, qtbot: QtBot) -> None:
    shell.setGeometry(120, 80, 1000, 640)
    window = QMainWindow()
    qtbot.addWidget(window)
    shell.hand_over(window)
    qtbot.waitExposed(window)
    assert window.geometry() == shell.geometry() and window.isVisible() and not shell.isVisible()
