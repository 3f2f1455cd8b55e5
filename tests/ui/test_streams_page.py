"""The first slice, driven like a creator would: go live, log gifts with the picker, see totals, end."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import QDateTimeEdit, QDialog, QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from companion.credentials.memory import InMemoryCredentialStore
from companion.domain.models import Stream
from companion.services import Services, build_services
from companion.services.context import ProfileContext
from companion.store.db import Database
from companion.ui.dialogs.edit_stream import EditStreamDialog, delete_question
from companion.ui.main_window import MainWindow
from companion.ui.models.streams_table import DIAMONDS, PER_HOUR
from companion.ui.pages import streams as streams_module
from tests.conftest import CATALOG, FakeClock
from tests.ui.conftest import wait_idle


@pytest.fixture(autouse=True)
def streams_shown(qtbot: QtBot, window: MainWindow) -> None:
    """These tests start on the Streams page, whichever page the window opens on."""
    window.show_page("streams")
    wait_idle(qtbot, window)


def go_live(qtbot: QtBot, win: MainWindow, title: str = "Friday night") -> None:
    win.show_page("streams")
    page = win.streams_page
    qtbot.keyClicks(page.title_edit, title)
    qtbot.mouseClick(page.go_live_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, win)


def log_gift(qtbot: QtBot, win: MainWindow, gift: str, count: int = 1, sender: str = "") -> None:
    picker = win.streams_page.detail.picker
    picker.gift_edit.clear()
    qtbot.keyClicks(picker.gift_edit, gift)
    picker.count_edit.selectAll()
    qtbot.keyClicks(picker.count_edit, str(count))
    if sender:
        qtbot.keyClicks(picker.sender_edit, sender)
    qtbot.keyClick(picker.gift_edit, Qt.Key.Key_Return)
    wait_idle(qtbot, win)


def test_new_user_sees_welcome_and_no_empty_list(window: MainWindow) -> None:
    page = window.streams_page
    assert page.right.currentWidget() is page.welcome_box
    assert "Go live" in page.welcome.text()
    assert not page.streams_view.isVisible()
    assert page.go_live_button.isVisible() and not page.end_button.isVisible()
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles.index("Streams") < titles.index("Gifts") < titles.index("Gifters")


def test_go_live_starts_timer_and_lists_stream(
    qtbot: QtBot, window: MainWindow, gui_services: Services, clock: FakeClock
) -> None:
    go_live(qtbot, window)
    page = window.streams_page
    assert page.live_badge.isVisible() and page.end_button.isVisible()
    assert not page.go_live_button.isVisible()
    live = gui_services.streams.live()
    assert live is not None and live.title == "Friday night"
    assert page.streams_model.rowCount() == 1
    assert page.detail.picker_box.isVisible()
    assert page.timer_label.text() == "0:00:00"
    clock.advance(seconds=75)  # the timer reads the profile's clock: the test's
    qtbot.waitUntil(lambda: page.timer_label.text() == "0:01:15", timeout=3000)


def test_log_gifts_with_picker_updates_table_and_totals(qtbot: QtBot, window: MainWindow) -> None:
    go_live(qtbot, window)
    log_gift(qtbot, window, "rose", 5, "amy")
    log_gift(qtbot, window, "Lion", 1, "bob")
    detail = window.streams_page.detail
    assert detail.gifts_model.rowCount() == 2
    newest = [detail.gifts_model.index(0, c).data() for c in range(6)]
    assert newest[1:] == ["bob", "Lion", "1", "29,999", "29,999"]
    assert detail.diamonds_card.value_label.text() == "30,004"
    assert detail.cash_card.value_label.text() == "US$150.02"  # 30,004 × $0.005, rounded once
    assert "50 %" in detail.cash_card.caption_label.text()
    assert detail.gifts_card.value_label.text() == "2"
    assert "6 items" in detail.gifts_card.caption_label.text()
    # the picker is ready for the next gift: count back to 1, sender cleared
    assert detail.picker.count_edit.value() == 1 and detail.picker.sender_edit.text() == ""


def test_gift_not_in_catalog_cannot_be_logged(qtbot: QtBot, window: MainWindow, gui_services: Services) -> None:
    go_live(qtbot, window)
    picker = window.streams_page.detail.picker
    qtbot.keyClicks(picker.gift_edit, "Not A Real Gift")
    assert not picker.log_button.isEnabled()
    assert picker.price_label.text() == "not in the catalog"
    qtbot.keyClick(picker.gift_edit, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    assert gui_services.reports.summary().totals.gifts == 0


def test_picker_shows_price_and_diamonds_for_count(qtbot: QtBot, window: MainWindow) -> None:
    go_live(qtbot, window)
    picker = window.streams_page.detail.picker
    qtbot.keyClicks(picker.gift_edit, "galaxy")
    picker.count_edit.setValue(3)
    assert picker.price_label.text() == "1,000 coins · 3,000 diamonds"
    assert picker.log_button.isEnabled()


def test_sender_autocomplete_offers_known_gifters(qtbot: QtBot, window: MainWindow) -> None:
    go_live(qtbot, window)
    log_gift(qtbot, window, "Rose", 1, "generous_gina")
    completer = window.streams_page.detail.picker.sender_edit.completer()
    completer.setCompletionPrefix("gina")
    assert completer.currentCompletion() == "generous_gina"


def test_undo_removes_last_gift(qtbot: QtBot, window: MainWindow, gui_services: Services) -> None:
    go_live(qtbot, window)
    log_gift(qtbot, window, "Rose", 2, "amy")
    log_gift(qtbot, window, "Galaxy", 1, "bob")
    page = window.streams_page
    assert page.detail.undo_button.isEnabled()
    qtbot.keyClick(page.detail.picker.gift_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    wait_idle(qtbot, window)
    assert gui_services.reports.summary().totals.diamonds == 2
    assert page.detail.gifts_model.rowCount() == 1
    assert page.detail.diamonds_card.value_label.text() == "2"
    assert not page.detail.undo_button.isEnabled()


def test_end_stream_keeps_it_in_history(qtbot: QtBot, window: MainWindow, gui_services: Services) -> None:
    go_live(qtbot, window)
    log_gift(qtbot, window, "Finger Heart", 4, "amy")
    page = window.streams_page
    qtbot.mouseClick(page.end_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert gui_services.streams.live() is None
    assert page.go_live_button.isVisible() and not page.live_badge.isVisible()
    assert not page.detail.picker_box.isVisible()
    assert page.detail.diamonds_card.value_label.text() == "20"
    assert "lasted" in page.detail.when_label.text()
    assert page.streams_model.index(0, DIAMONDS).data() == "20"


def test_selecting_a_past_stream_shows_its_gifts(qtbot: QtBot, window: MainWindow) -> None:
    go_live(qtbot, window, "First")
    log_gift(qtbot, window, "Rose", 1, "amy")
    qtbot.mouseClick(window.streams_page.end_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    go_live(qtbot, window, "Second")
    page = window.streams_page
    assert page.detail.title_label.text() == "Second"
    assert page.detail.gifts_model.rowCount() == 0
    assert page.detail.gifts_stack.currentWidget() is page.detail.empty_label
    model = page.streams_model
    page.streams_view.selectRow(next(i for i in range(model.rowCount()) if model.record_at(i).stream.title == "First"))
    wait_idle(qtbot, window)
    assert page.detail.title_label.text() == "First"
    assert page.detail.gifts_model.rowCount() == 1


def test_going_live_elsewhere_first_shows_a_clear_message(
    qtbot: QtBot, window: MainWindow, gui_services: Services, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    gui_services.streams.go_live("started from the command line")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    go_live(qtbot, window)
    assert shown and "already live" in shown[0]
    assert window.streams_page.go_live_button.isEnabled()


def test_undo_pressed_while_the_gift_is_still_saving_removes_that_gift(
    qtbot: QtBot, window: MainWindow, gui_services: Services
) -> None:
    go_live(qtbot, window)
    log_gift(qtbot, window, "Rose", 2, "amy")
    picker = window.streams_page.detail.picker
    picker.gift_edit.clear()
    qtbot.keyClicks(picker.gift_edit, "Galaxy")
    qtbot.keyClick(picker.gift_edit, Qt.Key.Key_Return)  # saving starts on the worker thread…
    qtbot.keyClick(picker.gift_edit, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # …and undo comes at once
    wait_idle(qtbot, window)
    assert [g.gift_name for g in gui_services.gifts.for_stream(gui_services.streams.live().id)] == ["Rose"]  # type: ignore[union-attr]


def test_a_finished_save_does_not_pull_focus_from_the_sender_field(qtbot: QtBot, window: MainWindow) -> None:
    go_live(qtbot, window)
    window.activateWindow()
    picker = window.streams_page.detail.picker
    qtbot.waitUntil(picker.gift_edit.hasFocus, timeout=3000)  # right after going live the gift field is ready
    qtbot.keyClicks(picker.gift_edit, "Rose")
    qtbot.keyClick(picker.gift_edit, Qt.Key.Key_Return)
    picker.sender_edit.setFocus()
    qtbot.keyClicks(picker.sender_edit, "next_sen")
    wait_idle(qtbot, window)
    assert picker.sender_edit.hasFocus()
    assert picker.sender_edit.text() == "next_sen"


# ---- streams table, editing and deleting ------------------------------------------------------------------


def _past_stream(qtbot: QtBot, win: MainWindow, title: str = "Past") -> None:
    go_live(qtbot, win, title)
    log_gift(qtbot, win, "Rose", 3, "amy")
    qtbot.mouseClick(win.streams_page.end_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, win)


def test_streams_table_shows_duration_gifts_cash_and_rate(qtbot: QtBot, window: MainWindow) -> None:
    _past_stream(qtbot, window)
    model = window.streams_page.streams_model
    assert model.headerData(PER_HOUR, Qt.Orientation.Horizontal) == "Diamonds / hour"
    row = [model.index(0, c).data() for c in range(model.columnCount())]
    assert row[0] == "Past" and row[2].startswith("0:00:0") and row[3:6] == ["1", "3", "US$0.02"]
    assert row[PER_HOUR] == "–"  # a stream of a few seconds has no meaningful hourly rate


def test_edit_a_past_stream_in_the_dialog(qtbot: QtBot, window: MainWindow, gui_services: Services) -> None:
    _past_stream(qtbot, window)
    page = window.streams_page
    qtbot.mouseClick(page.detail.edit_button, Qt.MouseButton.LeftButton)
    dialog = page.edit_dialog
    assert dialog.isVisible() and dialog.end_edit.isEnabled()
    dialog.title_edit.selectAll()
    qtbot.keyClicks(dialog.title_edit, "Renamed")
    qtbot.keyClicks(dialog.peak_edit, "450")
    qtbot.keyClicks(dialog.notes_edit, "collab with kai")
    # an end before the start is refused in the dialog, which stays open with what was typed
    dialog.end_edit.setDateTime(dialog.start_edit.dateTime().addSecs(-3600))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    wait_idle(qtbot, window)
    assert dialog.isVisible() and "ends before it starts" in dialog.error_label.text()
    assert gui_services.streams.recent()[0].title == "Past"
    ended = gui_services.streams.recent()[0].ended_at
    dialog.end_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(ended.timestamp())))  # type: ignore[union-attr]
    dialog.start_edit.setDateTime(dialog.end_edit.dateTime().addSecs(-3600))
    closed: list[int] = []
    dialog.finished.connect(closed.append)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    wait_idle(qtbot, window)
    assert closed == [QDialog.DialogCode.Accepted]
    stream = gui_services.streams.recent()[0]
    assert (stream.title, stream.peak_viewers, stream.notes) == ("Renamed", 450, "collab with kai")
    assert page.streams_model.index(0, 0).data() == "Renamed"
    assert page.streams_model.index(0, 2).data() == "1:00:00"
    assert "peak 450 viewers" in page.detail.notes_label.text()


def test_delete_asks_about_its_gifts_and_can_keep_them(
    qtbot: QtBot, window: MainWindow, gui_services: Services, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    _past_stream(qtbot, window)
    page = window.streams_page
    box = delete_question(gui_services.streams.recent()[0], 1)
    choices = sorted(b.text() for b in box.buttons())
    assert choices == ["Cancel", "Delete stream and 1 gift", "Delete stream, keep gifts"]
    asked: list[int] = []
    monkeypatch.setattr(streams_module, "ask_delete", lambda stream, gifts, parent: asked.append(gifts) or False)
    qtbot.mouseClick(page.detail.delete_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert asked == [1]
    assert gui_services.streams.recent() == []
    assert gui_services.reports.summary().totals.diamonds == 3  # the gift stays, without a stream
    assert page.right.currentWidget() is page.welcome_box


def test_delete_with_its_gifts_and_cancel(
    qtbot: QtBot, window: MainWindow, gui_services: Services, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    _past_stream(qtbot, window)
    page = window.streams_page
    monkeypatch.setattr(streams_module, "ask_delete", lambda stream, gifts, parent: None)
    qtbot.mouseClick(page.detail.delete_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert len(gui_services.streams.recent()) == 1
    monkeypatch.setattr(streams_module, "ask_delete", lambda stream, gifts, parent: True)
    qtbot.mouseClick(page.detail.delete_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert gui_services.streams.recent() == []
    assert gui_services.reports.summary().totals.gifts == 0


def test_the_live_stream_has_no_delete_button(qtbot: QtBot, window: MainWindow) -> None:
    go_live(qtbot, window)
    assert not window.streams_page.detail.delete_button.isVisible()
    assert window.streams_page.detail.edit_button.isVisible()


def test_edit_dialog_shows_and_reads_times_in_the_profiles_zone(qtbot: QtBot, computer_zone) -> None:
    """The computer runs in New York; the profile lives in Tokyo (UTC+9, no DST): the dialog shows Tokyo wall time
    and reads what is typed as Tokyo wall time (round trip)."""
    computer_zone("America/New_York")
    start = datetime(2026, 11, 26, 0, 56, 30, tzinfo=UTC)
    stream = Stream(1, 1, "Late chat", start, start.replace(hour=2))
    dialog = EditStreamDialog(stream, ProfileContext(1, ZoneInfo("Asia/Tokyo"), 5000))
    qtbot.addWidget(dialog)
    assert dialog.start_edit.text() == "2026-11-26 09:56"
    assert dialog.edit().started_at == start  # untouched: the exact instant comes back
    assert dialog.end_edit.text() == "2026-11-26 11:56"
    dialog.end_edit.setTime(dialog.end_edit.time().addSecs(3600))  # 11:56 → 12:56 Tokyo time
    assert dialog.edit().ended_at == datetime(2026, 11, 26, 3, 56, 30, tzinfo=UTC)


def test_edit_dialog_in_new_york_with_the_profile_zone_empty(
    qtbot: QtBot, computer_zone, db: Database, clock: FakeClock
) -> None:
    """Issue 13: a stream that started 19:05 in New York (the profile's zone empty = the computer's) showed 14:05,
    and typing 15:12 as its end was refused as "before the start"."""
    computer_zone("America/New_York")
    services = build_services(db, CATALOG, clock=clock, credentials=InMemoryCredentialStore())
    clock.now = datetime(2026, 11, 21, 0, 5, tzinfo=UTC)  # 19:05 on the 20th in New York
    services.streams.go_live("Evening")
    clock.advance(minutes=30)
    stream = services.streams.end()
    clock.advance(hours=2)
    dialog = EditStreamDialog(stream, services.context)
    qtbot.addWidget(dialog)
    assert dialog.start_edit.text() == "2026-11-20 19:05"
    assert dialog.end_edit.text() == "2026-11-20 19:35"
    dialog.show()
    for section, typed in ((QDateTimeEdit.Section.HourSection, "20"), (QDateTimeEdit.Section.MinuteSection, "12")):
        dialog.end_edit.setSelectedSection(section)
        qtbot.keyClicks(dialog.end_edit, typed)  # as typed over the hour, then the minutes
    assert dialog.end_edit.text() == "2026-11-20 20:12"
    change = dialog.edit()
    assert change.started_at == stream.started_at
    assert change.ended_at == datetime(2026, 11, 21, 1, 12, tzinfo=UTC)
    assert services.streams.edit(stream.id, change).ended_at == change.ended_at


def test_cash_shows_in_the_profiles_currency_when_a_rate_is_noted(qtbot: QtBot, gui_services: Services) -> None:
    """Streams, like the Dashboard and Payouts, show cash in the profile's currency: 1,000 diamonds at 50 % are
    US$5.00, at 0.92 € per US$ that is €4.60 (converted once, from the unrounded US-dollar amount)."""
    gui_services.profiles.update(gui_services.profile_id, "Luna", "EUR", "")
    gui_services.economics.set_rate("EUR", "0.92", date(2026, 1, 1))
    gui_services.streams.go_live("Euro night")
    gui_services.gifts.log("Rose", 1000, "luna")
    win = MainWindow(gui_services.reopen(None))
    qtbot.addWidget(win)
    try:
        page = win.show_page("streams")
        win.show()
        wait_idle(qtbot, win)
        cash_column = page.streams_model.HEADERS.index("Cash")
        assert page.streams_model.index(0, cash_column).data() == "€4.60"
    finally:
        win.tasks.shutdown()
