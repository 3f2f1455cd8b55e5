"""Read-only queries behind the dashboard, income stability, exports and the monthly statement.
Grouping happens in SQL on UTC instants; turning them into local days and hours is the services' job."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, literal_column
from sqlmodel import Session, col, select

from companion.domain.models import Profile
from companion.store.repositories import _profile
from companion.store.tables import (
    GiftEventRow,
    PaymentMethodRow,
    PayoutRow,
    ProfileEconomicsRow,
    ProfileRow,
    RewardLevelRow,
    RewardSchemeRow,
    StreamRow,
)
from companion.store.types import from_millis, to_millis

#: Quarter-hour buckets: fine enough for zones 30 or 45 minutes off UTC, few enough rows for a year.
BUCKET_MS = 15 * 60 * 1000


@dataclass(frozen=True)
class ExportGift:
    received_at: datetime
    sender: str
    gift_name: str
    coins_each: int
    count: int
    diamonds: int
    stream_title: str


@dataclass(frozen=True)
class PayoutLine:
    requested_at: datetime
    paid_at: datetime | None
    status: str
    method: str
    diamonds: int
    gross_cents: int
    fee_cents: int
    currency: str


@dataclass(frozen=True)
class LevelLine:
    name: str
    share_bps: int
    current: bool


def _range(query, column, start: datetime | None, end: datetime | None):  # type: ignore[no-untyped-def]
    if start is not None:
        query = query.where(column >= start)
    if end is not None:
        query = query.where(column < end)
    return query


def _named_in_range(row: Any, other: Any, name: Any, key: Any, when: Any, profile_id: int,
                    start: datetime | None, end: datetime | None) -> Any:  # fmt: skip
    """The profile's `row`s with `when` in [start, end), each with the `name` of the `other` row its `key` points
    at (None when there is none)."""
    query = select(row, name).join(other, col(other.id) == key, isouter=True).where(row.profile_id == profile_id)
    return _range(query, when, start, end)


class InsightsRepo:
    def __init__(self, session: Session) -> None:
        self.s = session

    def quarter_hours(
        self, profile_id: int, start: datetime | None, end: datetime | None
    ) -> list[tuple[datetime, int]]:
        """Diamonds per UTC quarter hour in [start, end), only the quarters that had gifts."""
        # raw integer division: the column's type would turn the bucket back into a datetime
        bucket: Any = literal_column(f"gift_event.received_at / {BUCKET_MS}").label("bucket")
        query = _range(
            select(bucket, func.sum(GiftEventRow.diamonds)).where(GiftEventRow.profile_id == profile_id),
            col(GiftEventRow.received_at),
            start,
            end,
        ).group_by(literal_column("bucket"))
        return [(from_millis(int(b) * BUCKET_MS), int(d)) for b, d in self.s.exec(query)]

    def top_gifts(
        self, profile_id: int, start: datetime | None, end: datetime | None, limit: int
    ) -> list[tuple[str, int, int]]:
        """(gift name, diamonds, items) of the gifts that earned most in [start, end)."""
        diamonds = func.sum(GiftEventRow.diamonds)
        query = _range(
            select(GiftEventRow.gift_name, diamonds, func.sum(GiftEventRow.count)).where(
                GiftEventRow.profile_id == profile_id
            ),
            col(GiftEventRow.received_at),
            start,
            end,
        )
        query = query.group_by(col(GiftEventRow.gift_name)).order_by(diamonds.desc()).limit(limit)
        return [(name, int(d), int(n)) for name, d, n in self.s.exec(query)]

    def sender_totals(self, profile_id: int, start: datetime | None, end: datetime | None) -> list[tuple[str, int]]:
        """(sender, diamonds) for every sender in [start, end), most generous first; "" is anonymous."""
        diamonds = func.sum(GiftEventRow.diamonds)
        query = _range(
            select(GiftEventRow.sender, diamonds).where(GiftEventRow.profile_id == profile_id),
            col(GiftEventRow.received_at),
            start,
            end,
        )
        query = query.group_by(col(GiftEventRow.sender)).order_by(diamonds.desc(), col(GiftEventRow.sender))
        return [(sender, int(d)) for sender, d in self.s.exec(query)]

    def sender_windows(self, profile_id: int, start: datetime, window_ms: int) -> list[tuple[str, int, int]]:
        """(sender, window index, diamonds) in consecutive windows of `window_ms` from `start` on."""
        offset = to_millis(start)
        window: Any = literal_column(f"(gift_event.received_at - {int(offset)}) / {int(window_ms)}").label("window")
        query = (
            select(GiftEventRow.sender, window, func.sum(GiftEventRow.diamonds))
            .where(GiftEventRow.profile_id == profile_id, GiftEventRow.received_at >= start)
            .group_by(col(GiftEventRow.sender), literal_column("window"))
        )
        return [(sender, int(w), int(d)) for sender, w, d in self.s.exec(query)]

    def streams_between(self, profile_id: int, start: datetime | None, end: datetime | None) -> list[StreamRow]:
        """Streams that overlap [start, end) (a live stream runs until now)."""
        query = select(StreamRow).where(StreamRow.profile_id == profile_id)
        if end is not None:
            query = query.where(StreamRow.started_at < end)
        if start is not None:
            query = query.where((col(StreamRow.ended_at).is_(None)) | (col(StreamRow.ended_at) > start))
        return list(self.s.exec(query.order_by(col(StreamRow.started_at))))

    def count_gifts(self, profile_id: int, start: datetime | None, end: datetime | None) -> int:
        query = _range(
            select(func.count(col(GiftEventRow.id))).where(GiftEventRow.profile_id == profile_id),
            col(GiftEventRow.received_at),
            start,
            end,
        )
        return int(self.s.exec(query).one())

    def gifts_for_export(
        self, profile_id: int, start: datetime | None, end: datetime | None, batch: int = 2000
    ) -> Iterator[list[ExportGift]]:
        """Gifts in time order with their stream's title, in batches (keyset paging: constant memory)."""
        last: tuple[int, int] | None = None  # no lower bound on the first page: gifts before 1970 are negative
        while True:
            query = _named_in_range(
                GiftEventRow, StreamRow, StreamRow.title, col(GiftEventRow.stream_id), col(GiftEventRow.received_at),
                profile_id, start, end,
            )  # fmt: skip
            millis: Any = literal_column("gift_event.received_at")
            if last is not None:
                query = query.where((millis > last[0]) | ((millis == last[0]) & (col(GiftEventRow.id) > last[1])))
            query = query.order_by(col(GiftEventRow.received_at), col(GiftEventRow.id)).limit(batch)
            rows = list(self.s.exec(query))
            if not rows:
                return
            yield [
                ExportGift(g.received_at, g.sender, g.gift_name, g.coins_each, g.count, g.diamonds, title or "")
                for g, title in rows
            ]
            tail = rows[-1][0]
            assert tail.id is not None
            last = (to_millis(tail.received_at), tail.id)

    def payouts(self, profile_id: int, start: datetime | None, end: datetime | None) -> list[PayoutLine]:
        """Payouts requested in [start, end), with their method's label."""
        query = _named_in_range(
            PayoutRow, PaymentMethodRow, PaymentMethodRow.label, col(PayoutRow.method_id), col(PayoutRow.requested_at),
            profile_id, start, end,
        ).order_by(col(PayoutRow.requested_at))  # fmt: skip
        return [
            PayoutLine(
                p.requested_at, p.paid_at, p.status, label or "", p.diamonds, p.gross_cents, p.fee_cents, p.currency
            )
            for p, label in self.s.exec(query)
        ]

    def levels(self, profile_id: int) -> tuple[str, list[LevelLine]]:
        """The profile's reward scheme name and its levels (lowest share first), if one is chosen."""
        econ = self.s.get(ProfileEconomicsRow, profile_id)
        if econ is None or econ.scheme_id is None:
            return "", []
        scheme = self.s.get(RewardSchemeRow, econ.scheme_id)
        rows = self.s.exec(
            select(RewardLevelRow)
            .where(RewardLevelRow.scheme_id == econ.scheme_id)
            .order_by(col(RewardLevelRow.position), col(RewardLevelRow.share_bps))
        )
        return (scheme.name if scheme else ""), [LevelLine(r.name, r.share_bps, r.id == econ.level_id) for r in rows]

    # ---- profiles ---------------------------------------------------------------------------------------

    def profiles(self) -> list[Profile]:
        return [_profile(r) for r in self.s.exec(select(ProfileRow).order_by(col(ProfileRow.id)))]

    def profile_row(self, profile_id: int) -> ProfileRow | None:
        return self.s.get(ProfileRow, profile_id)
