"""Live mode driven by the keyboard, as a creator would with one hand: favourites by digit, count and sender
fields, sender autocomplete, Ctrl+Z, totals and top gifters updating."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from companion.services import Services
from companion.ui.live_panel import LivePanel
from companion.ui.main_window import MainWindow
from companion.ui.tasks import GIFTS
from tests.ui.conftest import wait_idle
from tests.ui.test_streams_page import go_live


def _open(qtbot: QtBot, window: MainWindow) -> LivePanel:
    go_live(qtbot, window)
    page = window.streams_page
    assert page.live_mode_button.isVisible()
    qtbot.keyClick(page, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, window)
    panel = page.live_panel
    assert panel is not None and panel.isVisible()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is panel, timeout=3000)
    panel.setFocus()
    return panel


def _press(qtbot: QtBot, window: MainWindow, widget, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClick(widget, key, modifier)
    wait_idle(qtbot, window)


def _gifts(services: Services) -> list[tuple[str, int, str]]:
    live = services.streams.live()
    assert live is not None
    return [(g.gift_name, g.count, g.sender) for g in reversed(services.gifts.for_stream(live.id))]


def test_the_live_mode_button_shows_only_while_live(qtbot: QtBot, window: MainWindow) -> None:
    page = window.show_page("streams")
    wait_idle(qtbot, window)
    assert page.go_live_button.isVisible() and not page.live_mode_button.isVisible()
    qtbot.keyClick(page, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert page.live_panel is None  # nothing to log into


def test_digits_log_favourites_and_totals_update(qtbot: QtBot, window: MainWindow, gui_services: Services) -> None:
    panel = _open(qtbot, window)
    assert [b.text().split("\n")[0] for b in panel.palette_buttons[:3]] == ["1  Rose", "2  TikTok", "3  Finger Heart"]
    assert panel.diamonds_card.value_label.text() == "0"
    _press(qtbot, window, panel, Qt.Key.Key_1)
    _press(qtbot, window, panel, Qt.Key.Key_3)
    assert _gifts(gui_services) == [("Rose", 1, ""), ("Finger Heart", 1, "")]
    assert panel.diamonds_card.value_label.text() == "6"
    assert panel.coins_card.value_label.text() == "6"
    assert panel.cash_card.value_label.text() == "US$0.03"  # 6 × $0.005, rounded once, half-even
    assert "2 gifts" in panel.diamonds_card.caption_label.text()
    # the Streams page behind shows the same gifts
    assert window.streams_page.detail.gifts_model.rowCount() == 2


def test_count_then_digit_and_digits_type_inside_fields(
    qtbot: QtBot, window: MainWindow, gui_services: Services
) -> None:
    panel = _open(qtbot, window)
    count = panel.picker.count_edit
    count.setFocus()
    count.selectAll()
    qtbot.keyClicks(count, "12")  # digits in a field are typed, not favourites
    assert count.value() == 12 and _gifts(gui_services) == []
    _press(qtbot, window, count, Qt.Key.Key_Escape)  # leave the field
    assert panel.hasFocus()
    _press(qtbot, window, panel, Qt.Key.Key_3)
    assert _gifts(gui_services) == [("Finger Heart", 12, "")]
    assert panel.diamonds_card.value_label.text() == "60"
    assert count.value() == 1  # ready for the next gift


def test_sender_autocomplete_then_ctrl_digit_while_typing(
    qtbot: QtBot, window: MainWindow, gui_services: Services
) -> None:
    gui_services.gifts.log("Rose", 1, "generous_gina")  # a gifter from before this stream…
    window.tasks.announce([GIFTS])  # …that an import (say) brought in: every write is announced
    panel = _open(qtbot, window)
    sender = panel.picker.sender_edit
    sender.setFocus()
    qtbot.keyClicks(sender, "gin")
    popup = sender.completer().popup()
    qtbot.waitUntil(popup.isVisible, timeout=3000)
    assert popup.model().index(0, 0).data() == "generous_gina"
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert sender.text() == "generous_gina"
    _press(qtbot, window, sender, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert _gifts(gui_services) == [("TikTok", 1, "generous_gina")]
    assert sender.text() == ""
    assert panel.top_label.text().startswith("1. generous_gina · 1 diamonds")
    # a sender first seen in this stream is offered next time
    qtbot.keyClicks(sender, "new_fan")
    _press(qtbot, window, sender, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(sender, "w_f")
    qtbot.waitUntil(popup.isVisible, timeout=3000)
    assert popup.model().index(0, 0).data() == "new_fan"


def test_ctrl_z_undoes_the_last_gift_from_the_panel_or_the_page(
    qtbot: QtBot, window: MainWindow, gui_services: Services
) -> None:
    panel = _open(qtbot, window)
    _press(qtbot, window, panel, Qt.Key.Key_9)  # Galaxy
    _press(qtbot, window, panel, Qt.Key.Key_1)
    assert panel.undo_button.isEnabled()
    _press(qtbot, window, panel, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _gifts(gui_services) == [("Galaxy", 1, "")]
    assert panel.diamonds_card.value_label.text() == "1,000"
    assert not panel.undo_button.isEnabled()
    _press(qtbot, window, panel, Qt.Key.Key_2)
    # the page's Undo removes the gift the panel logged: one logger, one "last gift"
    qtbot.mouseClick(window.streams_page.detail.undo_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert _gifts(gui_services) == [("Galaxy", 1, "")]
    assert panel.diamonds_card.value_label.text() == "1,000"


def test_typed_gift_with_enter_and_adding_it_to_favourites(
    qtbot: QtBot, window: MainWindow, gui_services: Services
) -> None:
    gui_services.streams.set_favourites(["Rose"])
    panel = _open(qtbot, window)
    assert len(panel.palette_buttons) == 1
    gift = panel.picker.gift_edit
    gift.setFocus()
    qtbot.keyClicks(gift, "Lion")
    qtbot.mouseClick(panel.add_favourite_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert gui_services.streams.favourites() == ["Rose", "Lion"]
    assert panel.palette_buttons[1].text().startswith("2  Lion")
    _press(qtbot, window, gift, Qt.Key.Key_Return)
    assert _gifts(gui_services) == [("Lion", 1, "")]
    panel.remove_favourite(0)
    wait_idle(qtbot, window)
    assert gui_services.streams.favourites() == ["Lion"]
    panel.setFocus()
    _press(qtbot, window, panel, Qt.Key.Key_1)
    assert _gifts(gui_services) == [("Lion", 1, ""), ("Lion", 1, "")]


def test_ending_the_stream_closes_live_mode(qtbot: QtBot, window: MainWindow, gui_services: Services) -> None:
    panel = _open(qtbot, window)
    qtbot.mouseClick(window.streams_page.end_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert not panel.isVisible()
    _press(qtbot, window, panel, Qt.Key.Key_1)
    assert gui_services.reports.summary().totals.gifts == 0
