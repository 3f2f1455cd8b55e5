"""Several creator accounts in one app: the toolbar switcher rebuilds every figure for the chosen profile, and
times show in that profile's time zone."""

from __future__ import annotations

from datetime import UTC, datetime

from pytestqt.qtbot import QtBot

from companion.services import Services
from companion.ui.format import local_time
from companion.ui.main_window import MainWindow
from companion.ui.pages.dashboard import DashboardPage
from tests.ui.conftest import wait_idle


def _switch(qtbot: QtBot, window: MainWindow, name: str) -> None:
    combo = window.profile_bar.combo
    index = combo.findText(name)
    assert index >= 0, [combo.itemText(i) for i in range(combo.count())]
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    wait_idle(qtbot, window)


def test_switch_profile_rebuilds_figures(qtbot: QtBot, window: MainWindow, gui_services: Services) -> None:
    gui_services.gifts.log("Rose", 700, "luna")
    other = gui_services.profiles.create("Luna Gaming", "USD", "Asia/Tokyo")
    window.profile_bar.load(window.services)
    wait_idle(qtbot, window)
    assert [window.profile_bar.combo.itemText(i) for i in range(2)] == ["My channel", "Luna Gaming"]

    _switch(qtbot, window, "Luna Gaming")
    assert window.services.profile_id == other.id
    dashboard = window.show_page("dashboard")
    wait_idle(qtbot, window)
    assert isinstance(dashboard, DashboardPage)
    assert dashboard.cards["all"].diamonds.text() == "0"  # the first profile's gift is not here
    assert dashboard.subtitle.text().startswith("Luna Gaming")
    assert local_time(datetime(2026, 11, 20, 19, 0, tzinfo=UTC), window.context, True) == "2026-11-21 04:00"  # Tokyo
    # the choice is remembered for the next start
    assert gui_services.profiles.current().id == other.id

    _switch(qtbot, window, "My channel")
    dashboard = window.show_page("dashboard")
    wait_idle(qtbot, window)
    assert dashboard.cards["all"].diamonds.text() == "700"
