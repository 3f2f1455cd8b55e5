"""The Gifts page's sender filter matches as you type: part of a name, in any case (any script), no Return."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pytestqt.qtbot import QtBot

from companion.services import Services
from companion.services.history import GiftFilter
from companion.ui.main_window import MainWindow
from companion.ui.models.lazy_gifts import SENDER
from companion.ui.pages.gifts import GiftsPage
from tests.ui.conftest import wait_idle

START = datetime(2026, 10, 1, 18, 0, tzinfo=UTC)
SENDERS = ("queen_valeria", "Queen", "lovequeens", "bob", "Änne", "änne_fan", "50%_off")


def _log(services: Services) -> None:
    for n, sender in enumerate(SENDERS):
        services.gifts.log("Rose", 1, sender, at=START + timedelta(minutes=n))


def _shown(page: GiftsPage) -> set[str]:
    return {page.model.index(row, SENDER).data() for row in range(page.model.rowCount())}


def _type(qtbot: QtBot, window: MainWindow, page: GiftsPage, text: str, expected: set[str]) -> None:
    """Type `text` (no Return) and wait for the rows to become `expected`: on the code before issue 15 they
    never did, because the filter waited for Return and then wanted the whole name."""
    page.sender_edit.clear()
    if text.isascii():
        qtbot.keyClicks(page.sender_edit, text)
    else:  # QTest types ASCII only
        page.sender_edit.insert(text)
    qtbot.waitUntil(lambda: _shown(page) == expected and page.stack.currentWidget() is not page.empty_label
                    if expected else page.stack.currentWidget() is page.empty_label, timeout=3000)  # fmt: skip
    wait_idle(qtbot, window)  # and no later result undid it
    assert (_shown(page) == expected) if expected else (page.stack.currentWidget() is page.empty_label)


def test_typing_part_of_a_name_filters_without_pressing_return(
    qtbot: QtBot, window: MainWindow, gui_services: Services
) -> None:
    """Before issue 15 the filter ran only on Return, and only for the whole name exactly."""
    _log(gui_services)
    page = window.show_page("gifts")
    assert isinstance(page, GiftsPage)
    wait_idle(qtbot, window)
    _type(qtbot, window, page, "QUEEN", {"queen_valeria", "Queen", "lovequeens"})
    assert page.status_label.text() == "3 gifts shown"
    _type(qtbot, window, page, "änn", {"Änne", "änne_fan"})  # not only ASCII letters fold
    _type(qtbot, window, page, "%_", {"50%_off"})  # LIKE's wildcards are plain characters here
    _type(qtbot, window, page, "nobody", set())
    page.sender_edit.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == len(SENDERS), timeout=3000)


def test_the_service_search_ignores_case_and_keeps_exact_sender_apart(gui_services: Services) -> None:
    _log(gui_services)
    history = gui_services.history
    assert len(history.select(GiftFilter(sender_contains="QUEEN")).ids) == 3
    assert len(history.select(GiftFilter(sender="Queen")).ids) == 1  # the exact filter (CLI --sender) unchanged
