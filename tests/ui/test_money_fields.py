"""Money typed into the GUI under a German locale: read with the locale's separators, shown in its format."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import QDate, QLocale
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from companion.services import Services
from companion.ui.dialogs.economics_settings import EconomicsDialog
from companion.ui.dialogs.payout_dialog import GoalDialog, PayoutDialog
from companion.ui.money_input import amount_text, locale_numbers


@pytest.fixture
def german(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    before = QLocale()
    QLocale.setDefault(QLocale("de_DE"))
    yield
    QLocale.setDefault(before)


def _settings(qtbot: QtBot, services: Services) -> EconomicsDialog:
    dialog = EconomicsDialog(services.economics.state())
    qtbot.addWidget(dialog)
    return dialog


def test_a_paypal_fee_typed_0_35_is_35_cents(qtbot: QtBot, services: Services, german: None) -> None:
    dialog = _settings(qtbot, services)
    assert dialog.cap_edit.text() == "1.000,00"  # the default daily cap US$1,000, in the locale's format
    fixed = dialog.fee_edits["paypal"][1]
    fixed.clear()
    qtbot.keyClicks(fixed, "0,35")
    percent = dialog.fee_edits["paypal"][0]
    percent.clear()
    qtbot.keyClicks(percent, "2,9")
    with qtbot.waitSignal(dialog.save_requested) as blocker:
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    services.economics.save_settings(**blocker.args[0])
    fee = services.economics.fees()["paypal"]
    assert (fee.fixed_cents, fee.percent_bps) == (35, 290)  # was 3500: the comma was dropped
    again = _settings(qtbot, services)
    assert (again.fee_edits["paypal"][0].text(), again.fee_edits["paypal"][1].text()) == ("2,9", "0,35")


def test_a_payout_typed_1_500_50_is_stored_as_such(qtbot: QtBot, services: Services, german: None) -> None:
    dialog = PayoutDialog([], services.context)
    qtbot.addWidget(dialog)
    assert dialog.amount.placeholderText() == "e.g. 250,00"
    qtbot.keyClicks(dialog.amount, "1.500,50")  # was refused: "fractions of a cent"
    with qtbot.waitSignal(dialog.submitted) as blocker:
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    payout = services.payouts.record(**blocker.args[0])
    assert payout.gross_cents == 150_050


def test_a_dotted_amount_in_german_is_refused_in_the_dialog(qtbot: QtBot, services: Services, german: None) -> None:
    dialog = PayoutDialog([], services.context)
    qtbot.addWidget(dialog)
    sent: list[object] = []
    dialog.submitted.connect(sent.append)
    qtbot.keyClicks(dialog.amount, "12.50")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert sent == []
    assert "type 12,50 (or 1.250 for one thousand two hundred fifty)" in dialog.error_label.text()


def test_a_rate_and_a_goal_in_german(qtbot: QtBot, services: Services, german: None) -> None:
    dialog = _settings(qtbot, services)
    assert dialog.rate_day.date() == QDate(2026, 11, 20)  # the profile's today by its clock, not the computer's
    dialog.rate_currency.set_code("KRW")
    dialog.rate_value.setText("1.350")
    with qtbot.waitSignal(dialog.rate_requested) as blocker:
        dialog.add_rate_button.click()
    currency, rate, day = blocker.args
    services.economics.set_rate(currency, rate, day)
    assert services.economics.rates()[0].per_usd == Decimal(1350)  # was 1.35 (the dot dropped)
    goal = GoalDialog("USD", date(2026, 11, 20))
    qtbot.addWidget(goal)
    goal.title.setText("Camera")
    goal.target.setText("2.500")
    with qtbot.waitSignal(goal.submitted) as sent:
        goal.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert services.payouts.add_goal(**sent.args[0]).target_minor == 250_000


def test_locale_numbers_follow_qlocale() -> None:
    assert locale_numbers(QLocale("de_DE")) == locale_numbers(QLocale("pt_BR")) == locale_numbers(QLocale("id_ID"))
    assert (locale_numbers(QLocale("de_DE")).decimal, locale_numbers(QLocale("de_DE")).group) == (",", ".")
    assert locale_numbers(QLocale("en_US")).group == ","
    assert locale_numbers(QLocale.c()).group == ""  # the C locale omits grouping: the command line's rule
    assert amount_text(Decimal("1000"), "USD", QLocale("de_DE")) == "1.000,00"
    assert amount_text(Decimal("1000"), "JPY", QLocale("en_US")) == "1,000"
    assert amount_text(Decimal("1000.5"), "KWD", QLocale("fr_FR")) == "1\u202f000,500"
