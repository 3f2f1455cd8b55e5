"""Gifters page: who sends the most, lifetime diamonds, first and last seen, streams attended, and for one gifter
every stream they were in with their rank among that stream's gifters."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Slot
from PySide6.QtGui import QColor, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from companion.services import Services
from companion.services.context import ProfileContext
from companion.services.history import GifterRow, Gifters, GifterStreamRow
from companion.ui.format import local_date, local_day, local_short, whole
from companion.ui.models.base import RecordTableModel
from companion.ui.pages.base import Page
from companion.ui.tasks import GIFTS, STREAMS, TaskRunner
from companion.ui.widgets.cards import empty_state
from companion.ui.widgets.stat_card import StatCard
from companion.ui.widgets.tables import Selection, record_table


class GifterTableModel(RecordTableModel[GifterRow]):
    HEADERS = ("Gifter", "Diamonds", "Gifts", "Streams", "First seen", "Last seen")
    NUMERIC = frozenset({1, 2, 3})

    def display(self, gifter: GifterRow, column: int) -> str:
        if column == 0:
            return gifter.sender
        if column in self.NUMERIC:
            return whole((gifter.diamonds, gifter.gifts, gifter.streams)[column - 1])
        return local_date(gifter.first_seen if column == 4 else gifter.last_seen, self.context)

    def extra(self, gifter: GifterRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column in (4, 5):
            return local_day(gifter.first_seen if column == 4 else gifter.last_seen, self.context)
        return None


class GifterStreamsModel(RecordTableModel[GifterStreamRow]):
    HEADERS = ("Stream", "Started", "Rank", "Diamonds", "Gifts")
    NUMERIC = frozenset({2, 3, 4})

    def display(self, row: GifterStreamRow, column: int) -> str:
        if column == 0:
            return row.title
        if column == 1:
            return local_short(row.started_at, self.context)
        if column == 2:
            return f"#{row.rank} of {whole(row.gifters)}"
        return whole(row.diamonds if column == 3 else row.gifts)

    def extra(self, row: GifterStreamRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == 2 and row.rank == 1:
            return QColor("#fe2c55")
        return None


class GiftersPage(Page):
    TITLE = "Gifters"
    WATCHES = frozenset({GIFTS, STREAMS})
    LIMIT = 1000  # shown at once; the search finds the rest
    LIST_MIN_WIDTH = 280

    def __init__(
        self, services: Services, tasks: TaskRunner, context: ProfileContext, parent: QWidget | None = None
    ) -> None:
        super().__init__(services, tasks, context, parent)
        self.selected: str | None = None
        self._generation = 0

        title = self.title_label()
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Search gifters…")
        self.search_edit.setAccessibleName("Search gifters")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(240)
        self.count_label = QLabel("")
        self.count_label.setObjectName("muted")
        heading = QHBoxLayout()
        heading.addWidget(title)
        heading.addStretch(1)
        heading.addWidget(self.count_label)
        heading.addWidget(self.search_edit)

        self.gifters_model = GifterTableModel(self)
        self.gifters_model.set_context(context)
        self.gifters_view = record_table(self.gifters_model, wrap=False)
        self.streams_model = GifterStreamsModel(self)
        self.streams_model.set_context(context)
        self.streams_view = record_table(self.streams_model, wrap=False, selection=Selection.NoSelection)

        self.name_label = QLabel("")
        self.name_label.setObjectName("sectionTitle")
        self.seen_label = QLabel("")
        self.seen_label.setObjectName("muted")
        self.seen_label.setWordWrap(True)
        self.diamonds_card = StatCard("lifetime diamonds")
        self.streams_card = StatCard("streams attended")
        self.top_card = StatCard("times top gifter")
        cards = QHBoxLayout()
        cards.setSpacing(12)
        for card in (self.diamonds_card, self.streams_card, self.top_card):
            card.caption_label.setWordWrap(True)  # "times top gifter" wraps rather than widen the detail pane
            cards.addWidget(card)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.setSpacing(10)
        detail_layout.addWidget(self.name_label)
        detail_layout.addWidget(self.seen_label)
        detail_layout.addLayout(cards)
        rank_title = QLabel("Streams and rank among each stream's gifters")
        rank_title.setObjectName("muted")
        detail_layout.addWidget(rank_title)
        detail_layout.addWidget(self.streams_view, 1)

        self.empty_label = empty_state(
            "No gifters yet.\n\nWhen you log a gift with its sender's name, or import gifts, the people who support "
            "you show up here with everything they sent."
        )
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.gifters_view)
        self.splitter.addWidget(detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([560, 520])
        # both panes fit side by side in the smallest window (900 × 560): the list scrolls sideways if it must
        self.gifters_view.setMinimumWidth(self.LIST_MIN_WIDTH)
        self.gifters_view.horizontalHeader().setMinimumSectionSize(60)
        self.splitter.setChildrenCollapsible(False)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty_label)
        self.stack.addWidget(self.splitter)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(14)
        layout.addLayout(heading)
        layout.addWidget(self.stack, 1)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)  # search as you type, without a query per key
        self._search_timer.timeout.connect(self.refresh)
        self.search_edit.textChanged.connect(lambda _text: self._search_timer.start())
        self.gifters_view.selectionModel().selectionChanged.connect(self._selection_changed)

    #: Below this page width the tables cannot show every column: the name columns stop taking the spare width
    #: (as a stretched column it would fill the visible part and push the figures out of sight).
    NARROW = 1000

    def resizeEvent(self, event: QResizeEvent) -> None:
        mode = (
            QHeaderView.ResizeMode.ResizeToContents
            if event.size().width() < self.NARROW
            else QHeaderView.ResizeMode.Stretch
        )
        for view in (self.gifters_view, self.streams_view):
            view.horizontalHeader().setSectionResizeMode(0, mode)
        super().resizeEvent(event)

    def on_shown(self) -> None:
        self._stale = False
        self.refresh()  # every time: the search may find new gifters

    def context_changed(self) -> None:
        self.gifters_model.set_context(self.context)
        self.streams_model.set_context(self.context)

    @Slot()
    def refresh(self) -> None:
        self._generation += 1
        generation = self._generation
        search = self.search_edit.text()
        self.tasks.run(
            lambda: self.services.history.gifters(search, self.LIMIT), lambda g: self._show_gifters(g, generation)
        )

    def _show_gifters(self, gifters: Gifters, generation: int) -> None:
        if generation != self._generation:
            return
        self.gifters_model.set_rows(gifters.rows)
        searching = bool(self.search_edit.text().strip())
        shown = len(gifters.rows)
        more = f", top {whole(shown)} shown" if shown < gifters.total else ""
        self.count_label.setText(f"{whole(gifters.total)} gifter{'s' if gifters.total != 1 else ''}{more}")
        if not gifters.rows and not searching:
            self.stack.setCurrentWidget(self.empty_label)
            return
        self.stack.setCurrentWidget(self.splitter)
        names = [g.sender for g in gifters.rows]
        target = self.selected if self.selected in names else (names[0] if names else None)
        if target is None:
            self.selected = None
            self._show_detail(None, [])
            return
        self.gifters_view.selectionModel().select(
            self.gifters_model.index(names.index(target), 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
        )
        self._load_detail(target)

    @Slot()
    def _selection_changed(self) -> None:
        rows = self.gifters_view.selectionModel().selectedRows()
        if rows:
            sender = self.gifters_model.record_at(rows[0].row()).sender
            if sender != self.selected:
                self._load_detail(sender)

    def _load_detail(self, sender: str) -> None:
        self.selected = sender
        self.tasks.run(
            lambda: self.services.history.gifter_streams(sender), lambda rows: self._show_detail(sender, rows)
        )

    def _show_detail(self, sender: str | None, rows: list[GifterStreamRow]) -> None:
        if sender != self.selected:
            return
        gifter = next((g for g in self.gifters_model.records() if g.sender == sender), None)
        if gifter is None:
            self.name_label.setText("No gifter matches this search." if sender is None else sender)
            self.seen_label.setText("")
            for card in (self.diamonds_card, self.streams_card, self.top_card):
                card.set_value("–")
            self.streams_model.set_rows([])
            return
        self.name_label.setText(gifter.sender)
        self.seen_label.setText(
            f"First seen {local_date(gifter.first_seen, self.context)} · "
            f"last seen {local_date(gifter.last_seen, self.context)} · "
            f"{whole(gifter.gifts)} gifts, {whole(gifter.items)} items"
        )
        self.diamonds_card.set_value(whole(gifter.diamonds))
        self.streams_card.set_value(whole(gifter.streams))
        self.top_card.set_value(whole(sum(1 for r in rows if r.rank == 1)))
        self.streams_model.set_rows(rows)
