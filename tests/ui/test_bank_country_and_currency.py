"""The two pickers issue 20 added: a bank's fields follow its country; the currency list is every ISO 4217
currency in use, named in the UI language."""

from __future__ import annotations

from datetime import UTC
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from companion.domain.currency import DisplayRate
from companion.domain.errors import ValidationError
from companion.domain.iso4217 import active_codes
from companion.services import Services
from companion.services.context import ProfileContext
from companion.ui.format import cash
from companion.ui.main_window import MainWindow
from companion.ui.pages.methods import MethodsPage
from companion.ui.pages.settings import SettingsPage
from companion.ui.widgets.currency_box import CurrencyBox
from tests.ui.conftest import wait_idle
from tests.ui.test_methods_page import page, store  # noqa: F401  (fixtures)


def _row_titles(dialog) -> list[str]:  # type: ignore[no-untyped-def]
    QApplication.processEvents()  # rows added to a shown dialog become visible on the next event loop pass
    form = dialog.fields_form
    return [
        label.text()
        for row in range(form.rowCount())
        if form.isRowVisible(row) and isinstance(label := form.itemAt(row, form.ItemRole.LabelRole).widget(), QLabel)
    ]


def test_a_banks_fields_follow_the_country_picked(qtbot: QtBot, page: MethodsPage, store) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    dialog = page.dialog
    assert "Bank country" not in _row_titles(dialog)  # PayPal first: no country
    dialog.kind_box.setCurrentIndex(1)  # bank
    assert "IBAN (optional)" in _row_titles(dialog) and "Bank country" in _row_titles(dialog)
    dialog.country_box.setCurrentIndex(dialog.country_box.findData("MX"))
    assert "CLABE" in _row_titles(dialog) and "iban" not in dialog.edits
    qtbot.keyClicks(dialog.label_edit, "BBVA")
    qtbot.keyClicks(dialog.edits["holder"], "Ada Lovelace")
    qtbot.keyClicks(dialog.edits["account_number"], "002010077777777772")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.error_label.isVisible(), timeout=3000)
    assert dialog.error_label.text() == "CLABE: the check digit (the 18th) does not match: a digit is mistyped"
    dialog.edits["account_number"].clear()
    qtbot.keyClicks(dialog.edits["account_number"], "002 010 07777777777 1")
    dialog.submit()
    qtbot.waitUntil(lambda: len(page.methods) == 2, timeout=3000)
    saved = {name: value for (_service, _user), value in store.entries.items() for name in [_user.rsplit("/", 1)[-1]]}
    assert saved["country"] == "MX" and saved["account_number"] == "002010077777777771"


def test_every_active_currency_is_offered_with_its_name(qtbot: QtBot) -> None:
    box = CurrencyBox(locale="de_DE")
    qtbot.addWidget(box)
    assert {box.itemData(i) for i in range(box.count())} == active_codes()
    box.set_code("KZT")
    assert box.code() == "KZT" and box.currentText() == "KZT — Kasachischer Tenge"
    box.set_code("HRK")  # retired since it was saved: still shown, not silently swapped
    assert box.code() == "HRK"


def test_a_creator_paid_in_tenge_can_choose_it(qtbot: QtBot, window: MainWindow, gui_services: Services) -> None:
    settings = window.show_page("settings")
    wait_idle(qtbot, window)
    assert isinstance(settings, SettingsPage)
    settings.currency_box.set_code("KZT")
    settings.save_button.click()
    wait_idle(qtbot, window)
    assert gui_services.profiles.get(gui_services.profile_id).currency == "KZT"
    assert "KZT" in settings.profile_status.text()
    with pytest.raises(ValidationError, match="unknown currency 'HRK'"):  # retired in 2023: not offered
        gui_services.profiles.update(gui_services.profile_id, "My channel", "HRK", "")


@pytest.mark.parametrize(
    ("code", "per_usd", "shown"),
    [("JPY", "151.37", "¥9343"), ("KWD", "0.3071", "KWD 18.956"), ("CLP", "941.5", "CLP 58114"),
     ("KZT", "478.12", "KZT 29511.96")],
)  # fmt: skip
def test_cash_on_screen_has_exactly_the_currencys_minor_units(code: str, per_usd: str, shown: str) -> None:
    """12,345 diamonds at 50 % (US$61.725) as a page shows them: converted unrounded, rounded once, drawn with
    the currency's own digits (the offscreen test locale groups nothing)."""
    context = ProfileContext(1, UTC, 5000, DisplayRate(code, Decimal(per_usd)))
    assert cash(context, 12_345).replace(",", "").replace("\u00a0", " ") == shown
