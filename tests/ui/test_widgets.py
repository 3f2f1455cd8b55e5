"""Small widgets on their own: the count field and the gift picker's matching."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from companion.domain.models import CatalogGift
from companion.ui.widgets.count_edit import CountEdit
from companion.ui.widgets.gift_picker import GiftPicker


def test_count_edit_takes_digits_only_and_steps_with_arrow_keys(qtbot: QtBot) -> None:
    edit = CountEdit()
    qtbot.addWidget(edit)
    edit.selectAll()
    qtbot.keyClicks(edit, "x-12a")
    assert edit.text() == "12" and edit.value() == 12
    qtbot.keyClick(edit, Qt.Key.Key_Up)
    assert edit.value() == 13
    edit.setValue(1)
    qtbot.keyClick(edit, Qt.Key.Key_Down)
    assert edit.value() == 1  # never below one gift
    edit.clear()
    assert edit.value() == 1


def test_picker_resolves_a_unique_partial_name_and_refuses_an_ambiguous_one(qtbot: QtBot) -> None:
    picker = GiftPicker()
    qtbot.addWidget(picker)
    picker.set_catalog(
        [
            CatalogGift(1, "Rose", 1, True, False),
            CatalogGift(2, "Rosa", 10, True, False),
            CatalogGift(3, "Galaxy", 1000, False, False),
        ]
    )
    qtbot.keyClicks(picker.gift_edit, "gal")
    assert picker.selected_gift() is not None and picker.selected_gift().name == "Galaxy"  # type: ignore[union-attr]
    assert picker.price_label.text() == "Galaxy: 1,000 coins · 1,000 diamonds"
    picker.gift_edit.setText("ros")
    assert picker.selected_gift() is None
    assert picker.price_label.text() == "2 matches: pick one"
    assert not picker.log_button.isEnabled()
    with qtbot.waitSignal(picker.submitted) as blocker:
        picker.gift_edit.setText("rosa")
        picker.count_edit.setValue(4)
        qtbot.keyClick(picker.count_edit, Qt.Key.Key_Return)
    assert blocker.args == ["Rosa", 4, ""]
