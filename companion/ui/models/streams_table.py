"""Table model of streams with what each earned: title, started, duration, diamonds."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from companion.domain.timeutil import format_duration, utc_now
from companion.services.tracking import StreamOverview
from companion.ui.format import local_day, local_short, whole

Index = QModelIndex | QPersistentModelIndex

TITLE, STARTED, DIAMONDS = range(3)
HEADERS = ("Stream", "Started", "Diamonds")


class StreamTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[StreamOverview] = []
        self.now: datetime = utc_now()

    def set_rows(self, rows: Sequence[StreamOverview], now: datetime | None = None) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.now = now or utc_now()
        self.endResetModel()

    def overview_at(self, row: int) -> StreamOverview:
        return self._rows[row]

    def row_of(self, stream_id: int) -> int | None:
        return next((i for i, o in enumerate(self._rows) if o.stream.id == stream_id), None)

    def row_of_title(self, title: str) -> int:
        return next(i for i, o in enumerate(self._rows) if o.stream.title == title)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return HEADERS[section]
            if role == Qt.ItemDataRole.TextAlignmentRole and section == DIAMONDS:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        overview = self._rows[index.row()]
        stream = overview.stream
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == TITLE:
                return f"● {stream.title}" if stream.is_live else stream.title
            if column == STARTED:
                return local_short(stream.started_at)
            return whole(overview.totals.diamonds)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == DIAMONDS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and stream.is_live and column == TITLE:
            return QColor("#fe2c55")
        if role == Qt.ItemDataRole.ToolTipRole:
            length = "live now" if stream.is_live else f"lasted {format_duration(stream.duration(self.now))}"
            return f"{stream.title}\n{local_day(stream.started_at)} · {length}"
        return None
