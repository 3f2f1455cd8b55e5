"""Table model of streams with what each earned: title, start, duration, gifts, diamonds, cash, diamonds/hour, and
the share the LIVE earned (its reasons in the tooltip)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from companion.domain.economics import share_percent_text
from companion.domain.timeutil import format_duration
from companion.services.tiktok_import import LiveCheck
from companion.services.tracking import StreamOverview
from companion.ui.format import cash, local_day, local_short, whole
from companion.ui.models.base import RecordTableModel

TITLE, STARTED, DURATION, GIFTS, DIAMONDS, CASH, PER_HOUR, SHARE = range(8)
TIKTOK = SHARE + 1  # the per-LIVE check against TikTok's data download (blank for streams without one)


class StreamTableModel(RecordTableModel[StreamOverview]):
    HEADERS = ("Stream", "Started", "Duration", "Gifts", "Diamonds", "Cash", "Diamonds / hour", "Share", "TikTok")
    NUMERIC = frozenset({DURATION, GIFTS, DIAMONDS, CASH, PER_HOUR, SHARE, TIKTOK})

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.tiktok: dict[int, int] = {}

    def set_tiktok(self, totals: dict[int, int]) -> None:
        """TikTok's diamonds per stream id; call before `set_rows`."""
        self.tiktok = totals

    def check(self, overview: StreamOverview) -> LiveCheck | None:
        total = self.tiktok.get(overview.stream.id)
        return None if total is None else LiveCheck(total, overview.totals.diamonds)

    def row_of(self, stream_id: int) -> int | None:
        return next((i for i, o in enumerate(self.records()) if o.stream.id == stream_id), None)

    def display(self, overview: StreamOverview, column: int) -> str:
        stream = overview.stream
        if column == TITLE:
            return f"● {stream.title}" if stream.is_live else stream.title
        if column == STARTED:
            return local_short(stream.started_at, self.context)
        if column == DURATION:
            return "live" if stream.is_live else format_duration(stream.duration(self.context.now()))
        if column == GIFTS:
            return whole(overview.totals.gifts)
        if column == DIAMONDS:
            return whole(overview.totals.diamonds)
        if column == CASH:  # at the share this LIVE earned
            return cash(self.context, overview.totals.diamonds, overview.share.share_bps)
        if column == SHARE:
            return f"{share_percent_text(overview.share.share_bps)} %" + (" ✎" if overview.share.overridden else "")
        if column == TIKTOK:
            check = self.check(overview)
            if check is None:
                return ""
            if not check.missing:
                return f"{whole(check.tiktok)} ✓"
            return f"{whole(check.tiktok)} · {whole(abs(check.missing))} {'missing' if check.missing > 0 else 'extra'}"
        return "–" if overview.per_hour is None else whole(overview.per_hour)

    def extra(self, overview: StreamOverview, column: int, role: int) -> Any:
        stream = overview.stream
        if column == TIKTOK and (check := self.check(overview)) is not None:
            if role == Qt.ItemDataRole.ForegroundRole and check.missing:
                return QColor("#fe2c55" if check.missing > 0 else "#d08700")
            if role == Qt.ItemDataRole.ToolTipRole:
                return explain_check(check)
        if role == Qt.ItemDataRole.ForegroundRole and stream.is_live and column in (TITLE, DURATION):
            return QColor("#fe2c55")
        if role == Qt.ItemDataRole.ToolTipRole and column == SHARE:
            return overview.share.explanation
        if role == Qt.ItemDataRole.ToolTipRole:
            length = "live now" if stream.is_live else f"lasted {format_duration(stream.duration(self.context.now()))}"
            per_hour = "" if overview.per_hour is None else f"\n{whole(overview.per_hour)} diamonds per live hour"
            return f"{stream.title}\n{local_day(stream.started_at, self.context)} · {length}{per_hour}"
        return None


def explain_check(check: LiveCheck) -> str:
    """The per-LIVE check in words (the TikTok column's tooltip, the stream's detail)."""
    said = f"TikTok counted {whole(check.tiktok)} diamonds in this LIVE; you logged {whole(check.logged)}"
    if check.missing > 0:
        return f"{said}: {whole(check.missing)} diamonds of gifts are not logged."
    if check.missing < 0:
        return (f"{said}: {whole(-check.missing)} more than TikTok (a gift logged twice or in the wrong LIVE, or "
                "not credited by TikTok yet).")  # fmt: skip
    return f"{said}: nothing missing."
