"""Gifts page: every gift ever logged or imported, filtered by dates, stream, sender and gift, sorted by any
column, with what the filter adds up to. Smooth at a million gifts: see companion/ui/models/lazy_gifts.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QDate, QStringListModel, Qt, QTimer, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from companion.domain.models import Stream
from companion.services import Services
from companion.services.context import ProfileContext
from companion.services.history import NO_STREAM, GiftFilter, GiftSelection
from companion.ui.format import cash, local_short, percent, whole
from companion.ui.models.lazy_gifts import (
    COUNT,
    GIFT,
    SENDER,
    SORT_KEYS,
    STREAM,
    TIME,
    LazyGiftModel,
    indicator_order,
)
from companion.ui.pages.base import Page
from companion.ui.tasks import CATALOG, GIFTS, STREAMS, Changes, TaskRunner
from companion.ui.widgets.cards import empty_state
from companion.ui.widgets.stat_card import StatCard

PERIODS = ("All time", "Today", "Last 7 days", "Last 30 days", "This month", "Custom range")
_COLUMN_WIDTHS = {TIME: 140, STREAM: 190, SENDER: 170, GIFT: 150, COUNT: 70}


@dataclass(frozen=True)
class _Lists:
    streams: list[Stream]
    senders: list[str]
    gift_names: list[str]


def period_range(period: str, today: date, first: date, last: date) -> tuple[date | None, date | None]:
    """Local dates (both inclusive) of a period of the picker; the custom range uses `first`..`last`."""
    if period == "Today":
        return today, today
    if period == "Last 7 days":
        return today - timedelta(days=6), today
    if period == "Last 30 days":
        return today - timedelta(days=29), today
    if period == "This month":
        return today.replace(day=1), today
    if period == "Custom range":
        return first, last
    return None, None


class GiftsPage(Page):
    TITLE = "Gifts"
    WATCHES = frozenset({GIFTS, STREAMS, CATALOG})

    def __init__(
        self, services: Services, tasks: TaskRunner, context: ProfileContext, parent: QWidget | None = None
    ) -> None:
        super().__init__(services, tasks, context, parent)
        self.selection: GiftSelection | None = None
        self._generation = 0  # results of an older query are dropped
        self._lists_loaded = False
        self._sort = ("time", True)
        self._titles: dict[int, str] = {}

        title = self.title_label()
        self.status_label = QLabel("")
        self.status_label.setObjectName("muted")
        heading = QHBoxLayout()
        heading.addWidget(title)
        heading.addStretch(1)
        heading.addWidget(self.status_label)

        self.period_combo = QComboBox()
        self.period_combo.addItems(PERIODS)
        self.period_combo.setAccessibleName("Period")
        today = QDate(context.today())  # the profile's day, not the computer's
        self.from_edit = QDateEdit(today.addDays(-30))
        self.to_edit = QDateEdit(today)
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.stream_combo = QComboBox()
        self.stream_combo.setAccessibleName("Stream")
        self.stream_combo.setMinimumWidth(200)
        self.stream_combo.addItem("All streams", None)
        self.sender_edit = QLineEdit()
        self.sender_edit.setPlaceholderText("Any sender")
        self.sender_edit.setAccessibleName("Sender")
        self.sender_edit.setClearButtonEnabled(True)
        self._sender_names = QStringListModel(self)
        completer = QCompleter(self._sender_names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.sender_edit.setCompleter(completer)
        self.gift_combo = QComboBox()
        self.gift_combo.setAccessibleName("Gift")
        self.gift_combo.setMinimumWidth(150)
        self.gift_combo.addItem("All gifts", None)
        self.clear_button = QPushButton("Clear filters")
        self.to_label = QLabel("to")
        self.filters = QGridLayout()
        self.filters.setHorizontalSpacing(8)
        self._filter_widgets = (self.period_combo, self.from_edit, self.to_label, self.to_edit, self.stream_combo,
                                self.sender_edit, self.gift_combo, self.clear_button)  # fmt: skip
        self._filter_columns = 0
        self._arrange_filters(len(self._filter_widgets))
        self._show_dates(False)

        self.gifts_card = StatCard("gifts")
        self.diamonds_card = StatCard("diamonds")
        self.cash_card = StatCard("cash")
        cards = QHBoxLayout()
        cards.setSpacing(12)
        for card in (self.diamonds_card, self.cash_card, self.gifts_card):
            cards.addWidget(card)

        self.model = LazyGiftModel(services.history.rows, self)
        self.model.set_context(context)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        rows = self.view.verticalHeader()
        rows.setVisible(False)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # never measure a million rows
        rows.setDefaultSectionSize(28)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in _COLUMN_WIDTHS.items():
            header.resizeSection(column, width)
        header.setSortIndicator(TIME, indicator_order(True))
        self.view.setSortingEnabled(True)
        self.empty_label = empty_state()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(self.view)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(14)
        layout.addLayout(heading)
        layout.addLayout(self.filters)
        layout.addLayout(cards)
        layout.addWidget(self.stack, 1)

        self.period_combo.currentIndexChanged.connect(self._period_changed)
        for edit in (self.from_edit, self.to_edit):
            edit.dateChanged.connect(self.apply_filter)
        self.stream_combo.currentIndexChanged.connect(self.apply_filter)
        self.gift_combo.currentIndexChanged.connect(self.apply_filter)
        self.sender_edit.editingFinished.connect(self._sender_changed)
        completer.activated.connect(self._sender_changed)
        # as you type, once typing pauses (a query per key would queue up behind each other at a million gifts)
        self._sender_pause = QTimer(self, singleShot=True, interval=self.TYPING_PAUSE_MS)
        self._sender_pause.timeout.connect(self._sender_changed)
        self.sender_edit.textChanged.connect(lambda _text: self._sender_pause.start())
        self.clear_button.clicked.connect(self.clear_filters)
        self.model.sort_requested.connect(self._sort_requested)
        self._last_sender = ""

    #: The sender search runs when typing pauses this long.
    TYPING_PAUSE_MS = 250

    #: Below this page width the filters take two rows (period and dates, then stream, sender and gift), so
    #: none is cut off in the smallest window (900 × 560).
    NARROW = 1000

    def _arrange_filters(self, columns: int) -> None:
        if columns == self._filter_columns:
            return
        self._filter_columns = columns
        for widget in self._filter_widgets:
            self.filters.removeWidget(widget)
        for column in range(len(self._filter_widgets) + 1):
            self.filters.setColumnStretch(column, 0)
        for index, widget in enumerate(self._filter_widgets):
            self.filters.addWidget(widget, index // columns, index % columns)
        self.filters.setColumnStretch(columns, 1)  # the filters keep to the left

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._arrange_filters(len(self._filter_widgets) if event.size().width() >= self.NARROW else 4)
        super().resizeEvent(event)

    def _show_dates(self, custom: bool) -> None:
        """The date range is only shown for "Custom range": a greyed range under "All time" read as a filter."""
        for widget in (self.from_edit, self.to_label, self.to_edit):
            widget.setEnabled(custom)
            widget.setVisible(custom)

    # ---- page protocol -------------------------------------------------------------------------------------

    def refresh(self) -> None:
        self.apply_filter()
        if not self._lists_loaded:
            self._load_lists()  # the filter lists after the gifts (the worker runs one job at a time)

    def data_changed(self, changes: Changes) -> None:
        if changes.touched(self.WATCHES):
            self._lists_loaded = False
        super().data_changed(changes)

    def context_changed(self) -> None:
        self.model.set_context(self.context)
        self._lists_loaded = False  # stream names carry local times

    # ---- filter --------------------------------------------------------------------------------------------

    def current_filter(self) -> GiftFilter:
        today = self.context.today()  # "Today" is read in the profile's zone, so it is the profile's today
        first, last = period_range(
            self.period_combo.currentText(), today, self.from_edit.date().toPython(), self.to_edit.date().toPython()
        )  # type: ignore[arg-type]
        return GiftFilter(
            first=first,
            last=last,
            stream_id=self.stream_combo.currentData(),
            sender_contains=self.sender_edit.text().strip(),
            gift=self.gift_combo.currentData(),
            sort=self._sort[0],
            descending=self._sort[1],
        )

    @Slot()
    def apply_filter(self) -> None:
        self._generation += 1
        generation = self._generation
        gift_filter = self.current_filter()
        self.status_label.setText("Loading…")
        self.tasks.run(
            lambda: self.services.history.select(gift_filter),
            lambda selection: self._show(selection, generation),
            self._failed,
        )

    @Slot()
    def clear_filters(self) -> None:
        widgets = (self.period_combo, self.stream_combo, self.gift_combo, self.sender_edit)
        for widget in widgets:
            widget.blockSignals(True)
        self.period_combo.setCurrentIndex(0)
        self.stream_combo.setCurrentIndex(0)
        self.gift_combo.setCurrentIndex(0)
        self.sender_edit.clear()
        self._last_sender = ""
        for widget in widgets:
            widget.blockSignals(False)
        self._period_changed()

    @Slot()
    def _period_changed(self) -> None:
        self._show_dates(self.period_combo.currentText() == "Custom range")
        self.apply_filter()

    @Slot()
    def _sender_changed(self) -> None:
        self._sender_pause.stop()
        sender = self.sender_edit.text().strip()
        if sender != self._last_sender:
            self._last_sender = sender
            self.apply_filter()

    @Slot(str, bool)
    def _sort_requested(self, key: str, descending: bool) -> None:
        if (key, descending) != self._sort:
            self._sort = (key, descending)
            self.apply_filter()

    def _failed(self, exc: BaseException) -> None:
        self.status_label.setText("")
        self.tasks.report_error(exc)

    # ---- results -------------------------------------------------------------------------------------------

    def _load_lists(self) -> None:
        services = self.services

        def load() -> _Lists:
            return _Lists(services.streams.recent(1_000_000), services.gifts.senders(), services.history.gift_names())

        self.tasks.run(load, self._show_lists)

    def _show_lists(self, lists: _Lists) -> None:
        self._lists_loaded = True
        self._titles = {s.id: s.title for s in lists.streams}
        self._sender_names.setStringList(lists.senders)
        chosen_stream, chosen_gift = self.stream_combo.currentData(), self.gift_combo.currentData()
        for combo in (self.stream_combo, self.gift_combo):
            combo.blockSignals(True)
        self.stream_combo.clear()
        self.stream_combo.addItem("All streams", None)
        self.stream_combo.addItem("No stream", NO_STREAM)
        for stream in lists.streams:
            self.stream_combo.addItem(f"{stream.title} · {local_short(stream.started_at, self.context)}", stream.id)
        self.gift_combo.clear()
        self.gift_combo.addItem("All gifts", None)
        for name in lists.gift_names:
            self.gift_combo.addItem(name, name)
        self.stream_combo.setCurrentIndex(max(0, self.stream_combo.findData(chosen_stream)))
        self.gift_combo.setCurrentIndex(max(0, self.gift_combo.findData(chosen_gift)))
        for combo in (self.stream_combo, self.gift_combo):
            combo.blockSignals(False)
        self.model.set_stream_titles(self._titles)
        if (self.stream_combo.currentData(), self.gift_combo.currentData()) != (chosen_stream, chosen_gift):
            self.apply_filter()  # the stream or gift chosen is gone

    def show_stream(self, stream_id: int) -> None:
        """Filter to one stream (other pages link here)."""
        index = self.stream_combo.findData(stream_id)
        if index >= 0:
            self.stream_combo.setCurrentIndex(index)

    def _show(self, selection: GiftSelection, generation: int) -> None:
        if generation != self._generation:
            return  # a newer filter is on its way
        self.selection = selection
        self.model.set_ids(selection.ids, self._titles)
        column = SORT_KEYS.index(selection.filter.sort)
        header = self.view.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(column, indicator_order(selection.filter.descending))
        header.blockSignals(False)
        totals = selection.totals
        self.diamonds_card.set_value(whole(totals.diamonds))
        self.cash_card.set_value(
            cash(self.context, totals.diamonds, selection.share_bps), f"cash at {percent(selection.share_bps)} share"
        )
        self.gifts_card.set_value(whole(totals.gifts), f"gifts · {whole(totals.items)} items")
        count = len(selection.ids)
        self.status_label.setText(f"{whole(count)} gift{'s' if count != 1 else ''} shown")
        if count:
            self.stack.setCurrentWidget(self.view)
            return
        filtered = selection.filter != GiftFilter(sort=selection.filter.sort, descending=selection.filter.descending)
        self.empty_label.setText(
            "No gifts match these filters." if filtered else
            "No gifts yet. Log them on the Streams page while you are live, or import a CSV (File → Import)."
        )  # fmt: skip
        self.stack.setCurrentWidget(self.empty_label)
