"""Gifters page: lifetime figures, search, and a gifter's rank in each stream they attended."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from companion.services import Services
from companion.services.context import ProfileContext
from companion.store.history_repo import GifterRow
from companion.ui.main_window import MainWindow
from companion.ui.pages.gifters import GiftersPage, GifterTableModel
from tests.ui.conftest import wait_idle


def _two_streams(services: Services) -> None:
    services.streams.go_live("First")
    services.gifts.log("Galaxy", 1, "amy")
    services.gifts.log("Rose", 5, "bob")
    services.streams.end()
    services.streams.go_live("Second")
    services.gifts.log("Rose", 3, "amy")
    services.gifts.log("Lion", 1, "bob")
    services.gifts.log("Rose", 1, "")  # anonymous: no gifter row
    services.streams.end()


def _page(qtbot: QtBot, window: MainWindow) -> GiftersPage:
    page = window.show_page("gifters")
    assert isinstance(page, GiftersPage)
    wait_idle(qtbot, window)
    return page


def test_no_gifters_explains_where_they_come_from(qtbot: QtBot, window: MainWindow) -> None:
    page = _page(qtbot, window)
    assert page.stack.currentWidget() is page.empty_label
    assert "sender" in page.empty_label.text()


def test_gifters_listed_by_lifetime_diamonds_with_ranks(
    qtbot: QtBot, window: MainWindow, gui_services: Services
) -> None:
    _two_streams(gui_services)
    page = _page(qtbot, window)
    model = page.gifters_model
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["bob", "amy"]
    assert [model.index(0, c).data() for c in (1, 2, 3)] == ["30,004", "2", "2"]
    assert page.count_label.text() == "2 gifters"
    # the top gifter is selected: their streams, newest first, with their rank in each
    assert page.name_label.text() == "bob"
    ranks = [page.streams_model.index(r, 2).data() for r in range(page.streams_model.rowCount())]
    assert ranks == ["#1 of 2", "#2 of 2"]
    assert page.top_card.value_label.text() == "1"
    page.gifters_view.selectRow(1)
    wait_idle(qtbot, window)
    assert page.name_label.text() == "amy"
    assert page.diamonds_card.value_label.text() == "1,003"
    assert [page.streams_model.index(r, 0).data() for r in range(2)] == ["Second", "First"]


def test_search_narrows_the_list(qtbot: QtBot, window: MainWindow, gui_services: Services) -> None:
    _two_streams(gui_services)
    page = _page(qtbot, window)
    qtbot.keyClicks(page.search_edit, "AM")
    qtbot.waitUntil(lambda: page.gifters_model.rowCount() == 1, timeout=3000)
    wait_idle(qtbot, window)
    assert page.gifters_model.index(0, 0).data() == "amy"
    assert page.name_label.text() == "amy"
    page.search_edit.setText("nobody")
    qtbot.waitUntil(lambda: page.gifters_model.rowCount() == 0, timeout=3000)
    wait_idle(qtbot, window)
    assert page.stack.currentWidget() is page.splitter  # a search without hits is not the "no gifters" page
    assert page.count_label.text() == "0 gifters"
    assert page.name_label.text() == "No gifter matches this search."


def test_first_and_last_seen_are_days_in_the_profiles_time_zone(computer_zone) -> None:
    # the computer is in Los Angeles, the profile in Tokyo: 20:00 UTC on the 20th is already the 21st in Tokyo
    computer_zone("America/Los_Angeles")
    seen = datetime(2026, 11, 20, 20, 0, tzinfo=UTC)
    model = GifterTableModel()
    model.set_context(ProfileContext(1, ZoneInfo("Asia/Tokyo"), 5000))
    model.set_rows([GifterRow("amy", 5, 1, 1, seen, seen + timedelta(days=3), 1)])
    assert [model.index(0, column).data() for column in (4, 5)] == ["21 Nov 2026", "24 Nov 2026"]
    assert model.index(0, 4).data(Qt.ItemDataRole.ToolTipRole) == "Sat 21 Nov 2026, 05:00"


def test_smallest_window_keeps_list_and_detail_apart(qtbot: QtBot, window: MainWindow, gui_services: Services) -> None:
    _two_streams(gui_services)
    window.resize(900, 560)
    page = _page(qtbot, window)
    splitter = page.splitter
    qtbot.waitUntil(lambda: splitter.width() < 700, timeout=3000)
    panes = [splitter.widget(i) for i in range(2)]
    assert sum(p.minimumSizeHint().width() for p in panes) + splitter.handleWidth() <= splitter.width()
    for pane, size in zip(panes, splitter.sizes(), strict=True):
        assert size >= max(pane.minimumSizeHint().width(), pane.minimumWidth())
    assert panes[0].geometry().right() < panes[1].geometry().left()  # the list no longer covers the detail
    header = page.gifters_view.horizontalHeader()  # the name column does not push the figures out of sight
    assert header.sectionViewportPosition(1) + header.sectionSize(1) <= page.gifters_view.viewport().width()
