"""Totals: coins, diamonds and cash for a date range or a stream: each gift at the share in force when it was
received (share history, per-LIVE shares), or "what if" everything were at one share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from companion.domain.economics import GiftTotals, check_share_bps, share_percent_text
from companion.domain.money import money_text, quantize
from companion.domain.timeutil import local_range_utc, utc_now, zone
from companion.services.shares import load_book, priced_between
from companion.store.db import Database
from companion.store.repositories import GiftRepo, ProfileRepo


@dataclass(frozen=True)
class Summary:
    totals: GiftTotals
    share_bps: int
    cash: Decimal
    currency: str

    def as_json(self) -> dict[str, object]:
        """The public `summary --json` shape: integers for counts, strings for money and shares."""
        return {
            "gifts": self.totals.gifts,
            "items": self.totals.items,
            "coins": self.totals.coins,
            "diamonds": self.totals.diamonds,
            "share_percent": share_percent_text(self.share_bps),
            "cash": money_text(self.cash, self.currency),
            "currency": self.currency,
        }


class ReportService:
    def __init__(self, db: Database, profile_id: int, clock: Callable[[], datetime] = utc_now) -> None:
        self.db = db
        self.profile_id = profile_id
        self.clock = clock

    def summary(
        self,
        first: date | None = None,
        last: date | None = None,
        share_bps: int | None = None,
        stream_id: int | None = None,
    ) -> Summary:
        """Totals from local date `first` to `last` (both inclusive) and/or for one stream.
        Cash is in US dollars (TikTok pays out in USD) and rounded once, over the whole total. Without `share_bps`
        each gift is at the share that applied to it and `share_bps` is their average (exact under one share);
        with it, "what if" every gift were at that share."""
        with self.db.session() as s:
            profile = ProfileRepo(s).get(self.profile_id)
            if share_bps is not None:
                share = check_share_bps(share_bps)
                start, end = local_range_utc(first, last, zone(profile.time_zone))
                totals = GiftRepo(s).totals(self.profile_id, start, end, stream_id)
                return Summary(totals, share, totals.cash(share, "USD"), "USD")
            local_range_utc(first, last, zone(profile.time_zone))  # refuses `last` before `first`
            book = load_book(s, self.profile_id, self.clock(), first, last)
            priced = priced_between(s, book, first, last, stream_id)
        share = priced.share_bps(profile.share_bps)
        return Summary(priced.totals, share, quantize(priced.usd, "USD"), "USD")
