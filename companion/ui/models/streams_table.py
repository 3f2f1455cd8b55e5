"""Table model of streams with what each earned: title, started, duration, diamonds."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from companion.domain.timeutil import format_duration, utc_now
from companion.services.tracking import StreamOverview
from companion.ui.format import local_day, whole

Index = QModelIndex | QPersistentModelIndex

TITLE, STARTED, DURATION, DIAMONDS = range(4)
HEADERS = ("Stream", "Started", "Duration", "Diamonds")


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

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return HEADERS[section]
            if role == Qt.ItemDataRole.TextAlignmentRole and section in (DURATION, DIAMONDS):
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
                return local_day(stream.started_at)
            if column == DURATION:
                return "live" if stream.is_live else format_duration(stream.duration(self.now))
            return whole(overview.totals.diamonds)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (DURATION, DIAMONDS):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and stream.is_live and column in (TITLE, DURATION):
            return QColor("#fe2c55")
        return None
