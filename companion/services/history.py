"""Gift history: which gifts match a filter (ids only, for a table that fetches rows as it scrolls), the rows
themselves, what the filter adds up to, and the gifters behind it all."""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from companion.domain.economics import GiftTotals
from companion.domain.errors import ValidationError
from companion.domain.models import GiftEvent
from companion.domain.timeutil import local_range_utc, zone
from companion.store.db import Database
from companion.store.history_repo import (
    NO_STREAM,
    SORT_COLUMNS,
    GifterRow,
    GifterStreamRow,
    GiftWhere,
    HistoryRepo,
    StreamGifterRow,
)
from companion.store.repositories import ProfileRepo

__all__ = [
    "NO_STREAM",
    "SORT_COLUMNS",
    "GiftFilter",
    "GiftSelection",
    "GifterRow",
    "GifterStreamRow",
    "Gifters",
    "HistoryService",
    "StreamGifterRow",
]


@dataclass(frozen=True)
class GiftFilter:
    """What the gifts page asks for: local dates (both inclusive), a stream (or NO_STREAM), a sender ("" is the
    anonymous sender; None is anyone), a gift name, and the order."""

    first: date | None = None
    last: date | None = None
    stream_id: int | None = None
    sender: str | None = None
    gift: str | None = None
    sort: str = "time"
    descending: bool = True
    sender_contains: str = ""  # the page's search box: senders whose name holds this, in any case ("": anyone)


@dataclass(frozen=True)
class GiftSelection:
    """The ids of a filter's gifts in order, and what they add up to (cash at the profile's share)."""

    filter: GiftFilter
    ids: array[int]
    totals: GiftTotals
    share_bps: int
    cash: Decimal
    currency: str


@dataclass(frozen=True)
class Gifters:
    rows: list[GifterRow]
    total: int  # gifters matching the search, shown or not


class HistoryService:
    def __init__(self, db: Database, profile_id: int) -> None:
        self.db = db
        self.profile_id = profile_id

    def select(self, gift_filter: GiftFilter) -> GiftSelection:
        """Ids and totals of the gifts matching `gift_filter`, in one read snapshot."""
        if gift_filter.sort not in SORT_COLUMNS:
            raise ValidationError(f"cannot sort gifts by '{gift_filter.sort}'", field="sort")
        with self.db.session() as s:
            profile = ProfileRepo(s).get(self.profile_id)
            start, end = local_range_utc(gift_filter.first, gift_filter.last, zone(profile.time_zone))
            repo = HistoryRepo(s)
            search = gift_filter.sender_contains
            senders = repo.senders_containing(self.profile_id, search) if search else None
            where = GiftWhere(start, end, gift_filter.stream_id, gift_filter.sender, gift_filter.gift, senders)
            ids = repo.ids(self.profile_id, where, gift_filter.sort, gift_filter.descending)
            totals = repo.totals(self.profile_id, where)
        currency = "USD"  # TikTok pays out in US dollars
        return GiftSelection(gift_filter, ids, totals, profile.share_bps, totals.cash(profile.share_bps), currency)

    def rows(self, ids: Sequence[int]) -> dict[int, GiftEvent]:
        """Gifts by id (one short primary-key query per 500 ids); a gift deleted since is absent."""
        with self.db.session() as s:
            return HistoryRepo(s).rows(ids)

    def gift_names(self) -> list[str]:
        with self.db.session() as s:
            return HistoryRepo(s).gift_names(self.profile_id)

    def gifters(self, search: str = "", limit: int = 1000) -> Gifters:
        """Named gifters, most lifetime diamonds first; `search` matches part of the name."""
        with self.db.session() as s:
            rows, total = HistoryRepo(s).gifters(self.profile_id, " ".join(search.split()), limit)
        return Gifters(rows, total)

    def gifter_streams(self, sender: str) -> list[GifterStreamRow]:
        """The streams a gifter attended, newest first, with their rank among each stream's gifters."""
        with self.db.session() as s:
            return HistoryRepo(s).gifter_streams(self.profile_id, sender)

    def top_gifters(self, stream_id: int, limit: int = 5) -> list[StreamGifterRow]:
        with self.db.session() as s:
            return HistoryRepo(s).top_gifters(stream_id, limit)
