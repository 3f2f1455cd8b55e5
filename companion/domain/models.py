"""Plain records the store hands back: profiles, streams, gift events, catalog gifts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Profile:
    id: int
    name: str
    currency: str
    time_zone: str  # IANA name; "" means the computer's own time zone
    share_bps: int


@dataclass(frozen=True)
class Stream:
    id: int
    profile_id: int
    title: str
    started_at: datetime
    ended_at: datetime | None
    peak_viewers: int | None = None
    new_followers: int | None = None
    notes: str = ""

    @property
    def is_live(self) -> bool:
        return self.ended_at is None

    def duration(self, now: datetime) -> timedelta:
        end = self.ended_at if self.ended_at is not None else now
        return max(end - self.started_at, timedelta(0))


@dataclass(frozen=True)
class GiftEvent:
    id: int
    profile_id: int
    stream_id: int | None
    received_at: datetime
    sender: str
    gift_name: str
    coins_each: int
    count: int
    diamonds: int
    source: str


@dataclass(frozen=True)
class NewGift:
    """A gift about to be stored; `source_key` makes re-imports add nothing."""

    received_at: datetime
    sender: str
    gift_name: str
    coins_each: int
    count: int
    stream_id: int | None = None
    gift_type_id: int | None = None
    source: str = "manual"
    source_key: str | None = None

    @property
    def diamonds(self) -> int:
        return self.coins_each * self.count


@dataclass(frozen=True)
class CatalogGift:
    id: int
    name: str
    coins: int  # the price in force now
    streakable: bool
    custom: bool
