"""Totals: coins, diamonds and cash for a date range or a stream, at the profile's share or another."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from companion.domain.economics import GiftTotals, check_share_bps, share_percent_text
from companion.domain.money import money_text
from companion.domain.timeutil import local_range_utc, zone
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
    def __init__(self, db: Database, profile_id: int) -> None:
        self.db = db
        self.profile_id = profile_id

    def summary(
        self,
        first: date | None = None,
        last: date | None = None,
        share_bps: int | None = None,
        stream_id: int | None = None,
    ) -> Summary:
        """Totals from local date `first` to `last` (both inclusive) and/or for one stream.
        Cash is in US dollars (TikTok pays out in USD) and rounded once, over the whole total."""
        with self.db.session() as s:
            profile = ProfileRepo(s).get(self.profile_id)
            share = check_share_bps(profile.share_bps if share_bps is None else share_bps)
            start, end = local_range_utc(first, last, zone(profile.time_zone))
            totals = GiftRepo(s).totals(self.profile_id, start, end, stream_id)
        return Summary(totals, share, totals.cash(share, "USD"), "USD")
