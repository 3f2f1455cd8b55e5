"""Table model of streams with what each earned: title, start, diamonds."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from companion.domain.timeutil import format_duration, utc_now
from companion.services.tracking import StreamOverview
from companion.ui.format import local_day, local_short, whole
from companion.ui.models.base import RecordTableModel

TITLE, STARTED, DIAMONDS = range(3)


class StreamTableModel(RecordTableModel[StreamOverview]):
    HEADERS = ("Stream", "Started", "Diamonds")
    NUMERIC = frozenset({DIAMONDS})

    def row_of(self, stream_id: int) -> int | None:
        return next((i for i, o in enumerate(self.records()) if o.stream.id == stream_id), None)

    def display(self, overview: StreamOverview, column: int) -> str:
        stream = overview.stream
        if column == TITLE:
            return f"● {stream.title}" if stream.is_live else stream.title
        if column == STARTED:
            return local_short(stream.started_at)
        return whole(overview.totals.diamonds)

    def extra(self, overview: StreamOverview, column: int, role: int) -> Any:
        stream = overview.stream
        if role == Qt.ItemDataRole.ForegroundRole and stream.is_live and column == TITLE:
            return QColor("#fe2c55")
        if role == Qt.ItemDataRole.ToolTipRole:
            length = "live now" if stream.is_live else f"lasted {format_duration(stream.duration(utc_now()))}"
            return f"{stream.title}\n{local_day(stream.started_at)} · {length}"
        return None
