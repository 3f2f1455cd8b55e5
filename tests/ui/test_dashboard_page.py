"""The Dashboard is the first page: empty state for a new profile, locale-formatted figures and charts once there
are gifts, refreshed when data changes elsewhere."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from pytestqt.qtbot import QtBot

from companion.services import Services
from companion.ui.main_window import MainWindow
from companion.ui.pages.dashboard import DashboardPage
from companion.ui.tasks import GIFTS
from tests.ui.conftest import wait_idle


@pytest.fixture
def fresh(qtbot: QtBot, gui_services: Services) -> Iterator[MainWindow]:
    win = MainWindow(gui_services)  # as at start-up: no page chosen by the test
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    wait_idle(qtbot, win)
    yield win
    win.tasks.shutdown()


def _page(win: MainWindow) -> DashboardPage:
    page = win.pages.currentWidget()
    assert isinstance(page, DashboardPage)
    return page


def test_dashboard_is_the_first_page_with_an_empty_state(fresh: MainWindow) -> None:
    page = _page(fresh)
    assert fresh.nav.currentItem().text() == "Dashboard"
    assert page.empty.isVisible() and not page.charts_box.isVisible()
    assert page.charts == {}  # QtCharts widgets are made only when there is something to draw
    assert page.cards["all"].diamonds.text() == "0"
    assert page.cards["all"].live.text() == "0 h 00 min live"
    assert page.cards["all"].rate.text() == "not enough live time"


def test_figures_charts_and_refresh(qtbot: QtBot, fresh: MainWindow, gui_services: Services) -> None:
    now = gui_services.context.now()  # the test's clock
    gui_services.gifts.log("Rose", 1500, "luna", at=now)  # 1,500 × US$0.005 = US$7.50
    gui_services.gifts.log("Rose", 1, "mike", at=now - timedelta(days=40))
    fresh.tasks.announce([GIFTS])  # as every write through `tasks.write` is
    wait_idle(qtbot, fresh)
    page = _page(fresh)
    assert not page.empty.isVisible() and page.charts_box.isVisible()
    assert page.cards["today"].diamonds.text() == "1,500"
    assert page.cards["today"].cash.text() == "diamonds · US$7.50"
    assert page.cards["all"].diamonds.text() == "1,501"
    assert "50 % share, in USD" in page.subtitle.text()
    heat = page.charts["heat"]
    assert sum(map(sum, heat.values)) == 1501
    assert page.charts["daily"].chart().series()[0].barSets()[0].at(89) == 1500.0
    labels = page.charts["top"].chart().axes()[0].categories()
    assert labels == ["Rose  1,501"]
    assert "diamonds" in page.top_title.text()  # the bars carry no unit of their own
    assert "Not enough weeks" in page.weeks_text.text()
    assert not page.jumps_text.isVisible()
    # another page changes the data: the dashboard reloads when shown again
    fresh.show_page("streams")
    gui_services.gifts.log("Rose", 500, "zoe", at=now)
    fresh.tasks.announce([GIFTS])
    fresh.show_page("dashboard")
    wait_idle(qtbot, fresh)
    assert page.cards["today"].diamonds.text() == "2,000"


def test_a_gift_logged_on_the_streams_page_shows_on_the_dashboard(qtbot: QtBot, fresh: MainWindow) -> None:
    page = _page(fresh)
    assert page.cards["today"].diamonds.text() == "0"
    streams = fresh.show_page("streams")
    wait_idle(qtbot, fresh)
    streams.go_live()  # type: ignore[attr-defined]
    wait_idle(qtbot, fresh)
    streams.log_gift("Rose", 30, "luna")  # type: ignore[attr-defined]
    wait_idle(qtbot, fresh)
    fresh.show_page("dashboard")  # nothing told the dashboard but the write's own announcement (`tasks.write`)
    wait_idle(qtbot, fresh)
    assert page.cards["today"].diamonds.text() == "30"
