"""Gifts page driven by clicks and keys: filters, totals of what is filtered, sorting, rows fetched lazily."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from companion.services import Services
from companion.ui.main_window import MainWindow
from companion.ui.models.lazy_gifts import DIAMONDS, GIFT, SENDER, STREAM, LazyGiftModel
from companion.ui.pages.gifts import GiftsPage
from companion.ui.tasks import GIFTS
from tests.ui.conftest import wait_idle

START = datetime(2026, 10, 1, 18, 0, tzinfo=UTC)


def _import(services: Services, tmp_path: Path, count: int) -> None:
    """`count` gifts, one a minute: senders s0..s9, Rose ×1 or a Galaxy every 10th, two streams."""
    lines = ["received_at,sender,gift,coins_each,count,stream"]
    for n in range(count):
        gift = "Galaxy" if n % 10 == 0 else "Rose"
        stream = "Early" if n < count // 2 else "Late"
        lines.append(f"{(START + timedelta(minutes=n)).isoformat()},s{n % 10},{gift},,1,{stream}")
    path = tmp_path / "gifts.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    services.gifts.import_csv(path)


def _page(qtbot: QtBot, window: MainWindow) -> GiftsPage:
    page = window.show_page("gifts")
    assert isinstance(page, GiftsPage)
    wait_idle(qtbot, window)
    return page


def _column(model: LazyGiftModel, column: int) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_no_gifts_shows_how_to_get_some(qtbot: QtBot, window: MainWindow) -> None:
    page = _page(qtbot, window)
    assert page.stack.currentWidget() is page.empty_label
    assert "Import" in page.empty_label.text()
    assert page.diamonds_card.value_label.text() == "0"


def test_all_gifts_newest_first_with_totals(qtbot: QtBot, window: MainWindow, gui_services: Services,
                                            tmp_path: Path) -> None:  # fmt: skip
    _import(gui_services, tmp_path, 40)
    page = _page(qtbot, window)
    assert page.model.rowCount() == 40
    assert page.model.index(0, SENDER).data() == "s9"  # the 40th gift is the newest
    assert page.model.index(0, STREAM).data() == "Late"
    assert page.diamonds_card.value_label.text() == "4,036"  # 4 Galaxies + 36 Roses
    assert page.cash_card.value_label.text() == "US$20.18"
    assert page.status_label.text() == "40 gifts shown"


def test_filters_by_sender_stream_and_gift_and_totals_follow(
    qtbot: QtBot, window: MainWindow, gui_services: Services, tmp_path: Path
) -> None:
    _import(gui_services, tmp_path, 40)
    page = _page(qtbot, window)
    qtbot.keyClicks(page.sender_edit, "s0")
    qtbot.keyClick(page.sender_edit, Qt.Key.Key_Return)
    wait_idle(qtbot, window)
    assert set(_column(page.model, SENDER)) == {"s0"}
    assert page.diamonds_card.value_label.text() == "4,000"
    page.gift_combo.setCurrentIndex(page.gift_combo.findText("Rose"))
    wait_idle(qtbot, window)
    assert page.stack.currentWidget() is page.empty_label
    assert page.empty_label.text() == "No gifts match these filters."
    qtbot.mouseClick(page.clear_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert page.model.rowCount() == 40
    page.stream_combo.setCurrentIndex(next(i for i in range(page.stream_combo.count())
                                           if page.stream_combo.itemText(i).startswith("Early")))  # fmt: skip
    wait_idle(qtbot, window)
    assert set(_column(page.model, STREAM)) == {"Early"}
    assert page.gifts_card.value_label.text() == "20"


def test_clicking_a_header_sorts_by_that_column(qtbot: QtBot, window: MainWindow, gui_services: Services,
                                               tmp_path: Path) -> None:  # fmt: skip
    _import(gui_services, tmp_path, 30)
    page = _page(qtbot, window)
    header = page.view.horizontalHeader()
    x = header.sectionViewportPosition(DIAMONDS) + header.sectionSize(DIAMONDS) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    wait_idle(qtbot, window)
    first = page.model.index(0, DIAMONDS).data()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    wait_idle(qtbot, window)
    assert {first, page.model.index(0, DIAMONDS).data()} == {"1", "1,000"}
    assert page.selection is not None and page.selection.filter.sort == "diamonds"


def test_rows_are_fetched_a_page_at_a_time_and_the_cache_stays_bounded(
    qtbot: QtBot, window: MainWindow, gui_services: Services, tmp_path: Path
) -> None:
    _import(gui_services, tmp_path, 6000)
    page = _page(qtbot, window)
    model = page.model
    assert model.rowCount() == 6000
    assert model.fetches <= 2  # only what the first screen shows
    page.view.scrollToBottom()
    qtbot.wait(50)
    assert model.index(5999, GIFT).data() == "Galaxy"  # the oldest gift, the first imported
    for row in range(0, 6000, 50):
        model.index(row, SENDER).data()
    assert model.cached_pages <= LazyGiftModel.CACHE_PAGES
    assert model.fetches >= 6000 // LazyGiftModel.PAGE


def test_a_gift_logged_elsewhere_shows_when_the_page_is_shown_again(
    qtbot: QtBot, window: MainWindow, gui_services: Services, tmp_path: Path
) -> None:
    _import(gui_services, tmp_path, 5)
    page = _page(qtbot, window)
    window.show_page("streams")
    wait_idle(qtbot, window)
    gui_services.gifts.log("Lion", 1, "zed")
    window.tasks.announce([GIFTS])  # as every write through `tasks.write` is
    window.show_page("gifts")
    wait_idle(qtbot, window)
    assert page.model.rowCount() == 6
    assert page.model.index(0, SENDER).data() == "zed"


def test_smallest_window_wraps_the_filters_and_hides_dates_unless_custom(
    qtbot: QtBot, window: MainWindow, gui_services: Services, tmp_path: Path
) -> None:
    _import(gui_services, tmp_path, 30)
    window.resize(900, 560)
    page = _page(qtbot, window)
    qtbot.waitUntil(lambda: page.width() < page.NARROW, timeout=3000)
    assert not page.from_edit.isVisible() and not page.to_edit.isVisible()  # "All time": no greyed range
    page.period_combo.setCurrentText("Custom range")
    wait_idle(qtbot, window)
    assert page.from_edit.isVisible() and page.from_edit.isEnabled()
    for widget in page._filter_widgets:
        assert widget.width() >= widget.minimumSizeHint().width(), widget
        assert widget.mapTo(page, widget.rect().topRight()).x() <= page.width(), widget
    assert page.filters.rowCount() == 2


def test_newest_first_draws_a_down_arrow(qtbot: QtBot, window: MainWindow, gui_services: Services,
                                         tmp_path: Path) -> None:  # fmt: skip
    _import(gui_services, tmp_path, 30)
    page = _page(qtbot, window)
    header = page.view.horizontalHeader()
    assert page.selection is not None and page.selection.filter.descending
    # QHeaderView draws AscendingOrder as ▼ (QStyleOptionHeader.SortDown): newest first must show ▼
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
