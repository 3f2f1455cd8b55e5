"""Exports: native CSV, QIF, and the data of the monthly statement (the PDF itself needs Qt: services/statement.py
writes it through a renderer from companion/render/). Files are written atomically: a temp file beside the
target, then os.replace — a cancelled or failed export leaves no partial file behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal
from pathlib import Path

from companion.domain.currency import DisplayRate
from companion.domain.economics import GiftTotals, share_percent_text
from companion.domain.errors import CompanionError, ValidationError
from companion.domain.models import Profile
from companion.domain.money import from_minor
from companion.domain.timeutil import local_range_utc, to_local, zone
from companion.integrations.export_csv import write_header, write_rows
from companion.integrations.qif import QifEntry, write_qif
from companion.services.dashboard import CashRate, cash_rate, live_seconds
from companion.services.projections import ProjectionService, ProjectionView
from companion.services.shares import cash_rows_mixed, load_book, priced_between, share_of_gift
from companion.store.db import Database
from companion.store.insights import InsightsRepo, PayoutLine
from companion.store.repositories import GiftRepo, ProfileRepo
from companion.store.shares_repo import ShareHistoryRepo

Progress = Callable[[int, int], None]  # (done, total)
Cancelled = Callable[[], bool]
#: The ledger's currency: TikTok pays out in US dollars, and payouts are recorded in US cents.
PAYOUT_CURRENCY = "USD"


class ExportCancelled(CompanionError):
    def __init__(self) -> None:
        super().__init__("the export was cancelled; no file was written")


@contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """Yield a temp path in the target's folder; on success it replaces `path` in one step, on any error
    (or cancel) it is removed and `path` is left as it was."""
    path = Path(path)
    if path.is_dir():
        raise ValidationError(f"{path} is a folder; give a file name", field="out")
    if not path.parent.is_dir():
        raise ValidationError(f"the folder {path.parent} does not exist", field="out")
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    os.close(handle)
    temp = Path(temp_name)
    try:
        yield temp
        with temp.open("rb+") as written:
            os.fsync(written.fileno())
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def month_range(text: str) -> tuple[date, date]:
    """'2026-11' → (2026-11-01, 2026-11-30)."""
    try:
        first = datetime.strptime(text.strip(), "%Y-%m").date()
    except ValueError:
        raise ValidationError(f"'{text}' is not a month like 2026-11", field="month") from None
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, following - timedelta(days=1)


@dataclass(frozen=True)
class StatementStream:
    title: str
    started_at: datetime  # local
    live_seconds: int
    totals: GiftTotals
    cash: Decimal


@dataclass(frozen=True)
class LevelCash:
    name: str
    share_bps: int
    cash: Decimal
    current: bool


@dataclass(frozen=True)
class Statement:
    profile: Profile
    first: date
    last: date
    generated_at: datetime  # local
    rate: CashRate
    totals: GiftTotals
    cash: Decimal
    live_seconds: int
    scheme: str
    levels: list[LevelCash]  # the month's diamonds at each level of the scheme (or the profile's share)
    streams: list[StatementStream]
    outside_streams: GiftTotals
    top_gifters: list[tuple[str, int, Decimal]]  # (sender, diamonds, cash)
    payouts: list[PayoutLine]  # requested or paid this month, oldest request first; times in the profile's zone
    outside_cash: Decimal = Decimal(0)  # the "Gifts outside streams" row's share of `cash`
    paid_out: Decimal = Decimal(0)  # net of the payouts paid (by `paid_at`) this month, in `payout_currency`
    payout_currency: str = PAYOUT_CURRENCY
    outlook: ProjectionView | None = None  # the next 30 days from the day it was made, with its measured record

    @property
    def month_title(self) -> str:
        return f"{self.first:%B %Y}"


class ExportService:
    def __init__(
        self, db: Database, profile_id: int, clock: Callable[[], datetime], projections: ProjectionService | None = None
    ) -> None:
        self.db = db
        self.profile_id = profile_id
        self.clock = clock
        self.projections = projections

    def _profile_range(self, month: str | None) -> tuple[Profile, datetime | None, datetime | None]:
        with self.db.session() as s:
            profile = ProfileRepo(s).get(self.profile_id)
        if month is None:
            return profile, None, None
        first, last = month_range(month)
        start, end = local_range_utc(first, last, zone(profile.time_zone))
        return profile, start, end

    def export_csv(
        self, path: Path, month: str | None = None, progress: Progress | None = None, cancelled: Cancelled | None = None
    ) -> int:
        """All gifts (or one month's) as native CSV; returns rows written. Re-importing it adds nothing."""
        profile, start, end = self._profile_range(month)
        tz = zone(profile.time_zone)
        with self.db.session() as s, atomic_output(path) as temp, temp.open("w", encoding="utf-8", newline="") as out:
            repo = InsightsRepo(s)
            total = repo.count_gifts(self.profile_id, start, end)
            writer = write_header(out)
            done = 0
            for batch in repo.gifts_for_export(self.profile_id, start, end):
                if cancelled is not None and cancelled():
                    raise ExportCancelled()
                done += write_rows(writer, batch, tz)
                if progress is not None:
                    progress(done, total)
        return done

    def qif_entries(self, month: str | None = None) -> list[QifEntry]:
        """Income per local day (each gift at the share it earned; the days add up to the period's total, rounded
        once) and paid payouts."""
        profile, start, end = self._profile_range(month)
        tz = zone(profile.time_zone)
        per_day: dict[date, tuple[int, int]] = {}  # day: (diamonds, diamonds × share bps)
        with self.db.session() as s:
            repo = InsightsRepo(s)
            book = load_book(s, self.profile_id, self.clock())
            for moment, stream_id, diamonds in ShareHistoryRepo(s).quarter_hours_by_stream(self.profile_id, start, end):
                day = to_local(moment, tz).date()
                had, weight = per_day.get(day, (0, 0))
                per_day[day] = (had + diamonds, weight + diamonds * share_of_gift(book, day, stream_id))
            payouts = [p for p in repo.payouts(self.profile_id, None, None) if p.status == "paid"]
        days = sorted(per_day.items())
        # the days share out the period's once-rounded total, so the file adds up to what the app shows
        _, cash = cash_rows_mixed(DisplayRate(), [w for _, (_, w) in days])
        entries = [
            QifEntry(
                day,
                amount,
                "TikTok LIVE gifts",
                f"{d:,} diamonds at {_average_share(d, w)} %",
                "Income:TikTok LIVE",
            )
            for (day, (d, w)), amount in zip(days, cash, strict=True)
        ]
        for payout in payouts:
            paid = payout.paid_at or payout.requested_at
            if (start is not None and paid < start) or (end is not None and paid >= end):
                continue
            entries.append(
                QifEntry(
                    to_local(paid, tz).date(),
                    -from_minor(payout.gross_cents, "USD"),
                    "TikTok payout",
                    f"{payout.method or 'payout'}; fee {from_minor(payout.fee_cents, 'USD')} US$",
                    "Transfer:TikTok payouts",
                )
            )
        return sorted(entries, key=lambda e: e.day)

    def export_qif(self, path: Path, month: str | None = None) -> int:
        entries = self.qif_entries(month)
        with atomic_output(path) as temp, temp.open("w", encoding="utf-8", newline="\n") as out:
            return write_qif(out, "TikTok LIVE balance", entries)

    def statement(self, month: str) -> Statement:
        first, last = month_range(month)
        now = self.clock()
        with self.db.session() as s:
            profile = ProfileRepo(s).get(self.profile_id)
            tz = zone(profile.time_zone)
            start, end = local_range_utc(first, last, tz)
            assert start is not None and end is not None
            rate = cash_rate(s, profile, min(last, to_local(now, tz).date()))
            gifts, insights = GiftRepo(s), InsightsRepo(s)
            book = load_book(s, self.profile_id, now, first, last)
            priced = priced_between(s, book, first, last)
            totals = priced.totals
            stream_rows = insights.streams_between(self.profile_id, start, end)
            streams = []
            ids = []
            for row in stream_rows:
                assert row.id is not None
                ids.append(row.id)
                in_month = gifts.totals(self.profile_id, start, end, row.id)
                streams.append(
                    StatementStream(
                        row.title,
                        to_local(row.started_at, tz),
                        live_seconds([row], start, end, now),
                        in_month,
                        Decimal(0),
                    )
                )
            scheme, level_lines = insights.levels(self.profile_id)
            gifters = [(n, d) for n, d in insights.sender_totals(self.profile_id, start, end) if n][:10]
            payouts = _month_payouts(insights.payouts(self.profile_id, None, None), start, end, tz)
        in_streams = GiftTotals()
        for stream in streams:
            in_streams = in_streams + stream.totals
        outside = GiftTotals(
            totals.gifts - in_streams.gifts,
            totals.items - in_streams.items,
            totals.coins - in_streams.coins,
            totals.diamonds - in_streams.diamonds,
        )
        # the stream rows (and the row of gifts outside streams) share out the month's once-rounded cash; each row
        # weighs its diamonds × the share it earned (the LIVE's share; outside LIVEs, the share history's)
        weights = [st.totals.diamonds * book.stream_shares[sid].share_bps for st, sid in zip(streams, ids, strict=True)]
        month_cash, rows_cash = cash_rows_mixed(rate.display, [*weights, int(priced.usd * 1_000_000) - sum(weights)])
        *stream_cash, outside_cash = rows_cash
        streams = [replace(st, cash=c) for st, c in zip(streams, stream_cash, strict=True)]
        if level_lines:
            levels = [
                LevelCash(line.name, line.share_bps, rate.at_share(line.share_bps).cash(totals.diamonds), line.current)
                for line in level_lines
            ]
        else:
            levels = [LevelCash("Your share", profile.share_bps, rate.cash(totals.diamonds), True)]
        return Statement(
            profile=profile,
            first=first,
            last=last,
            generated_at=to_local(now, tz),
            rate=rate,
            totals=totals,
            cash=month_cash,
            live_seconds=sum(st.live_seconds for st in streams),
            scheme=scheme,
            levels=levels,
            streams=[st for st in streams if st.totals.gifts or st.live_seconds],
            outside_streams=outside,
            top_gifters=[(n, d, rate.cash(d)) for n, d in gifters],
            payouts=payouts,
            outside_cash=outside_cash,
            paid_out=from_minor(
                sum(p.gross_cents - p.fee_cents for p in payouts if _paid_within(p, start, end)), PAYOUT_CURRENCY
            ),
            outlook=self.projections.project() if self.projections is not None else None,
        )


def _paid_within(payout: PayoutLine, start: datetime, end: datetime) -> bool:
    return payout.status == "paid" and payout.paid_at is not None and start <= payout.paid_at < end


def _month_payouts(payouts: list[PayoutLine], start: datetime, end: datetime, tz: tzinfo | None) -> list[PayoutLine]:
    """The payouts requested or paid in [start, end), with their times in the profile's zone (a payout paid at
    00:30 in Tokyo on the 1st belongs to the new month and prints on the 1st, whatever the computer's zone)."""
    return [
        replace(p, requested_at=to_local(p.requested_at, tz), paid_at=to_local(p.paid_at, tz) if p.paid_at else None)
        for p in payouts
        if start <= p.requested_at < end or _paid_within(p, start, end)
    ]


def _average_share(diamonds: int, weight: int) -> str:
    """The share a day's gifts earned on average, as text (exact when one share applied)."""
    return share_percent_text(weight // diamonds) if diamonds and weight % diamonds == 0 else (
        f"{Decimal(weight) / diamonds / 100:.2f}" if diamonds else "0")  # fmt: skip
