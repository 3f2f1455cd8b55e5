"""Dashboard, the first page: today / this week / this month / all time, diamonds per day, top gifts, when the
gifts come in, and how steady the income is. Charts are built after the first figures arrive, so QtCharts is
not loaded before the window is up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from companion.services import Services
from companion.services.context import ProfileContext
from companion.services.dashboard import Dashboard, PeriodFigures
from companion.services.stability import Stability
from companion.ui.format import money, whole
from companion.ui.pages.base import Page
from companion.ui.tasks import GIFTS, STREAMS, TaskRunner
from companion.ui.widgets.cards import card_frame, section_title
from companion.ui.widgets.scroll_page import scrolling_layout


@dataclass(frozen=True)
class _Loaded:
    board: Dashboard
    stability: Stability


def hours_text(seconds: int) -> str:
    hours, rest = divmod(max(seconds, 0), 3600)
    return f"{whole(hours)} h {rest // 60:02d} min"


class PeriodCard(QFrame):
    """One period: diamonds big, then cash, live time and diamonds per live hour, one short line each so four
    cards fit side by side in the smallest window."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.title = QLabel(title)
        self.title.setObjectName("cardLabel")
        self.diamonds = QLabel("–")
        self.diamonds.setObjectName("cardValue")
        self.cash = QLabel("")
        self.live = QLabel("")
        self.live.setObjectName("muted")
        self.rate = QLabel("")
        self.rate.setObjectName("muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(2)
        for widget in (self.title, self.diamonds, self.cash, self.live, self.rate):
            widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(widget)

    def show_figures(self, figures: PeriodFigures, currency: str) -> None:
        self.diamonds.setText(whole(figures.diamonds))
        self.cash.setText(f"diamonds · {money(figures.cash, currency)}")
        self.live.setText(f"{hours_text(figures.live_seconds)} live")
        rate = figures.diamonds_per_live_hour
        self.rate.setText(f"{whole(rate)} per live hour" if rate is not None else "not enough live time")


def _panel(*widgets: QWidget) -> QFrame:
    return card_frame(None, *widgets, margins=(14, 10, 14, 10), spacing=None)[0]


class DashboardPage(Page):
    TITLE = "Dashboard"
    WATCHES = frozenset({GIFTS, STREAMS})

    def __init__(
        self, services: Services, tasks: TaskRunner, context: ProfileContext, parent: QWidget | None = None
    ) -> None:
        super().__init__(services, tasks, context, parent)
        self.loaded: _Loaded | None = None
        self.charts: dict[str, Any] = {}
        self.panels: dict[str, QFrame] = {}

        title = self.title_label()
        self.subtitle = QLabel("")
        self.subtitle.setObjectName("muted")
        self.subtitle.setWordWrap(True)
        periods = (("today", "Today"), ("week", "This week"), ("month", "This month"), ("all", "All time"))
        self.cards = {key: PeriodCard(text) for key, text in periods}
        self.cards_grid = QGridLayout()
        self.cards_grid.setSpacing(12)
        self._card_columns = 0
        self._arrange_cards(4)
        self.empty = QLabel(
            "No gifts yet for this profile. Go live on the Streams page and log gifts, or import a CSV "
            "(File → Import gifts), and this page fills with your figures and charts."
        )
        self.empty.setObjectName("emptyState")
        self.empty.setWordWrap(True)
        self.empty.hide()

        self.daily_title = section_title("Diamonds per day, last 90 days")
        self.top_title = section_title("Top gifts by diamonds, last 90 days")
        self.heat_title = section_title("When gifts come in (last 12 months, your local time)")
        self.charts_box = QWidget()
        self.charts_grid = QGridLayout(self.charts_box)
        self.charts_grid.setContentsMargins(0, 0, 0, 0)
        self.charts_grid.setSpacing(12)

        self.stability_title = section_title("How steady is your income?")
        self.weeks_text = QLabel("")
        self.concentration_text = QLabel("")
        self.jumps_text = QLabel("")
        self.jumps_text.setObjectName("gentleFlag")
        self.jumps_text.setStyleSheet(
            "QLabel#gentleFlag { background: #fff6e5; border: 1px solid #f3d9a4; border-radius: 8px; padding: 8px; }"
        )
        for label in (self.weeks_text, self.concentration_text, self.jumps_text):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.stability_panel = _panel(self.stability_title, self.weeks_text, self.concentration_text, self.jumps_text)

        layout = scrolling_layout(self)
        layout.addWidget(title)
        layout.addWidget(self.subtitle)
        layout.addLayout(self.cards_grid)
        layout.addWidget(self.empty)
        layout.addWidget(self.charts_box)
        layout.addWidget(self.stability_panel)
        layout.addStretch(1)

    #: Below this page width the four period cards go two by two, so none is cut off in a small window.
    NARROW = 1000

    def _arrange_cards(self, columns: int) -> None:
        if columns == self._card_columns:
            return
        self._card_columns = columns
        for index, card in enumerate(self.cards.values()):
            self.cards_grid.addWidget(card, index // columns, index % columns)
        for column in range(4):
            self.cards_grid.setColumnStretch(column, 1 if column < columns else 0)
        self._arrange_charts()

    def _arrange_charts(self) -> None:
        """Daily chart on top; top gifts and heatmap side by side, or one under the other when narrow."""
        if not self.panels:
            return
        narrow = self._card_columns < 4
        self.charts_grid.addWidget(self.panels["daily"], 0, 0, 1, 2)
        self.charts_grid.addWidget(self.panels["top"], 1, 0, 1, 1 if not narrow else 2)
        self.charts_grid.addWidget(
            self.panels["heat"], 1 if not narrow else 2, 1 if not narrow else 0, 1, 1 if not narrow else 2
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._arrange_cards(2 if event.size().width() < self.NARROW else 4)
        super().resizeEvent(event)

    # ---- page protocol (on_shown and data_changed come from Page) ------------------------------------------

    def refresh(self) -> None:
        dashboard, stability = self.services.dashboard, self.services.stability
        self.tasks.run(lambda: _Loaded(dashboard.overview(), stability.overview()), self._show)

    # ---- drawing ----------------------------------------------------------------------------------------

    @Slot(object)
    def _show(self, loaded: _Loaded) -> None:
        self.loaded = loaded
        board = loaded.board
        rate = board.rate
        note = f" · {rate.note}" if rate.note else ""
        self.subtitle.setText(
            f"{board.profile.name} · cash at your {rate.share_text} % share, in {rate.currency}{note}"
        )
        for figures in board.periods:
            self.cards[figures.key].show_figures(figures, rate.currency)
        self.empty.setVisible(board.is_empty)
        self.charts_box.setVisible(not board.is_empty)
        self.stability_panel.setVisible(not board.is_empty)
        if board.is_empty:
            return
        self._build_charts()
        self.charts["daily"].set_data(board.days, board.daily, board.average)
        self.charts["top"].set_data([(g.name, g.diamonds) for g in board.top_gifts])
        self.charts["heat"].set_data(board.heatmap)
        found = loaded.stability
        self.weeks_text.setText(found.week_to_week.words)
        self.concentration_text.setText(found.concentration.words)
        self.jumps_text.setText(found.jumps_words)
        self.jumps_text.setVisible(bool(found.jumps))

    def _build_charts(self) -> None:
        if self.charts:
            return
        from companion.ui.widgets.charts import DailyChart, Heatmap, TopGiftsChart  # QtCharts: only now

        self.charts = {"daily": DailyChart(), "top": TopGiftsChart(), "heat": Heatmap()}
        self.panels = {
            "daily": _panel(self.daily_title, self.charts["daily"]),
            "top": _panel(self.top_title, self.charts["top"]),
            "heat": _panel(self.heat_title, self.charts["heat"]),
        }
        self.charts_grid.setColumnStretch(0, 1)
        self.charts_grid.setColumnStretch(1, 1)
        self._arrange_charts()
