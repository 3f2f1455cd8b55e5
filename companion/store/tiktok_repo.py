"""The LIVEs imported from TikTok's data download: stored beside the streams they were matched to."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import Session, col, select

from companion.store.tables import StreamRow, TikTokLiveRow
from companion.store.types import to_millis


@dataclass(frozen=True)
class StoredLive:
    """What an earlier import stored for a LIVE (compared with the file to tell "already imported")."""

    id: int
    stream_id: int | None
    earning: str | None
    earning_unit: str
    diamonds: int | None


@dataclass(frozen=True)
class StreamStart:
    id: int
    title: str
    started_at: datetime


_CHUNK = 900  # ids per IN (...): below SQLite's limit of bound parameters on old builds


class TikTokRepo:
    def __init__(self, session: Session) -> None:
        self.s = session

    def stored(self, profile_id: int, starts: Sequence[datetime]) -> dict[int, StoredLive]:
        """Stored LIVEs of the profile by start (UTC milliseconds), among `starts`."""
        wanted = {to_millis(start) for start in starts}
        found: dict[int, StoredLive] = {}
        query = select(TikTokLiveRow).where(TikTokLiveRow.profile_id == profile_id)
        for row in self.s.exec(query):
            key = to_millis(row.started_at)
            if key in wanted and row.id is not None:
                found[key] = StoredLive(row.id, row.stream_id, row.earning, row.earning_unit, row.diamonds)
        return found

    def streams_starting(self, profile_id: int, first: datetime, last: datetime) -> list[StreamStart]:
        """The profile's streams that started in [first, last], oldest first (one indexed range query)."""
        query = (
            select(StreamRow)
            .where(
                StreamRow.profile_id == profile_id,
                col(StreamRow.started_at) >= first,
                col(StreamRow.started_at) <= last,
            )
            .order_by(col(StreamRow.started_at))
        )
        return [StreamStart(r.id, r.title, r.started_at) for r in self.s.exec(query) if r.id is not None]

    def add(self, row: TikTokLiveRow) -> None:
        self.s.add(row)

    def update_total(
        self, live_id: int, earning: str | None, unit: str, share_bps: int | None, diamonds: int | None
    ) -> None:
        row = self.s.get(TikTokLiveRow, live_id)
        if row is not None:
            row.earning, row.earning_unit, row.share_bps, row.diamonds = earning, unit, share_bps, diamonds
            self.s.add(row)

    def totals_by_stream(self, stream_ids: Sequence[int]) -> dict[int, int]:
        """TikTok's diamonds per stream (LIVEs without a total leave a stream out)."""
        totals: dict[int, int] = {}
        ids = list(stream_ids)
        for start in range(0, len(ids), _CHUNK):
            query = (
                select(col(TikTokLiveRow.stream_id), func.sum(col(TikTokLiveRow.diamonds)))
                .where(
                    col(TikTokLiveRow.stream_id).in_(ids[start : start + _CHUNK]),
                    col(TikTokLiveRow.diamonds).is_not(None),
                )
                .group_by(col(TikTokLiveRow.stream_id))
            )
            for stream, total in self.s.exec(query):
                if stream is not None and total is not None:
                    totals[int(stream)] = int(total)
        return totals
