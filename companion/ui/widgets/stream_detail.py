"""One stream: its totals as cards, the gift picker while it is live, and its gifts."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from companion.domain.economics import share_percent_text
from companion.domain.models import GiftEvent, Stream
from companion.domain.timeutil import format_duration
from companion.services.context import ProfileContext
from companion.services.reports import Summary
from companion.ui.format import cash, local_day, whole
from companion.ui.models.gifts_table import GiftTableModel
from companion.ui.widgets.cards import empty_state
from companion.ui.widgets.gift_picker import GiftPicker
from companion.ui.widgets.stat_card import StatCard
from companion.ui.widgets.tables import Selection, record_table


class StreamDetail(QWidget):
    def __init__(self, context: ProfileContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.title_label = QLabel("")
        self.title_label.setObjectName("sectionTitle")
        self.when_label = QLabel("")
        self.when_label.setObjectName("muted")

        self.coins_card = StatCard("coins sent")
        self.diamonds_card = StatCard("diamonds")
        self.cash_card = StatCard("cash")
        self.gifts_card = StatCard("gifts")
        cards = QHBoxLayout()
        cards.setSpacing(12)
        for card in (self.diamonds_card, self.cash_card, self.gifts_card, self.coins_card):
            cards.addWidget(card)

        self.picker = GiftPicker()
        self.undo_button = QPushButton("Undo last gift")
        self.undo_button.setToolTip("Remove the gift you logged last (Ctrl+Z)")
        self.undo_button.setEnabled(False)
        self.picker_box = self.picker
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setToolTip("Change the title, times, viewers, followers or notes")
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setToolTip("Delete this stream (you choose what happens to its gifts)")
        self.notes_label = QLabel("")
        self.notes_label.setObjectName("muted")
        self.notes_label.setWordWrap(True)
        self.share_label = QLabel("")  # the share this LIVE earned and why
        self.share_label.setObjectName("muted")
        self.share_label.setWordWrap(True)
        self.tiktok_label = QLabel("")  # the per-LIVE check against TikTok's data download
        self.tiktok_label.setWordWrap(True)
        self.tiktok_label.setVisible(False)

        self.gifts_model = GiftTableModel(self)
        self.gifts_model.set_context(context)
        self.gifts_view = record_table(self.gifts_model, 1, selection=Selection.ExtendedSelection)
        self.empty_label = empty_state("No gifts in this stream yet.")
        self.gifts_stack = QStackedWidget()
        self.gifts_stack.addWidget(self.empty_label)
        self.gifts_stack.addWidget(self.gifts_view)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        heading = QHBoxLayout()
        heading.addWidget(self.title_label)
        heading.addStretch(1)
        heading.addWidget(self.when_label)
        heading.addWidget(self.undo_button)
        heading.addWidget(self.edit_button)
        heading.addWidget(self.delete_button)
        layout.addLayout(heading)
        layout.addWidget(self.notes_label)
        layout.addWidget(self.share_label)
        layout.addWidget(self.tiktok_label)
        layout.addLayout(cards)
        layout.addWidget(self.picker_box)
        layout.addWidget(self.gifts_stack, 1)

    def set_context(self, context: ProfileContext) -> None:
        self.context = context
        self.gifts_model.set_context(context)

    def show_stream(self, stream: Stream, gifts: Sequence[GiftEvent], summary: Summary, why: str = "") -> None:
        self.title_label.setText(stream.title)
        duration = format_duration(stream.duration(self.context.now()))
        state = "live now" if stream.is_live else f"lasted {duration}"
        self.when_label.setText(f"{local_day(stream.started_at, self.context)} · {state}")
        audience = []
        if stream.peak_viewers is not None:
            audience.append(f"peak {whole(stream.peak_viewers)} viewers")
        if stream.new_followers is not None:
            audience.append(f"{whole(stream.new_followers)} new followers")
        about = " · ".join([*audience, *([stream.notes.replace(chr(10), " ")] if stream.notes else [])])
        self.notes_label.setText(about)
        self.notes_label.setVisible(bool(about))
        self.share_label.setText(f"Share: {why}" if why else "")
        self.share_label.setVisible(bool(why))
        self.delete_button.setVisible(not stream.is_live)
        totals = summary.totals
        self.diamonds_card.set_value(whole(totals.diamonds))
        self.coins_card.set_value(whole(totals.coins))
        self.cash_card.set_value(
            cash(self.context, totals.diamonds, summary.share_bps),
            f"cash at {share_percent_text(summary.share_bps)} % share",
        )
        self.gifts_card.set_value(whole(totals.gifts), f"gifts · {whole(totals.items)} items")
        self.picker_box.setVisible(stream.is_live)
        self.undo_button.setVisible(stream.is_live)
        self.gifts_model.set_rows(gifts)
        if gifts:
            self.gifts_stack.setCurrentWidget(self.gifts_view)
        else:
            hint = " Log them with the picker above as they arrive." if stream.is_live else ""
            self.empty_label.setText("No gifts in this stream yet." + hint)
            self.gifts_stack.setCurrentWidget(self.empty_label)

    def show_check(self, text: str, missing: bool) -> None:
        """The per-LIVE check for this stream ("" when TikTok's total is not imported)."""
        self.tiktok_label.setText(text)
        self.tiktok_label.setStyleSheet("color: #fe2c55;" if missing else "")
        self.tiktok_label.setVisible(bool(text))
