"""Table model of gift events: time, sender, gift, count, coins each, diamonds."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from companion.domain.models import GiftEvent
from companion.ui.format import local_time, whole
from companion.ui.models.base import RecordTableModel

TIME, SENDER, GIFT, COUNT, COINS_EACH, DIAMONDS = range(6)


class GiftTableModel(RecordTableModel[GiftEvent]):
    HEADERS = ("Time", "Sender", "Gift", "Count", "Coins each", "Diamonds")
    NUMERIC = frozenset({COUNT, COINS_EACH, DIAMONDS})

    def display(self, gift: GiftEvent, column: int) -> str:
        if column == TIME:
            return local_time(gift.received_at, self.context)
        if column == SENDER:
            return gift.sender or "anonymous"
        if column == GIFT:
            return gift.gift_name
        return whole((gift.count, gift.coins_each, gift.diamonds)[column - COUNT])

    def extra(self, gift: GiftEvent, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == TIME:
            return local_time(gift.received_at, self.context, with_date=True)
        return None
