"""The catalog editor: find a gift, change its price (history shown, old gifts keep theirs), add custom gifts,
refusals shown in the dialog."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from companion.services import Services
from companion.ui.dialogs.catalog_editor import CatalogEditor
from companion.ui.main_window import MainWindow
from tests.ui.conftest import wait_idle


def editor(qtbot: QtBot, window: MainWindow, services: Services) -> CatalogEditor:
    dialog = CatalogEditor(services, window.tasks, window)
    qtbot.addWidget(dialog)
    dialog.show()
    wait_idle(qtbot, window)
    return dialog


def choose(qtbot: QtBot, window: MainWindow, dialog: CatalogEditor, name: str) -> None:
    qtbot.keyClicks(dialog.search, name)
    assert dialog.proxy.rowCount() >= 1
    dialog.table.selectRow(0)
    wait_idle(qtbot, window)
    gift = dialog.current_gift()
    assert gift is not None and gift.name == name


def test_changing_a_price_keeps_the_history_and_old_gifts(
    qtbot: QtBot, window: MainWindow, gui_services: Services
) -> None:
    before = gui_services.gifts.log("Rose", 4, "amy")
    dialog = editor(qtbot, window, gui_services)
    assert dialog.model.rowCount() == len(gui_services.catalog.all())
    choose(qtbot, window, dialog, "Rose")
    assert dialog.history.count() == 1 and dialog.price_edit.text() == "1"
    dialog.price_edit.clear()
    qtbot.keyClicks(dialog.price_edit, "2")
    qtbot.mouseClick(dialog.price_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    wait_idle(qtbot, window)
    assert dialog.message.text() == "Rose costs 2 coins from now on."
    assert dialog.current_gift() is not None and dialog.current_gift().coins == 2  # type: ignore[union-attr]
    assert dialog.history.count() == 2 and dialog.history.item(0).text().startswith("2 coins")
    after = gui_services.gifts.log("Rose", 4, "bob")
    assert (before.coins_each, after.coins_each) == (1, 2)


def test_a_custom_gift_is_added_and_chosen(qtbot: QtBot, window: MainWindow, gui_services: Services) -> None:
    dialog = editor(qtbot, window, gui_services)
    qtbot.keyClicks(dialog.name_edit, "Golden Mic")
    qtbot.keyClicks(dialog.coins_edit, "450")
    dialog.streak_check.setChecked(True)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    wait_idle(qtbot, window)
    assert dialog.message.text() == "Added Golden Mic at 450 coins."
    gift = dialog.current_gift()
    assert gift is not None and (gift.name, gift.coins, gift.streakable, gift.custom) == ("Golden Mic", 450, True, True)
    assert dialog.name_edit.text() == ""
    assert gui_services.gifts.log("golden mic", 2, "amy").diamonds == 900


def test_a_duplicate_name_is_refused_in_the_dialog(qtbot: QtBot, window: MainWindow, gui_services: Services) -> None:
    dialog = editor(qtbot, window, gui_services)
    qtbot.keyClicks(dialog.name_edit, "rose")
    qtbot.keyClicks(dialog.coins_edit, "5")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert "already in the catalog" in dialog.message.text()
    assert dialog.name_edit.text() == "rose"  # what was typed stays
    dialog.coins_edit.clear()
    dialog.name_edit.setText("Free hug")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text() == "Give the gift's price in coins."


def test_the_file_menu_opens_the_catalog_editor(qtbot: QtBot, window: MainWindow) -> None:
    [action] = [a for a in window.menuBar().actions()[0].menu().actions() if a.text() == "Edit gift &catalog…"]
    action.trigger()
    wait_idle(qtbot, window)
    [dialog] = window.findChildren(CatalogEditor)
    assert dialog.isVisible() and dialog.model.rowCount() > 0


def test_streak_is_centred_apart_from_the_right_aligned_coins(qtbot: QtBot, window: MainWindow) -> None:
    dialog = CatalogEditor(window.services, window.tasks, window)
    qtbot.addWidget(dialog)
    wait_idle(qtbot, window)
    model = dialog.model
    align = Qt.ItemDataRole.TextAlignmentRole
    assert model.index(0, 1).data(align) == int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert model.index(0, 2).data(align) == int(Qt.AlignmentFlag.AlignCenter)  # "9 yes" no longer touch
