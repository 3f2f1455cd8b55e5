"""Payouts page driven like a user: figures shown as bands, payouts recorded (and refused), reconciliation,
settings saved through the dialog, goals added."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox, QScrollArea
from pytestqt.qtbot import QtBot

from companion.services import Services
from companion.ui.main_window import MainWindow
from tests.conftest import FakeClock
from tests.forecast_gen import FAMILY, generate
from tests.services.test_projections_service import bulk_history
from tests.ui.conftest import wait_idle


def _seed(services: Services, days: int = 40, diamonds: int = 2_000) -> None:
    """`diamonds` a day on each of the `days` local days before today (the profile's, by the test's clock)."""
    context = services.context
    today = context.today()
    for back in range(1, days + 1):
        services.gifts.log("Rose", diamonds, "fan", at=context.at_local(today - timedelta(days=back), 12, 0))


def _page(qtbot: QtBot, window: MainWindow) -> Any:
    page = window.show_page("payouts")
    wait_idle(qtbot, window)
    return page


def _ok(dialog: Any) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def _typed_and_ok(qtbot: QtBot, page: Any, button: Any, **fields: str) -> Any:
    """Open the dialog behind `button`, type `fields` (attribute name → text) into it, press OK; the dialog."""
    button.click()
    dialog = page._dialog
    for name, text in fields.items():
        qtbot.keyClicks(getattr(dialog, name), text)
    _ok(dialog)
    return dialog


def test_page_shows_balance_band_what_if_and_chart(qtbot: QtBot, window: MainWindow, gui_services: Services) -> None:
    _seed(gui_services)
    page = _page(qtbot, window)
    assert page.balance_card.value_label.text() == "US$400.00"  # 80,000 × 0.005
    assert "80,000 diamonds" in page.balance_card.caption_label.text()
    month = page.snapshot.month
    assert month.days_left == 10  # the clock says 20 November: no test depends on the day it runs
    assert " – " in page.end_card.value_label.text()  # a steady history: one number, shown as a range all the same
    assert "middle" in page.end_card.caption_label.text()
    assert "lumpy" in page.lumpy_label.text() and "8 in 10 outcomes fall inside" not in page.lumpy_label.text()
    assert page.coverage_label.text().startswith("Rough range: only 40 days of history")  # too short to check
    assert page.what_if_model.rowCount() == 1  # Classic has one level
    assert page.what_if_model.data(page.what_if_model.index(0, 0)).endswith("(yours)")
    assert page.chart is not None and page.chart.band is not None
    assert page.chart.band.upperSeries().count() == month.days_left + 1
    assert page.ledger_empty.isVisibleTo(page) and not page.ledger_view.isVisibleTo(page)


def test_record_a_payout_and_mark_it_paid(qtbot: QtBot, window: MainWindow, gui_services: Services) -> None:
    _seed(gui_services)
    page = _page(qtbot, window)
    dialog = _typed_and_ok(qtbot, page, page.record_button, amount="150.00", notes="first one")
    wait_idle(qtbot, window)
    assert not dialog.isVisible()
    assert page.ledger_model.rowCount() == 1
    assert page.ledger_model.data(page.ledger_model.index(0, 1)) == "requested"
    assert page.balance_card.value_label.text() == "US$250.00"
    page.ledger_view.selectRow(0)
    page.paid_button.click()
    wait_idle(qtbot, window)
    assert gui_services.payouts.ledger()[0].status == "paid"
    assert page.ledger_model.data(page.ledger_model.index(0, 1)) == "paid"


def test_a_negative_payout_is_refused_in_the_dialog(qtbot: QtBot, window: MainWindow, gui_services: Services) -> None:
    _seed(gui_services, days=5)
    page = _page(qtbot, window)
    dialog = _typed_and_ok(qtbot, page, page.record_button, amount="-20")
    wait_idle(qtbot, window)
    assert dialog.isVisible()
    assert "cannot be negative" in dialog.error_label.text()
    assert gui_services.payouts.ledger() == []
    dialog.amount.clear()
    qtbot.keyClicks(dialog.amount, "20")
    _ok(dialog)
    wait_idle(qtbot, window)
    assert not dialog.isVisible() and len(gui_services.payouts.ledger()) == 1


def test_reconciliation_shows_the_gap(qtbot: QtBot, window: MainWindow, gui_services: Services) -> None:
    _seed(gui_services, days=3, diamonds=1_000)
    page = _page(qtbot, window)
    qtbot.keyClicks(page.check_edit, "3,400")
    qtbot.keyClick(page.check_edit, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    text = page.check_label.text()
    assert "TikTok 3,400 · app 3,000" in text and "400 diamonds more (US$2.00)" in text
    qtbot.keyClicks(page.check_edit, "lots")
    page.check_button.click()
    assert "whole number" in page.check_label.text()


def test_settings_dialog_changes_the_level_everywhere(qtbot: QtBot, window: MainWindow, gui_services: Services) -> None:
    _seed(gui_services, days=10, diamonds=1_000)
    page = _page(qtbot, window)
    page.settings_button.click()
    wait_idle(qtbot, window)
    dialog = page._dialog
    dialog.scheme_combo.setCurrentIndex(dialog.scheme_combo.findData("us-scaled-2025-02"))
    dialog.level_combo.setCurrentIndex(dialog.level_combo.findData("Maximum"))
    dialog.cap_edit.setText("-5")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    wait_idle(qtbot, window)
    assert dialog.isVisible() and "daily cap" in dialog.error_label.text()
    assert gui_services.economics.share_bps() == 5000  # nothing changed
    dialog.cap_edit.setText("1000.00")
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    wait_idle(qtbot, window)
    assert not dialog.isVisible()
    assert gui_services.economics.share_bps() == 5300
    assert page.level_card.value_label.text() == "53\u00a0%"
    assert page.what_if_model.rowCount() == 7
    # from today on: the ten days of gifts before it stay at Classic 50 % (issue 14: a level never re-prices history)
    assert page.balance_card.value_label.text() == "US$50.00"
    assert [p.share_bps for p in gui_services.economics.share_history()] == [5000, 5300]


def test_choosing_the_us_scheme_means_per_live_rules_from_the_date_chosen(
    qtbot: QtBot, window: MainWindow, gui_services: Services
) -> None:
    _seed(gui_services, days=10, diamonds=1_000)
    page = _page(qtbot, window)
    page.settings_button.click()
    wait_idle(qtbot, window)
    dialog = page._dialog
    dialog.scheme_combo.setCurrentIndex(dialog.scheme_combo.findData("us-scaled-2025-02"))
    assert dialog.level_combo.currentData() == ""  # per-LIVE rules, not the scheme's 20 % "level"
    assert dialog.level_combo.currentText().startswith("Per-LIVE rules")
    assert dialog.rules_box.isVisibleTo(dialog) and dialog.week_zone_edit.text() == "UTC"
    today = gui_services.economics.today()
    dialog.from_edit.setDate(QDate(today.year, today.month, today.day).addDays(-4))
    dialog.add_period_button.click()
    assert dialog.history_table.rowCount() == 2
    assert dialog.history_table.item(1, 2).text() == "Per-LIVE rules"
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    wait_idle(qtbot, window)
    history = gui_services.economics.share_history()
    assert [(p.scheme_key, p.share_bps) for p in history] == [("classic", 5000), ("us-scaled-2025-02", None)]
    assert history[1].effective_from == today - timedelta(days=4)


def test_add_a_goal(qtbot: QtBot, window: MainWindow, gui_services: Services) -> None:
    _seed(gui_services, days=10)
    page = _page(qtbot, window)
    dialog = _typed_and_ok(qtbot, page, page.add_goal_button, title="Ring light <2>", target="0")
    wait_idle(qtbot, window)
    assert dialog.isVisible() and "more than 0" in dialog.error_label.text()
    dialog.target.setText("250")
    _ok(dialog)
    wait_idle(qtbot, window)
    assert not dialog.isVisible()
    (goal,) = gui_services.payouts.goals()
    assert goal.goal.title == "Ring light <2>"
    texts = [w.text() for w in page.goal_list.findChildren(type(page.lumpy_label)) if "Ring light" in w.text()]
    assert texts and "US$250.00" in texts[0]
    assert "Ring light &lt;2&gt;" in texts[0]  # a title is text, never markup


def test_rates_are_noted_from_the_settings_dialog(qtbot: QtBot, window: MainWindow, gui_services: Services) -> None:
    page = _page(qtbot, window)
    page.settings_button.click()
    wait_idle(qtbot, window)
    dialog = page._dialog
    dialog.rate_currency.set_code("EUR")
    dialog.rate_value.setText("0")
    dialog.add_rate_button.click()
    wait_idle(qtbot, window)
    assert "rate must be more than 0" in dialog.error_label.text()
    assert gui_services.economics.rates() == []
    dialog.rate_value.setText("0.9137")
    dialog.add_rate_button.click()
    wait_idle(qtbot, window)
    assert dialog.rates_table.rowCount() == 1
    assert dialog.rates_table.item(0, 1).text() == "0.9137"
    assert [r.currency for r in gui_services.economics.rates()] == ["EUR"]


def test_custom_levels_are_edited_in_the_dialog(qtbot: QtBot, window: MainWindow, gui_services: Services) -> None:
    page = _page(qtbot, window)
    page.settings_button.click()
    wait_idle(qtbot, window)
    dialog = page._dialog
    dialog.scheme_combo.setCurrentIndex(dialog.scheme_combo.findData("custom"))
    assert dialog.custom_box.isVisibleTo(dialog)
    dialog.add_level_button.click()
    row = dialog.custom_table.rowCount() - 1
    dialog.custom_table.item(row, 0).setText("Agency gold")
    dialog.custom_table.item(row, 1).setText("55")
    dialog.level_combo.setCurrentIndex(dialog.level_combo.findData("Agency gold"))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    wait_idle(qtbot, window)
    assert not dialog.isVisible()
    assert gui_services.economics.current_level().name == "Agency gold"  # type: ignore[union-attr]
    assert page.level_card.value_label.text() == "55\u00a0%"


def test_a_new_creator_sees_what_the_page_will_show(qtbot: QtBot, window: MainWindow) -> None:
    page = _page(qtbot, window)
    assert page.chart is None  # QtCharts not even loaded
    assert "No gifts yet" in page.chart_placeholder.text() and page.chart_placeholder.isVisibleTo(page)
    assert page.end_card.value_label.text() == "–"
    assert "no full day" in page.end_card.caption_label.text()


def test_smallest_window_fits_the_page_width(qtbot: QtBot, window: MainWindow, gui_services: Services) -> None:
    _seed(gui_services)
    window.resize(900, 560)  # MainWindow's minimum size
    page = _page(qtbot, window)
    qtbot.waitUntil(lambda: page.width() < page.NARROW, timeout=3000)
    scroll = page.findChild(QScrollArea)
    viewport = scroll.viewport()
    assert scroll.widget().minimumSizeHint().width() <= viewport.width()  # nothing pushed past the right edge
    for button in (page.settings_button, page.record_button):
        right = button.mapTo(viewport, button.rect().topRight()).x()
        assert 0 < right <= viewport.width()
        assert button.width() >= button.minimumSizeHint().width()
    level_card = page.level_card
    assert level_card.mapTo(viewport, level_card.rect().topRight()).x() <= viewport.width()


def test_level_table_and_card_wording(qtbot: QtBot, window: MainWindow, gui_services: Services) -> None:
    _seed(gui_services, days=3)
    page = _page(qtbot, window)
    yours = page.what_if_model.data(page.what_if_model.index(0, 0))
    assert yours.endswith(" (yours)") and "  " not in yours
    assert page.level_card.value_label.text().endswith("\u00a0%")  # never "50" on one line and "%" on the next


def test_a_check_showing_less_names_both_causes_and_goes_stale_when_a_payout_is_recorded(
    qtbot: QtBot, window: MainWindow, gui_services: Services, clock: FakeClock
) -> None:
    _seed(gui_services, days=3, diamonds=1_000)
    page = _page(qtbot, window)
    qtbot.keyClicks(page.check_edit, "1000")
    qtbot.keyClick(page.check_edit, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    text = page.check_label.text()
    assert "2,000 diamonds less" in text
    assert "Withdrawals not recorded here" in text and "Gifts not logged here" in text
    assert "Out of date" not in text
    clock.advance(minutes=5)
    window.tasks.write(lambda: gui_services.payouts.record("10.00"), touches=("payouts",))  # 2,000 diamonds
    wait_idle(qtbot, window)
    assert page.check_label.text().startswith("Out of date — last check")
    assert "the app's balance is 1,000 now" in page.check_label.text()


def test_a_long_history_shows_what_the_range_held(qtbot: QtBot, window: MainWindow, gui_services: Services) -> None:
    """Two years of whale-night income: the page says how often the month-end range held in that past."""
    today = gui_services.context.today()
    days = generate(FAMILY["whales"], today - timedelta(days=730), 730, seed=4)
    bulk_history(gui_services, days, today - timedelta(days=1))
    page = _page(qtbot, window)
    month = page.snapshot.month
    assert month.calibration == "calibrated" and month.coverage is not None
    text = page.coverage_label.text()
    assert text.startswith(f"In your history, a range drawn this way held {month.coverage.held} of your last ")
    assert f"stretches of {month.days_left} days" in text and "One big night can add US$" in text
    assert page.coverage_label.isVisibleTo(page)
