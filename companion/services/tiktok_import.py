"""Importing TikTok's data download: each LIVE matched to a stream (or made a past stream without gifts), its
TikTok total stored beside it; and the per-LIVE check that reads those totals back.

The unit of `TotalEarning` is not documented by TikTok. It is taken as diamonds unless the creator says
US dollars: then it is the creator's earnings and becomes diamonds at the share that LIVE earned (the share
in force on its day, or its own under per-LIVE rules; a diamond is worth US$0.01 × share), rounded half-even
to a whole diamond. Coins are not offered: this app counts one diamond per coin, so a total in coins is the
same number as in diamonds. One transaction: all or nothing; a LIVE already
imported (same start) adds nothing, and gets the new total if the file (or the chosen unit) gives another."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

from sqlmodel import Session

from companion.domain.errors import ValidationError
from companion.domain.timeutil import resolved_zone, to_local
from companion.integrations.tiktok_export import (
    DEFAULT_UNIT,
    EARNING_UNITS,
    TikTokExport,
    TikTokExportRefused,
    TikTokLive,
    iter_lives,
    read_export,
)
from companion.services.shares import ShareBook, load_book
from companion.store.db import Database
from companion.store.repositories import ProfileRepo, StreamRepo
from companion.store.tables import TikTokLiveRow
from companion.store.tiktok_repo import StoredLive, StreamStart, TikTokRepo
from companion.store.types import to_millis

__all__ = ["EARNING_UNITS", "TikTokExport", "TikTokExportRefused", "TikTokService"]

#: A LIVE belongs to the stream that started nearest to it within this much: the app's "Go live" is pressed a
#: little before or after TikTok's LIVE starts, and two LIVEs of one evening are more than this apart.
MATCH_TOLERANCE = timedelta(minutes=10)
NEW_STREAM_TITLE = "LIVE (from TikTok data)"

MATCHED, NEW_STREAM, ALREADY, UPDATED = "matched", "new past stream", "already imported", "total updated"


@dataclass(frozen=True)
class PlannedLive:
    """What importing one LIVE will do (the preview's row)."""

    live: TikTokLive
    diamonds: int | None  # TikTok's total in diamonds (None: the file gives none)
    action: str  # MATCHED, NEW_STREAM, ALREADY or UPDATED
    stream_id: int | None = None
    stream_title: str = ""
    stored: StoredLive | None = None
    share_bps: int | None = None  # the share a total in US dollars was divided by (None: diamonds)


@dataclass(frozen=True)
class TikTokPlan:
    export: TikTokExport
    unit: str
    share_bps: int
    lives: tuple[PlannedLive, ...]

    def count(self, action: str) -> int:
        return sum(1 for p in self.lives if p.action == action)

    def unit_note(self) -> str:
        if self.unit == "usd":
            return ("TotalEarning is taken as US dollars you earned, converted to diamonds at the share each LIVE "
                    "earned (the share in force that day; under per-LIVE rules, that LIVE's own)")  # fmt: skip
        return "TotalEarning is taken as diamonds"


@dataclass(frozen=True)
class TikTokImportResult:
    matched: int
    created: int
    updated: int
    already: int
    unit: str
    unknown_keys: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def describe(self) -> str:
        parts = [f"{self.matched} LIVE{'s' if self.matched != 1 else ''} matched to streams",
                 f"{self.created} new past stream{'s' if self.created != 1 else ''}"]  # fmt: skip
        if self.updated:
            parts.append(f"{self.updated} total{'s' if self.updated != 1 else ''} updated")
        if self.already:
            parts.append(f"{self.already} already imported (unchanged)")
        text = ", ".join(parts) + f"; TotalEarning taken as {self.unit}"
        if self.unknown_keys:
            text += f"; keys not read: {', '.join(self.unknown_keys)}"
        return "; ".join([text, *self.notes])

    def as_dict(self) -> dict[str, Any]:
        return {
            "matched": self.matched, "created": self.created, "updated": self.updated, "already": self.already,
            "earning_unit": self.unit, "unknown_keys": list(self.unknown_keys), "notes": list(self.notes),
        }  # fmt: skip


def check_unit(unit: str) -> str:
    if unit not in EARNING_UNITS:
        raise ValidationError(f"the earning unit must be one of {', '.join(EARNING_UNITS)} (got '{unit}')", "unit")
    return unit


def suggested_unit(export: TikTokExport) -> str:
    """US dollars when a total has cents (diamonds are whole), diamonds otherwise."""
    fractional = any(live.earning is not None and live.earning != live.earning.to_integral_value()
                     for live in export.lives)  # fmt: skip
    return "usd" if fractional else DEFAULT_UNIT


def tiktok_diamonds(live: TikTokLive, unit: str, share_bps: int) -> int | None:
    """TikTok's total of one LIVE in diamonds; refused (naming the entry) when the unit cannot be right."""
    earning = live.earning
    if earning is None:
        return None
    if unit == "diamonds":
        if earning != earning.to_integral_value():
            raise ValueError(
                f"GoLiveList entry {live.entry}, TotalEarning {earning} has a fraction: diamonds are whole; "
                "if it is US dollars, choose that unit"
            )
        return int(earning)
    if share_bps <= 0:
        raise ValueError("US dollars cannot be turned into diamonds at a share of 0 %: set your level first")
    return int((earning * 1_000_000 / share_bps).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


class TikTokService:
    def __init__(self, db: Database, profile_id: int, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.profile_id = profile_id
        self.clock = clock

    @staticmethod
    def read(path: Path) -> TikTokExport:
        """Read a download (no database): the preview's first step."""
        return read_export(path)

    def preview(self, export: TikTokExport, unit: str = DEFAULT_UNIT) -> TikTokPlan:
        """What importing would do with `unit`, nothing written."""
        with self.db.session() as s:
            return self._plan(s, export, check_unit(unit))

    def import_export(self, export: TikTokExport, unit: str = DEFAULT_UNIT) -> TikTokImportResult:
        """Store every LIVE in one transaction (matched, new past streams, updated totals), or nothing."""
        now = self.clock()
        with self.db.session(write=True) as s:
            plan = self._plan(s, export, check_unit(unit))
            repo, streams = TikTokRepo(s), StreamRepo(s)
            for planned in plan.lives:
                self._apply(planned, plan, repo, streams, now)
            s.commit()
        return TikTokImportResult(
            plan.count(MATCHED), plan.count(NEW_STREAM), plan.count(UPDATED), plan.count(ALREADY),
            plan.unit, export.unknown_keys, export.notes,
        )  # fmt: skip

    def import_file(self, path: Path, unit: str = DEFAULT_UNIT) -> TikTokImportResult:
        return self.import_export(read_export(path), unit)

    def tiktok_totals(self, stream_ids: Sequence[int]) -> dict[int, int]:
        """TikTok's diamonds per stream, for the streams that have an imported LIVE with a total."""
        with self.db.session() as s:
            return TikTokRepo(s).totals_by_stream(stream_ids)

    # ---- planning ----------------------------------------------------------------------------------------

    def _plan(self, s: Session, export: TikTokExport, unit: str) -> TikTokPlan:
        share = ProfileRepo(s).get(self.profile_id).share_bps
        lives = list(iter_lives(export))
        repo = TikTokRepo(s)
        stored = repo.stored(self.profile_id, [live.started_at for live in lives])
        candidates = (
            repo.streams_starting(
                self.profile_id, lives[0].started_at - MATCH_TOLERANCE, lives[-1].started_at + MATCH_TOLERANCE
            )
            if lives
            else []
        )
        book = self._book(s, lives) if unit == "usd" and lives else None
        problems: list[str] = []
        planned: list[PlannedLive] = []
        seen: set[int] = set()
        for live in lives:
            key = to_millis(live.started_at)
            if key in seen:
                continue  # listed twice in the file: the first counts
            seen.add(key)
            before = stored.get(key)
            stream = None if before is not None else _nearest(candidates, live.started_at)
            stream_id = before.stream_id if before is not None else (stream.id if stream is not None else None)
            live_share = _share_of(book, stream_id, live) if book is not None else None
            try:
                diamonds = tiktok_diamonds(live, unit, live_share if live_share is not None else share)
            except ValueError as exc:
                problems.append(str(exc))
                continue
            if before is not None:
                same = (before.diamonds, before.earning, before.earning_unit) == (diamonds, _text(live.earning), unit)
                action = ALREADY if same else UPDATED
                planned.append(PlannedLive(live, diamonds, action, before.stream_id, "", before, live_share))
            elif stream is None:
                planned.append(PlannedLive(live, diamonds, NEW_STREAM, None, live.title or NEW_STREAM_TITLE,
                                           share_bps=live_share))  # fmt: skip
            else:
                planned.append(PlannedLive(live, diamonds, MATCHED, stream.id, stream.title, share_bps=live_share))
        if problems:
            raise TikTokExportRefused(problems, export.member)
        return TikTokPlan(export, unit, share, tuple(planned))

    def _book(self, s: Session, lives: Sequence[TikTokLive]) -> ShareBook:
        """The share history around the LIVEs: a total in US dollars becomes diamonds at the share in force."""
        zone = resolved_zone(ProfileRepo(s).get(self.profile_id).time_zone)
        days = [to_local(live.started_at, zone).date() for live in lives]
        return load_book(s, self.profile_id, self.clock(), min(days), max(days))

    def _apply(
        self, planned: PlannedLive, plan: TikTokPlan, repo: TikTokRepo, streams: StreamRepo, now: datetime
    ) -> None:
        live = planned.live
        earning = _text(live.earning)
        share = planned.share_bps if plan.unit == "usd" else None
        if planned.action == ALREADY:
            return
        if planned.action == UPDATED and planned.stored is not None:
            repo.update_total(planned.stored.id, earning, plan.unit, share, planned.diamonds)
            return
        stream_id = planned.stream_id
        if planned.action == NEW_STREAM:
            stream_id = streams.create(self.profile_id, planned.stream_title[:200], live.started_at, _end(live)).id
        repo.add(
            TikTokLiveRow(
                profile_id=self.profile_id, stream_id=stream_id, started_at=live.started_at, ended_at=live.ended_at,
                duration_seconds=live.duration_seconds, title=live.title, earning=earning, earning_unit=plan.unit,
                share_bps=share, diamonds=planned.diamonds, gifters=live.gifters, views=live.views, imported_at=now,
            )
        )  # fmt: skip


def _text(earning: Decimal | None) -> str | None:
    return None if earning is None else str(earning)


def _end(live: TikTokLive) -> datetime:
    """A past stream needs an end: TikTok's, else start + duration, else the start itself."""
    if live.ended_at is not None:
        return live.ended_at
    if live.duration_seconds is not None:
        return live.started_at + timedelta(seconds=live.duration_seconds)
    return live.started_at


def _share_of(book: ShareBook, stream_id: int | None, live: TikTokLive) -> int:
    """The share a LIVE earned: its stream's (per-LIVE rules, or set by the creator), else the day's."""
    if stream_id is not None and stream_id in book.stream_shares:
        return book.stream_share(stream_id).share_bps
    return book.loose_share(book.period_on(to_local(live.started_at, book.zone).date()))


def _nearest(streams: Sequence[StreamStart], when: datetime) -> StreamStart | None:
    close = [st for st in streams if abs(st.started_at - when) <= MATCH_TOLERANCE]
    return min(close, key=lambda st: (abs(st.started_at - when), st.id)) if close else None


@dataclass(frozen=True)
class LiveCheck:
    """One LIVE's check: TikTok's diamonds against the diamonds logged in the app. `missing` > 0: gifts TikTok
    counted that the app has not (not logged); < 0: the app has more (logged twice, or not credited yet)."""

    tiktok: int
    logged: int

    @property
    def missing(self) -> int:
        return self.tiktok - self.logged
