"""GUI fixtures: the real main window on services with the test's clock (no test depends on the date it runs on)
and secrets held in memory."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from companion.credentials.memory import InMemoryCredentialStore
from companion.services import Services, build_services
from companion.store.db import Database
from companion.ui.application import apply_look
from companion.ui.main_window import MainWindow
from tests.conftest import CATALOG, FakeClock


@pytest.fixture(autouse=True)
def app_look(qapp) -> None:  # type: ignore[no-untyped-def]
    """Every GUI test sees the app as users do: our style, and grouped digits even under LANG=C."""
    apply_look(qapp)


@pytest.fixture
def gui_services(db: Database, clock: FakeClock) -> Services:
    return build_services(db, CATALOG, clock=clock, credentials=InMemoryCredentialStore())


@pytest.fixture
def window(qtbot: QtBot, qapp, gui_services: Services) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    win = MainWindow(gui_services)
    qtbot.addWidget(win)
    win.show_page("streams")  # most GUI tests drive the Streams page; the Dashboard (first page) tests its own
    win.show()
    qtbot.waitExposed(win)
    wait_idle(qtbot, win)
    yield win
    win.tasks.shutdown()


def wait_idle(qtbot: QtBot, win: MainWindow) -> None:
    """Wait until every background task has delivered its result to the GUI thread."""
    qtbot.waitUntil(lambda: win.tasks.pending == 0, timeout=5000)
