"""Table model of gift events: time, sender, gift, count, coins each, diamonds."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from companion.domain.models import GiftEvent
from companion.ui.format import local_time, whole

Index = QModelIndex | QPersistentModelIndex

TIME, SENDER, GIFT, COUNT, COINS_EACH, DIAMONDS = range(6)
HEADERS = ("Time", "Sender", "Gift", "Count", "Coins each", "Diamonds")
_NUMERIC = {COUNT, COINS_EACH, DIAMONDS}


class GiftTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[GiftEvent] = []

    def set_rows(self, rows: Sequence[GiftEvent]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def gift_at(self, row: int) -> GiftEvent:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return HEADERS[section]
            if role == Qt.ItemDataRole.TextAlignmentRole and section in _NUMERIC:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        gift = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                local_time(gift.received_at),
                gift.sender or "anonymous",
                gift.gift_name,
                whole(gift.count),
                whole(gift.coins_each),
                whole(gift.diamonds),
            )[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column == TIME:
            return local_time(gift.received_at, with_date=True)
        return None
