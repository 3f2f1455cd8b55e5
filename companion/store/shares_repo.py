"""Repositories for share history: the profile's share periods, per-LIVE overrides, and gift sums grouped by
stream for a time range (the one query cash by share needs)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, literal_column, type_coerce
from sqlmodel import Session, col, select

from companion.domain.economics import GiftTotals
from companion.domain.models import Stream
from companion.domain.share_history import SharePeriod, StreamShareSetting
from companion.store.insights import BUCKET_MS, _range
from companion.store.tables import GiftEventRow, SharePeriodRow, StreamRow, StreamShareRow
from companion.store.types import UtcMillis, from_millis


class ShareHistoryRepo:
    def __init__(self, session: Session) -> None:
        self.s = session

    def periods(self, profile_id: int) -> list[SharePeriod]:
        query = (
            select(SharePeriodRow)
            .where(SharePeriodRow.profile_id == profile_id)
            .order_by(col(SharePeriodRow.effective_from))
        )
        return [
            SharePeriod(date.fromisoformat(r.effective_from), r.scheme_key, r.level_name, r.share_bps)
            for r in self.s.exec(query)
        ]

    def replace(self, profile_id: int, periods: Sequence[SharePeriod]) -> None:
        self.s.exec(delete(SharePeriodRow).where(col(SharePeriodRow.profile_id) == profile_id))
        for p in periods:
            self.s.add(
                SharePeriodRow(
                    profile_id=profile_id, effective_from=p.effective_from.isoformat(), scheme_key=p.scheme_key,
                    level_name=p.level_name, share_bps=p.share_bps,
                )
            )  # fmt: skip
        self.s.flush()

    def stream_settings(self, stream_ids: Sequence[int] | None = None) -> dict[int, StreamShareSetting]:
        query = select(StreamShareRow)
        if stream_ids is not None:
            query = query.where(col(StreamShareRow.stream_id).in_(list(stream_ids)))
        return {r.stream_id: StreamShareSetting(r.share_bps, r.breach_bps, r.note) for r in self.s.exec(query)}

    def set_stream(self, stream_id: int, setting: StreamShareSetting) -> None:
        row = self.s.get(StreamShareRow, stream_id)
        if setting == StreamShareSetting():
            if row is not None:
                self.s.delete(row)
        else:
            row = row or StreamShareRow(stream_id=stream_id)
            row.share_bps, row.breach_bps, row.note = setting.share_bps, setting.breach_bps, setting.note
            self.s.add(row)
        self.s.flush()

    def totals_by_stream_between(
        self, profile_id: int, start: datetime | None, end: datetime | None, stream_id: int | None = None
    ) -> dict[int | None, GiftTotals]:
        """Gift totals in [start, end) grouped by stream (None: gifts outside any stream), in one query."""
        query = select(
            GiftEventRow.stream_id,
            func.count(col(GiftEventRow.id)),
            func.sum(GiftEventRow.count),
            func.sum(GiftEventRow.diamonds),
        )
        if stream_id is None:
            query = query.where(GiftEventRow.profile_id == profile_id)
            query = _range(query, col(GiftEventRow.received_at), start, end)
        else:
            # One LIVE's gifts through the stream index: with the profile and time terms usable, SQLite scans the
            # whole period on the time index instead (≈ 130 ms per call at 1M gifts; the live panel refreshes after
            # every logged gift — issue 17's logging spike). `+ 0` keeps the terms but not their index.
            query = query.where(col(GiftEventRow.profile_id) + literal_column("0") == profile_id)
            when = type_coerce(col(GiftEventRow.received_at) + literal_column("0"), UtcMillis)
            query = _range(query, when, start, end).where(GiftEventRow.stream_id == stream_id)
        query = query.group_by(col(GiftEventRow.stream_id))
        return {
            sid: GiftTotals(int(gifts), int(items), int(diamonds), int(diamonds))
            for sid, gifts, items, diamonds in self.s.exec(query)
        }

    def quarter_hours_by_stream(
        self, profile_id: int, start: datetime | None, end: datetime | None
    ) -> list[tuple[datetime, int | None, int]]:
        """Diamonds per (UTC quarter hour, stream) in [start, end): enough to price each local day at its shares."""
        bucket: Any = literal_column(f"gift_event.received_at / {BUCKET_MS}").label("bucket")
        query = select(bucket, GiftEventRow.stream_id, func.sum(GiftEventRow.diamonds)).where(
            GiftEventRow.profile_id == profile_id
        )
        query = _range(query, col(GiftEventRow.received_at), start, end)
        query = query.group_by(literal_column("bucket"), col(GiftEventRow.stream_id))
        return [(from_millis(int(b) * BUCKET_MS), sid, int(d)) for b, sid, d in self.s.exec(query)]

    def streams_started(self, profile_id: int, start: datetime | None, end: datetime | None) -> list[Stream]:
        """Streams started in [start, end) (None: open), read as plain columns (no ORM objects: this runs on every
        summary, where thousands of streams cost more than the gift sums)."""
        columns = (
            StreamRow.id, StreamRow.title, StreamRow.started_at, StreamRow.ended_at, StreamRow.peak_viewers,
            StreamRow.new_followers,
        )  # fmt: skip
        query = select(*columns).where(StreamRow.profile_id == profile_id)  # type: ignore[call-overload]
        query = _range(query, col(StreamRow.started_at), start, end)
        return [
            Stream(sid, profile_id, title, started, ended, peak, followers)
            for sid, title, started, ended, peak, followers in self.s.exec(query)
        ]
