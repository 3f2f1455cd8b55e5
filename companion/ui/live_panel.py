"""Live mode: a compact window that can stay on top of the TikTok LIVE studio, for logging gifts one-handed.

Digits 1–9 log a favourite (Ctrl+digit works even while typing in a field), Enter logs the gift typed in the
search, Ctrl+Z undoes the gift logged last, Esc leaves a field so digits pick favourites again. Totals change
the moment a gift is saved (added locally), then the stream's true totals and top gifters are re-read. Under
per-LIVE rules a line says what share this LIVE is on track for and what would lift it; new followers and peak
viewers are typed here during the LIVE."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion.domain.catalog import gift_key
from companion.domain.economics import GiftTotals, share_percent_text
from companion.domain.models import CatalogGift, GiftEvent, Stream
from companion.domain.timeutil import format_duration
from companion.services import Services
from companion.services.context import ProfileContext
from companion.services.history import StreamGifterRow
from companion.services.tracking import MAX_FAVOURITES, OnTrack
from companion.ui.format import cash, whole
from companion.ui.tasks import STREAMS, TaskRunner
from companion.ui.widgets.gift_logger import GiftLogger
from companion.ui.widgets.gift_picker import GiftPicker
from companion.ui.widgets.stat_card import StatCard

TOP_GIFTERS = 5


@dataclass(frozen=True)
class _Figures:
    stream_id: int
    totals: GiftTotals
    share_bps: int
    top: list[StreamGifterRow]
    track: OnTrack | None = None


def on_track_text(track: OnTrack | None) -> str:
    """'On track for 40 % (26 min → 38 %; …) · to lift it: 2 more new followers → +2 %'."""
    if track is None:
        return ""
    head = f"On track for {share_percent_text(track.share.share_bps)} %"
    if not track.rule_based:
        return f"{head} ({track.share.explanation})"
    lift = f" · to lift it: {', '.join(track.lifts)}" if track.lifts else " · every mission done"
    return f"{head} ({track.share.explanation}){lift}"


class LivePanel(QWidget):
    """Built by the Streams page; shares its `GiftLogger`, so undo and totals agree between the two."""

    totals_shown = Signal()  # the totals labels were just updated (benchmarks and tests wait on it)

    def __init__(
        self,
        services: Services,
        tasks: TaskRunner,
        logger: GiftLogger,
        context: ProfileContext,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.context = context  # the Streams page hands it a new one when it changes
        self.setObjectName("page")
        self.setWindowTitle("Live mode")
        self.services = services
        self.tasks = tasks
        self.logger = logger
        self.stream: Stream | None = None
        self.totals = GiftTotals()
        self.share_bps = 0
        self.favourites: list[str] = []
        self._catalog: dict[str, CatalogGift] = {}
        self._generation = 0

        self.badge = QLabel("LIVE")
        self.badge.setObjectName("liveBadge")
        self.title_label = QLabel("")
        self.title_label.setObjectName("sectionTitle")
        self.timer_label = QLabel("0:00:00")
        self.timer_label.setObjectName("timer")
        top = QHBoxLayout()
        top.addWidget(self.badge)
        top.addWidget(self.title_label, 1)
        top.addWidget(self.timer_label)

        self.diamonds_card = StatCard("diamonds")
        self.cash_card = StatCard("cash")
        self.coins_card = StatCard("coins sent")
        cards = QHBoxLayout()
        cards.setSpacing(8)
        for card in (self.diamonds_card, self.cash_card, self.coins_card):
            cards.addWidget(card)

        self.track_label = QLabel("")
        self.track_label.setObjectName("muted")
        self.track_label.setWordWrap(True)
        self.followers_edit = QLineEdit()
        self.followers_edit.setPlaceholderText("new followers")
        self.peak_edit = QLineEdit()
        self.peak_edit.setPlaceholderText("peak viewers")
        audience = QHBoxLayout()
        audience.addWidget(QLabel("New followers"))
        audience.addWidget(self.followers_edit)
        audience.addWidget(QLabel("Peak viewers"))
        audience.addWidget(self.peak_edit)
        self.audience_error = QLabel("")
        self.audience_error.setStyleSheet("color: #c62828;")
        self.audience_error.hide()

        palette_title = QLabel("Favourites: press 1–9 (Ctrl+1–9 while typing); right-click to remove")
        palette_title.setObjectName("muted")
        self.palette = QGridLayout()
        self.palette.setSpacing(6)
        self.palette_buttons: list[QPushButton] = []

        self.picker = GiftPicker()
        self.add_favourite_button = QPushButton("★ Add to favourites")
        self.add_favourite_button.setToolTip("Put the gift typed above on the palette")
        self.undo_button = QPushButton("Undo last gift")
        self.undo_button.setToolTip("Remove the gift logged last (Ctrl+Z)")
        self.undo_button.setEnabled(logger.last is not None)
        self.on_top_box = QCheckBox("Stay on top")
        self.on_top_box.setChecked(True)
        actions = QHBoxLayout()
        actions.addWidget(self.add_favourite_button)
        actions.addWidget(self.undo_button)
        actions.addStretch(1)
        actions.addWidget(self.on_top_box)

        top_title = QLabel("Top gifters this stream")
        top_title.setObjectName("sectionTitle")
        self.top_label = QLabel("")
        self.top_label.setObjectName("muted")
        self.top_label.setTextFormat(Qt.TextFormat.PlainText)
        self.top_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addLayout(cards)
        layout.addWidget(self.track_label)
        layout.addLayout(audience)
        layout.addWidget(self.audience_error)
        layout.addWidget(palette_title)
        layout.addLayout(self.palette)
        layout.addWidget(self.picker)
        layout.addLayout(actions)
        layout.addWidget(top_title)
        layout.addWidget(self.top_label, 1)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.resize(600, 580)

        for digit in range(1, MAX_FAVOURITES + 1):
            for keys in (str(digit), f"Ctrl+{digit}"):
                QShortcut(QKeySequence(keys), self, activated=partial(self.log_favourite, digit))
        QShortcut(QKeySequence.StandardKey.Undo, self, activated=logger.undo)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, activated=self.setFocus)
        self.picker.submitted.connect(self._log_typed)
        self.picker.undo_requested.connect(logger.undo)
        self.undo_button.clicked.connect(logger.undo)
        self.add_favourite_button.clicked.connect(self.add_typed_favourite)
        self.on_top_box.toggled.connect(self._set_on_top)
        self.followers_edit.returnPressed.connect(self.save_audience)
        self.peak_edit.returnPressed.connect(self.save_audience)
        self._ticks = 0
        logger.logged.connect(self._logged)
        logger.undone.connect(self._undone)
        logger.undo_available.connect(self.undo_button.setEnabled)
        self.clock_timer = QTimer(self)
        self.clock_timer.setInterval(1000)
        self.clock_timer.timeout.connect(self._tick)
        self._set_on_top(True)

    # ---- opening -------------------------------------------------------------------------------------------

    def start(self, stream: Stream, catalog: Sequence[CatalogGift], senders: Sequence[str]) -> None:
        """Show the panel for the live `stream`; the picker lists come from the Streams page (already loaded)."""
        self.stream = stream
        self.title_label.setText(stream.title)
        self.followers_edit.setText("" if stream.new_followers is None else str(stream.new_followers))
        self.peak_edit.setText("" if stream.peak_viewers is None else str(stream.peak_viewers))
        self._catalog = {gift_key(g.name): g for g in catalog}
        self.picker.set_catalog(catalog)
        self.picker.set_senders(senders)
        self._tick()
        self.clock_timer.start()
        self.tasks.run(self.services.streams.favourites, self._show_favourites)
        self.refresh()
        self.show()
        self.raise_()
        self.activateWindow()
        self.setFocus()

    def stop(self) -> None:
        """The stream ended: live mode has nothing to log into any more."""
        self.stream = None
        self.clock_timer.stop()
        self.close()

    def add_sender(self, sender: str) -> None:
        self.picker.add_sender(sender)

    @Slot()
    def refresh(self) -> None:
        """Re-read the stream's totals and top gifters (after a gift, or a change elsewhere)."""
        if self.stream is None:
            return
        stream_id = self.stream.id
        services = self.services
        self._generation += 1
        generation = self._generation

        def load() -> _Figures:
            summary = services.reports.summary(stream_id=stream_id)
            top = services.history.top_gifters(stream_id)
            return _Figures(stream_id, summary.totals, summary.share_bps, top, services.streams.on_track(stream_id))

        self.tasks.run(load, lambda figures: self._show_figures(figures, generation))

    def _show_figures(self, figures: _Figures, generation: int) -> None:
        if self.stream is None or figures.stream_id != self.stream.id or generation != self._generation:
            return  # a gift logged since then is in the newer figures
        self.totals = figures.totals
        # the share this LIVE is on track for (with no gifts yet, the summary can only say today's level)
        self.share_bps = figures.track.share.share_bps if figures.track is not None else figures.share_bps
        self.track_label.setText(on_track_text(figures.track))
        self._show_totals()
        lines = [f"{n}. {row.sender} · {whole(row.diamonds)} diamonds" for n, row in enumerate(figures.top, 1)]
        self.top_label.setText("\n".join(lines) or "Nobody yet: log gifts with their sender to see who leads.")

    def _show_totals(self) -> None:
        totals = self.totals
        self.diamonds_card.set_value(whole(totals.diamonds), f"diamonds · {whole(totals.gifts)} gifts")
        self.coins_card.set_value(whole(totals.coins))
        self.cash_card.set_value(
            cash(self.context, totals.diamonds, self.share_bps), f"cash at {share_percent_text(self.share_bps)} %"
        )
        self.totals_shown.emit()

    @Slot()
    def save_audience(self) -> None:
        """Store new followers and peak viewers typed during the LIVE; the on-track line follows."""
        if self.stream is None:
            return
        values: list[int | None] = []
        for edit, name in ((self.followers_edit, "new followers"), (self.peak_edit, "peak viewers")):
            text = edit.text().strip()
            if text and not text.isdigit():
                self.audience_error.setText(f"{name}: '{text}' is not a whole number")
                self.audience_error.show()
                return
            values.append(int(text) if text else None)
        self.audience_error.hide()
        followers, peak = values
        stream_id = self.stream.id
        self.tasks.write(
            lambda: self.services.streams.set_audience(followers, peak, stream_id),
            lambda _stream: self.refresh(),
            touches=(STREAMS,),
            source=self,
        )

    # ---- favourites ----------------------------------------------------------------------------------------

    def _show_favourites(self, names: list[str]) -> None:
        self.favourites = [n for n in names if gift_key(n) in self._catalog][:MAX_FAVOURITES]
        for button in self.palette_buttons:
            self.palette.removeWidget(button)
            button.deleteLater()
        self.palette_buttons = []
        for index, name in enumerate(self.favourites):
            gift = self._catalog[gift_key(name)]
            coin_word = "coin" if gift.coins == 1 else "coins"
            button = QPushButton(f"{index + 1}  {gift.name}\n{whole(gift.coins)} {coin_word}")
            button.setObjectName("favourite")
            button.setToolTip(f"Log {gift.name} (key {index + 1})")
            button.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            button.clicked.connect(partial(self.log_favourite, index + 1))
            button.customContextMenuRequested.connect(partial(self._favourite_menu, index))
            self.palette.addWidget(button, index // 3, index % 3)
            self.palette_buttons.append(button)
        self.add_favourite_button.setEnabled(len(self.favourites) < MAX_FAVOURITES)

    def _save_favourites(self, names: list[str]) -> None:
        self.tasks.write(lambda: self.services.streams.set_favourites(names), self._show_favourites)

    @Slot()
    def add_typed_favourite(self) -> None:
        gift = self.picker.selected_gift()
        if gift is None or len(self.favourites) >= MAX_FAVOURITES:
            return
        if gift_key(gift.name) not in (gift_key(n) for n in self.favourites):
            self._save_favourites([*self.favourites, gift.name])

    def remove_favourite(self, index: int) -> None:
        self._save_favourites([n for i, n in enumerate(self.favourites) if i != index])

    def _favourite_menu(self, index: int, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.addAction(f"Remove {self.favourites[index]} from favourites", partial(self.remove_favourite, index))
        menu.exec(self.palette_buttons[index].mapToGlobal(pos))

    # ---- logging -------------------------------------------------------------------------------------------

    @Slot()
    def log_favourite(self, digit: int) -> None:
        """Log favourite number `digit` with the count and sender in the fields (then reset them)."""
        if self.stream is None or not 1 <= digit <= len(self.favourites):
            return
        self.logger.log(
            self.favourites[digit - 1],
            self.picker.count_edit.value(),
            self.picker.sender_edit.text().strip(),
            self.stream.id,
        )
        self.picker.count_edit.setValue(1)
        self.picker.sender_edit.clear()

    @Slot(str, int, str)
    def _log_typed(self, gift: str, count: int, sender: str) -> None:
        if self.stream is not None:
            self.logger.log(gift, count, sender, self.stream.id)

    def _logged(self, event: GiftEvent) -> None:
        if self.stream is None or event.stream_id != self.stream.id:
            return
        self.picker.add_sender(event.sender)
        self.totals = self.totals + GiftTotals(1, event.count, event.diamonds, event.diamonds)
        self._show_totals()
        self.refresh()

    def _undone(self, event: GiftEvent) -> None:
        if self.stream is None or event.stream_id != self.stream.id:
            return
        self.refresh()

    # ---- window --------------------------------------------------------------------------------------------

    @Slot(bool)
    def _set_on_top(self, on_top: bool) -> None:
        visible = self.isVisible()
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint, on_top)
        if visible:
            self.show()  # changing a window flag hides the window

    @Slot()
    def _tick(self) -> None:
        if self.stream is not None:
            self.timer_label.setText(format_duration(self.stream.duration(self.context.now())))
            self._ticks += 1
            if self._ticks % 60 == 0:  # minutes lift the share: re-read "on track" once a minute
                self.refresh()

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.clock_timer.stop()
        super().closeEvent(event)
