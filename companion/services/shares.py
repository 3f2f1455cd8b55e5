"""Cash at the share that really applied: each gift at the share in force on its local day (share history), a
gift in a LIVE at that LIVE's share (per-LIVE rules, or the creator's override).

Sums are made in SQL per (share period, stream) group and priced per group in Python with Decimal, never per
gift: a million gifts are a handful of grouped rows."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from decimal import ROUND_HALF_EVEN, Decimal
from zoneinfo import ZoneInfo

from sqlmodel import Session

from companion.domain.currency import DisplayRate
from companion.domain.economics import BASE_USD_PER_DIAMOND, FULL_SHARE_BPS, GiftTotals
from companion.domain.errors import ValidationError
from companion.domain.live_rewards import (
    LiveInput,
    LiveRules,
    LiveShare,
    WeekExtras,
    parse_live_rules,
    pct,
    week_shares,
)
from companion.domain.models import Stream
from companion.domain.money import allocate, from_minor, to_minor
from companion.domain.share_history import SharePeriod, StreamShareSetting, in_force, spans
from companion.domain.timeutil import local_midnight_utc, resolved_zone, to_local
from companion.store.repositories import ProfileRepo, SettingRepo
from companion.store.shares_repo import ShareHistoryRepo

RULES_KEY = "reward_schemes.rules"  # {scheme key: rules object} from reward_schemes.json
DEFAULT_WEEK_ZONE = "UTC"


def reward_settings_key(profile_id: int) -> str:
    return f"live_rewards.{profile_id}"


@dataclass(frozen=True)
class RewardSettings:
    """The creator's per-LIVE settings: the zone weeks are counted in (TikTok credits Monday weeks; UTC assumed
    unless the creator says otherwise) and the weekly bonuses they tick."""

    week_zone: str = DEFAULT_WEEK_ZONE
    team_bps: int = 0
    league_bps: int = 0

    def zone(self) -> tzinfo:
        return ZoneInfo(self.week_zone)


def load_rules(s: Session) -> dict[str, LiveRules]:
    raw = SettingRepo(s).get(RULES_KEY)
    if not raw:
        return {}
    return {key: parse_live_rules(value, f"scheme '{key}' rules") for key, value in json.loads(raw).items()}


def load_reward_settings(s: Session, profile_id: int) -> RewardSettings:
    raw = SettingRepo(s).get(reward_settings_key(profile_id))
    if not raw:
        return RewardSettings()
    data = json.loads(raw)
    return RewardSettings(
        str(data.get("week_zone", DEFAULT_WEEK_ZONE)), int(data.get("team_bps", 0)), int(data.get("league_bps", 0))
    )


@dataclass(frozen=True)
class PricedTotals:
    """Gift totals with their cash in US dollars, unrounded (round once, where it is shown)."""

    totals: GiftTotals = field(default_factory=GiftTotals)
    usd: Decimal = Decimal(0)

    def __add__(self, other: PricedTotals) -> PricedTotals:
        return PricedTotals(self.totals + other.totals, self.usd + other.usd)

    def share_bps(self, fallback: int) -> int:
        """The share these gifts earned on average (exact when one share applied), whole basis points."""
        if not self.totals.diamonds:
            return fallback
        exact = self.usd / (self.totals.diamonds * BASE_USD_PER_DIAMOND) * FULL_SHARE_BPS
        return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def usd_at(diamonds: int, share_bps: int) -> Decimal:
    return diamonds * BASE_USD_PER_DIAMOND * share_bps / FULL_SHARE_BPS


@dataclass
class ShareBook:
    """Everything that prices gifts for one profile, read once: history, rules, LIVE shares, overrides."""

    profile_id: int
    zone: tzinfo
    periods: list[SharePeriod]
    rules: dict[str, LiveRules]
    settings: RewardSettings
    now: datetime
    streams: dict[int, Stream] = field(default_factory=dict)
    stream_shares: dict[int, LiveShare] = field(default_factory=dict)
    overrides: dict[int, StreamShareSetting] = field(default_factory=dict)

    def period_on(self, day: date) -> SharePeriod:
        return in_force(self.periods, day) or self.periods[0]

    def loose_share(self, period: SharePeriod) -> int:
        """The share of gifts outside any LIVE: the fixed share, or under per-LIVE rules the lowest base."""
        if period.share_bps is not None:
            return period.share_bps
        rules = self.rules.get(period.scheme_key)
        return rules.floor_bps if rules is not None else 0

    def stream_share(self, stream_id: int) -> LiveShare:
        return self.stream_shares[stream_id]


#: Streams that can hold gifts of a range or share its weeks start at most this long around it.
_AROUND = timedelta(days=8)


def load_book(
    s: Session, profile_id: int, now: datetime, first: date | None = None, last: date | None = None
) -> ShareBook:
    """The book for gifts on local days `first`..`last` (None: all): only the LIVEs around them are priced."""
    profile = ProfileRepo(s).get(profile_id)
    tz = resolved_zone(profile.time_zone)
    repo = ShareHistoryRepo(s)
    periods = repo.periods(profile_id) or [SharePeriod(date(1970, 1, 1), "custom", None, profile.share_bps)]
    book = ShareBook(profile_id, tz, periods, load_rules(s), load_reward_settings(s, profile_id), now)
    start = local_midnight_utc(first, tz) - _AROUND if first is not None else None
    end = local_midnight_utc(last + timedelta(days=1), tz) + _AROUND if last is not None else None
    listed = repo.streams_started(profile_id, start, end)
    book.streams = {st.id: st for st in listed}
    book.overrides = repo.stream_settings(list(book.streams)) if book.streams else {}
    _price_streams(book)
    return book


def _price_streams(book: ShareBook) -> None:
    by_scheme: dict[str, list[LiveInput]] = {}
    for stream in book.streams.values():
        period = book.period_on(to_local(stream.started_at, book.zone).date())
        setting = book.overrides.get(stream.id, StreamShareSetting())
        if period.share_bps is not None or period.scheme_key not in book.rules:
            share = book.loose_share(period)
            book.stream_shares[stream.id] = LiveShare(share, (f"{period.label()} → {pct(share)}",))
        else:
            end = stream.ended_at if stream.ended_at is not None else book.now
            by_scheme.setdefault(period.scheme_key, []).append(
                LiveInput(stream.id, stream.started_at, end, stream.new_followers, setting.breach_bps)
            )
    extras = WeekExtras(book.settings.team_bps, book.settings.league_bps)
    for key, lives in by_scheme.items():
        book.stream_shares.update(week_shares(book.rules[key], lives, book.settings.zone(), extras))
    for stream_id, setting in book.overrides.items():
        if setting.share_bps is not None and stream_id in book.stream_shares:
            note = f" ({setting.note})" if setting.note else ""
            book.stream_shares[stream_id] = LiveShare(
                setting.share_bps, (f"set by you{note} = {pct(setting.share_bps)}",), overridden=True
            )


def priced_between(
    s: Session, book: ShareBook, first: date | None, last: date | None, stream_id: int | None = None
) -> PricedTotals:
    """Totals and cash of gifts on local days `first`..`last` (None: open), optionally of one stream: one grouped
    query per share period the days cross."""
    repo = ShareHistoryRepo(s)
    total = PricedTotals()
    for period, lo, hi in spans(book.periods, first, last):
        start = local_midnight_utc(lo, book.zone) if lo is not None else None
        end = local_midnight_utc(hi, book.zone) if hi is not None else None
        for sid, totals in repo.totals_by_stream_between(book.profile_id, start, end, stream_id).items():
            if sid is not None and sid in book.stream_shares:
                share = book.stream_shares[sid].share_bps
            else:
                share = book.loose_share(period)
            total = total + PricedTotals(totals, usd_at(totals.diamonds, share))
    return total


def priced_range(s: Session, book: ShareBook, start: datetime | None, end: datetime | None) -> PricedTotals:
    """As `priced_between`, for UTC instants; the local days they fall on decide the periods."""
    first = to_local(start, book.zone).date() if start is not None else None
    last = to_local(end - timedelta(milliseconds=1), book.zone).date() if end is not None else None
    if first is None and last is None:
        return priced_between(s, book, None, None)
    return priced_between(s, book, first, last)


def check_week_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ValueError, KeyError) as exc:
        raise ValidationError(f"unknown time zone '{name}'", field="week_zone") from exc
    return name


def share_of_gift(book: ShareBook, day: date, stream_id: int | None) -> int:
    """The share a gift on local `day` in `stream_id` (or none) was paid at."""
    if stream_id is not None and stream_id in book.stream_shares:
        return book.stream_shares[stream_id].share_bps
    return book.loose_share(book.period_on(day))


def cash_rows_mixed(display: DisplayRate, rows: Sequence[int]) -> tuple[Decimal, list[Decimal]]:
    """A table's rows priced at different shares: each row's weight is its diamonds × share in basis points (its
    exact US dollars × 10⁶, an integer). Returns the total converted and rounded once, and rows shared out of it
    (largest remainder) so the column adds up to the total."""
    total = display.from_usd(Decimal(sum(rows)) / 1_000_000)
    minor = allocate(to_minor(total, display.currency), list(rows))
    return total, [from_minor(m, display.currency) for m in minor]
