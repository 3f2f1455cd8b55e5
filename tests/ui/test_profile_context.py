"""One context per profile, handed to every page: "today" is the profile's, cash is converted once, and a rate noted
(or a zone changed) shows on every page without a restart (issue 13)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from pytestqt.qtbot import QtBot

from companion.services import Services
from companion.ui.main_window import MainWindow
from companion.ui.pages.gifts import GiftsPage
from companion.ui.pages.streams import StreamsPage
from companion.ui.tasks import ECONOMICS, PROFILE
from tests.conftest import FakeClock
from tests.ui.conftest import wait_idle


@pytest.fixture
def opened(qtbot: QtBot, gui_services: Services) -> Iterator[list[MainWindow]]:
    """Windows a test opens (as at start-up, on services read after the test set the profile up)."""
    windows: list[MainWindow] = []
    yield windows
    for win in windows:
        win.tasks.shutdown()


def _window(qtbot: QtBot, services: Services, opened: list[MainWindow]) -> MainWindow:
    win = MainWindow(services.reopen(None))
    qtbot.addWidget(win)
    opened.append(win)
    win.show()
    wait_idle(qtbot, win)
    return win


def _cash(page: StreamsPage) -> str:
    return page.streams_model.index(0, page.streams_model.HEADERS.index("Cash")).data()


def test_today_on_the_gifts_page_is_the_profiles_today(
    qtbot: QtBot, gui_services: Services, clock: FakeClock, computer_zone, opened: list[MainWindow]
) -> None:
    """The computer in Los Angeles, the profile in Tokyo: at 19:00 UTC on 20 Nov it is the 21st in Tokyo (and still
    the 20th in Los Angeles). "Today" is read in Tokyo, so it is Tokyo's today: once it was the computer's date."""
    computer_zone("America/Los_Angeles")
    gui_services.profiles.update(gui_services.profile_id, "My channel", "USD", "Asia/Tokyo")
    gui_services.gifts.log("Rose", 1, "tokyo_morning", at=datetime(2026, 11, 20, 16, 0, tzinfo=UTC))  # 21st, 01:00
    gui_services.gifts.log("Rose", 1, "tokyo_evening", at=datetime(2026, 11, 20, 10, 0, tzinfo=UTC))  # 20th, 19:00
    win = _window(qtbot, gui_services, opened)
    page = win.show_page("gifts")
    assert isinstance(page, GiftsPage)
    page.period_combo.setCurrentText("Today")
    wait_idle(qtbot, win)
    assert page.model.rowCount() == 1
    assert page.model.cells_at(0)[2] == "tokyo_morning"  # type: ignore[index]
    assert page.model.cells_at(0)[0] == "2026-11-21 01:00"  # type: ignore[index]
    page.period_combo.setCurrentText("Last 7 days")
    wait_idle(qtbot, win)
    assert page.model.rowCount() == 2


def test_a_rate_noted_shows_on_every_page_at_once_converted_once(
    qtbot: QtBot, gui_services: Services, opened: list[MainWindow]
) -> None:
    """3 diamonds at 50 % are US$0.015: at 0.9 € per US$ that is €0.0135, €0.01 rounded once (rounding the dollars
    first gave €0.02). After the rate is noted, Streams and Gifts show € at once, not after a restart."""
    gui_services.profiles.update(gui_services.profile_id, "Luna", "EUR", "")
    gui_services.streams.go_live("Euro night")
    gui_services.gifts.log("Rose", 3, "luna")
    win = _window(qtbot, gui_services, opened)
    streams = win.show_page("streams")
    assert isinstance(streams, StreamsPage)
    wait_idle(qtbot, win)
    assert _cash(streams) == "US$0.02"  # no rate noted yet: US dollars (half-even: 0.015 → 0.02)
    streams.open_live_mode()
    wait_idle(qtbot, win)
    gifts = win.show_page("gifts")
    wait_idle(qtbot, win)
    assert gifts.cash_card.value_label.text() == "US$0.02"  # type: ignore[attr-defined]

    economics = win.services.economics
    win.tasks.write(lambda: economics.set_rate("EUR", "0.9", date(2026, 11, 1)), touches=[ECONOMICS])
    wait_idle(qtbot, win)
    assert win.context.display.currency == "EUR"
    assert gifts.cash_card.value_label.text() == "€0.01"  # type: ignore[attr-defined]  # on screen: at once
    assert streams.live_panel is not None and streams.live_panel.cash_card.value_label.text() == "€0.01"
    win.show_page("streams")
    wait_idle(qtbot, win)
    assert _cash(streams) == "€0.01"
    assert streams.detail.cash_card.value_label.text() == "€0.01"


def test_a_zone_saved_in_settings_moves_every_time_shown(
    qtbot: QtBot, gui_services: Services, clock: FakeClock, opened: list[MainWindow]
) -> None:
    gui_services.streams.go_live("Night")  # 19:00 UTC
    win = _window(qtbot, gui_services, opened)
    streams = win.show_page("streams")
    wait_idle(qtbot, win)
    assert isinstance(streams, StreamsPage)
    assert "19:00" in streams.detail.when_label.text()
    profiles, profile_id = win.services.profiles, win.services.profile_id
    win.tasks.write(lambda: profiles.update(profile_id, "My channel", "USD", "Asia/Tokyo"), touches=[PROFILE])
    wait_idle(qtbot, win)
    assert "Sat 21 Nov 2026, 04:00" in streams.detail.when_label.text()
