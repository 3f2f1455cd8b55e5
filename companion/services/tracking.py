"""Streams: go live, end the stream, add a past one, see streams with their totals and the share each earned (and
why), override a stream's share, edit or delete them; the live-mode favourites and "on track" share."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from dataclasses import field as default
from datetime import UTC, datetime, timedelta, tzinfo
from decimal import Decimal

from sqlmodel import Session

from companion.domain.catalog import clean_gift_name
from companion.domain.economics import GiftTotals, check_share_bps, diamonds_per_live_hour
from companion.domain.errors import StateError, ValidationError
from companion.domain.live_rewards import LiveInput, LiveShare, lifts
from companion.domain.models import Stream
from companion.domain.money import quantize
from companion.domain.share_history import StreamShareSetting
from companion.domain.text import MAX_TITLE, clean_text
from companion.domain.timeutil import resolved_zone
from companion.services.shares import ShareBook, load_book, usd_at
from companion.store.db import Database
from companion.store.repositories import GiftRepo, ProfileRepo, SettingRepo, StreamRepo
from companion.store.shares_repo import ShareHistoryRepo

MAX_NOTES = 2000
MAX_AUDIENCE = 100_000_000  # peak viewers / new followers: far above any real stream
MAX_FAVOURITES = 9  # one per digit key
FAVOURITES_KEY = "live.favourites"
DEFAULT_FAVOURITES = ("Rose", "TikTok", "Finger Heart", "Rosa", "Perfume", "Doughnut", "Hand Hearts", "Corgi", "Galaxy")


@dataclass(frozen=True)
class StreamOverview:
    """A stream with what it earned: totals, the share it earned (and why), cash at that share, diamonds per live
    hour."""

    stream: Stream
    totals: GiftTotals
    cash: Decimal = Decimal(0)
    currency: str = "USD"
    per_hour: int | None = None  # None for a stream shorter than MIN_RATED_LIVE_SECONDS
    share: LiveShare = default(default_factory=lambda: LiveShare(0))
    setting: StreamShareSetting = default(default_factory=StreamShareSetting)  # the creator's override / breach


@dataclass(frozen=True)
class OnTrack:
    """The share the live stream is on track for now, why, and what would lift it."""

    share: LiveShare
    lifts: tuple[str, ...]
    rule_based: bool


@dataclass(frozen=True)
class StreamEdit:
    """What the edit dialog may change. `ended_at` must stay None for the live stream and be set for a past one."""

    title: str
    started_at: datetime
    ended_at: datetime | None
    peak_viewers: int | None = None
    new_followers: int | None = None
    notes: str = ""
    share: StreamShareSetting | None = None  # None: leave the stream's share override and breach as they are


def diamonds_per_hour(diamonds: int, duration: timedelta) -> int | None:
    """Diamonds per live hour, rounded half-even to a whole diamond; None for a short stream (it would mislead)."""
    return diamonds_per_live_hour(diamonds, int(duration.total_seconds()))


def _audience(value: int | None, field: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_AUDIENCE:
        raise ValidationError(f"{field.replace('_', ' ')} must be a whole number from 0 to {MAX_AUDIENCE:,}", field)
    return value


def _checked_share(setting: StreamShareSetting) -> StreamShareSetting:
    try:
        if setting.share_bps is not None:
            check_share_bps(setting.share_bps)
    except ValidationError as exc:
        raise ValidationError(f"share override: {exc}", field="share_override") from None
    try:
        check_share_bps(setting.breach_bps)
    except ValidationError as exc:
        raise ValidationError(f"breach deduction: {exc}", field="breach") from None
    return StreamShareSetting(setting.share_bps, setting.breach_bps, clean_text(setting.note, "share note", 200))


class StreamService:
    def __init__(self, db: Database, profile_id: int, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.profile_id = profile_id
        self.clock = clock

    def go_live(self, title: str = "") -> Stream:
        """Start a stream now. Refused while another stream is live (one live stream per profile)."""
        cleaned = clean_text(title, "title", MAX_TITLE)
        with self.db.session(write=True) as s:
            repo = StreamRepo(s)
            live = repo.live(self.profile_id)
            if live is not None:
                raise StateError(f"you are already live (stream “{live.title or live.id}” started)")
            now = self.clock()
            day = now.astimezone(self._zone(s))  # the profile's day, not the computer's
            stream = repo.create(self.profile_id, cleaned or f"Live {day:%Y-%m-%d}", now, None)
            s.commit()
            return stream

    def _zone(self, s: Session) -> tzinfo:
        return resolved_zone(ProfileRepo(s).get(self.profile_id).time_zone)

    def end(self, stream_id: int | None = None) -> Stream:
        """End the given stream, or the live one."""
        with self.db.session(write=True) as s:
            repo = StreamRepo(s)
            if stream_id is None:
                live = repo.live(self.profile_id)
                if live is None:
                    raise StateError("no stream is live")
                stream_id = live.id
            stream = repo.get(stream_id)
            if not stream.is_live:
                raise StateError("that stream has already ended")
            ended = repo.end(stream_id, self.clock())
            s.commit()
            return ended

    def live(self) -> Stream | None:
        with self.db.session() as s:
            return StreamRepo(s).live(self.profile_id)

    def get(self, stream_id: int) -> Stream:
        with self.db.session() as s:
            return StreamRepo(s).get(stream_id)

    def recent(self, limit: int = 200) -> list[Stream]:
        with self.db.session() as s:
            return StreamRepo(s).recent(self.profile_id, limit)

    def overview(self, limit: int = 100_000) -> list[StreamOverview]:
        """Streams, newest first, each with its gift totals, share, cash and diamonds per hour (a few queries)."""
        with self.db.session() as s:
            book = load_book(s, self.profile_id, self.clock())
            streams = StreamRepo(s).recent(self.profile_id, limit)  # with their notes (the book's have none)
            totals = GiftRepo(s).totals_by_stream([st.id for st in streams])
        return [self._overview(st, totals.get(st.id, GiftTotals()), book) for st in streams]

    def overview_of(self, stream_id: int) -> StreamOverview:
        """One stream's line of `overview()` (its week's LIVEs decide its share)."""
        with self.db.session() as s:
            stream = StreamRepo(s).get(stream_id)
            day = stream.started_at.astimezone(self._zone(s)).date()
            book = load_book(s, self.profile_id, self.clock(), day, day)  # its week's LIVEs are enough
            totals = GiftRepo(s).totals_by_stream([stream_id]).get(stream_id, GiftTotals())
        return self._overview(stream, totals, book)

    def _overview(self, stream: Stream, totals: GiftTotals, book: ShareBook) -> StreamOverview:
        per_hour = diamonds_per_hour(totals.diamonds, stream.duration(self.clock()))
        share = book.stream_shares.get(stream.id, LiveShare(0))
        cash = quantize(usd_at(totals.diamonds, share.share_bps), "USD")
        setting = book.overrides.get(stream.id, StreamShareSetting())
        return StreamOverview(stream, totals, cash, "USD", per_hour, share, setting)

    def set_share(self, stream_id: int, share_bps: int | None, note: str = "", breach_bps: int = 0) -> StreamOverview:
        """Override one stream's share (None: the rules decide again) with a note, and/or enter a guideline-breach
        deduction TikTok applied to it."""
        setting = _checked_share(StreamShareSetting(share_bps, breach_bps, note))
        with self.db.session(write=True) as s:
            stream = StreamRepo(s).get(stream_id)
            if stream.profile_id != self.profile_id:
                raise ValidationError("that stream belongs to another profile", field="stream")
            ShareHistoryRepo(s).set_stream(stream_id, setting)
            s.commit()
        return self.overview_of(stream_id)

    def add_past(
        self,
        started_at: datetime,
        ended_at: datetime,
        title: str = "",
        new_followers: int | None = None,
        peak_viewers: int | None = None,
    ) -> Stream:
        """Record a LIVE that already happened (checked like an edit: no overlap, not in the future)."""
        cleaned = clean_text(title, "title", MAX_TITLE)
        for moment, field in ((started_at, "start"), (ended_at, "end")):
            if moment.tzinfo is None or moment.utcoffset() is None:
                raise ValidationError("time has no UTC offset", field=field)
        change = StreamEdit(cleaned or "x", started_at, ended_at, peak_viewers, new_followers)
        _audience(peak_viewers, "peak_viewers")
        _audience(new_followers, "new_followers")
        now = self.clock()
        with self.db.session(write=True) as s:
            repo = StreamRepo(s)
            epoch = datetime(1970, 1, 1, tzinfo=UTC)  # a new stream: no times of its own to compare with yet
            probe = Stream(0, self.profile_id, cleaned, epoch, epoch)
            self._check_times(repo, probe, change, now, self._zone(s))
            day = started_at.astimezone(self._zone(s))
            created = repo.create(self.profile_id, cleaned or f"Live {day:%Y-%m-%d}", started_at, ended_at)
            stream = repo.update(
                Stream(created.id, self.profile_id, created.title, started_at, ended_at, peak_viewers, new_followers)
            )
            s.commit()
            return stream

    def set_audience(self, new_followers: int | None, peak_viewers: int | None, stream_id: int | None = None) -> Stream:
        """New followers and peak viewers typed during the LIVE (or from live capture) for the live stream."""
        followers, peak = _audience(new_followers, "new_followers"), _audience(peak_viewers, "peak_viewers")
        with self.db.session(write=True) as s:
            repo = StreamRepo(s)
            stream = repo.get(stream_id) if stream_id is not None else repo.live(self.profile_id)
            if stream is None:
                raise StateError("no stream is live")
            updated = repo.update(
                Stream(stream.id, stream.profile_id, stream.title, stream.started_at, stream.ended_at, peak,
                       followers, stream.notes)
            )  # fmt: skip
            s.commit()
            return updated

    def on_track(self, stream_id: int | None = None) -> OnTrack | None:
        """The share the live stream (or `stream_id`) is on track for if it ended now, and what would lift it."""
        with self.db.session() as s:
            repo = StreamRepo(s)
            stream = repo.get(stream_id) if stream_id is not None else repo.live(self.profile_id)
            if stream is None:
                return None
            day = stream.started_at.astimezone(self._zone(s)).date()
            book = load_book(s, self.profile_id, self.clock(), day, day)
        share = book.stream_shares.get(stream.id, LiveShare(0))
        period = book.period_on(stream.started_at.astimezone(book.zone).date())
        rules = book.rules.get(period.scheme_key) if period.rule_based else None
        if rules is None or share.overridden:
            return OnTrack(share, (), False)
        end = stream.ended_at or book.now
        live = LiveInput(stream.id, stream.started_at, end, stream.new_followers)
        others = [
            LiveInput(o.id, o.started_at, o.ended_at or book.now, o.new_followers)
            for o in book.streams.values() if o.id != stream.id
        ]  # fmt: skip
        return OnTrack(share, tuple(lifts(rules, live, others, book.settings.zone())), True)

    # ---- editing -------------------------------------------------------------------------------------------

    def edit(self, stream_id: int, change: StreamEdit) -> Stream:
        """Change a stream's title, times, audience or notes. Refused with the field named: an end before the
        start, times in the future, a past stream without an end, counts below zero, times that overlap
        another stream (the live one included)."""
        title = clean_text(change.title, "title", MAX_TITLE, required=True)
        notes = change.notes.strip()
        if len(notes) > MAX_NOTES:
            raise ValidationError(f"notes are longer than {MAX_NOTES:,} characters", field="notes")
        peak = _audience(change.peak_viewers, "peak_viewers")
        followers = _audience(change.new_followers, "new_followers")
        for moment, field in ((change.started_at, "started_at"), (change.ended_at, "ended_at")):
            if moment is not None and (moment.tzinfo is None or moment.utcoffset() is None):
                raise ValidationError("time has no UTC offset", field=field)
        now = self.clock()
        with self.db.session(write=True) as s:
            repo = StreamRepo(s)
            current = repo.get(stream_id)
            if current.profile_id != self.profile_id:
                raise ValidationError("that stream belongs to another profile", field="stream")
            self._check_times(repo, current, change, now, self._zone(s))
            edited = repo.update(
                Stream(current.id, current.profile_id, title, change.started_at, change.ended_at, peak, followers,
                       notes)
            )  # fmt: skip
            if change.share is not None:
                ShareHistoryRepo(s).set_stream(stream_id, _checked_share(change.share))
            s.commit()
            return edited

    def _check_times(self, repo: StreamRepo, current: Stream, change: StreamEdit, now: datetime, zone: tzinfo) -> None:
        start, end = change.started_at, change.ended_at
        if current.is_live and end is not None:
            raise ValidationError("a live stream has no end yet: press “End stream” to end it", field="ended_at")
        if not current.is_live and end is None:
            raise ValidationError("a past stream needs an end time", field="ended_at")
        if start > now:
            raise ValidationError("the start is in the future", field="started_at")
        if end is not None and end > now:
            raise ValidationError("the end is in the future", field="ended_at")
        if end is not None and end < start:
            raise ValidationError("the stream ends before it starts", field="ended_at")
        if start == current.started_at and end == current.ended_at:
            return  # only the text changed: old overlaps (from imports) do not block a new title
        other = repo.first_overlapping(self.profile_id, start, end if end is not None else now, now, current.id)
        if other is not None:
            when = other.started_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
            live = " (live now)" if other.is_live else ""
            raise ValidationError(f"these times overlap the stream “{other.title}” of {when}{live}", field="started_at")

    def delete(self, stream_id: int, with_gifts: bool) -> int:
        """Delete a past stream. `with_gifts` deletes its gifts too; otherwise they stay, without a stream, in
        every total. Returns how many gifts were deleted. The live stream must be ended first."""
        with self.db.session(write=True) as s:
            repo = StreamRepo(s)
            stream = repo.get(stream_id)
            if stream.profile_id != self.profile_id:
                raise ValidationError("that stream belongs to another profile", field="stream")
            if stream.is_live:
                raise StateError("this stream is live: end it before deleting it")
            deleted = repo.delete(stream_id, with_gifts)
            s.commit()
            return deleted

    # ---- live-mode favourites ----------------------------------------------------------------------------------

    def favourites(self) -> list[str]:
        """Gift names on the live-mode palette, digit 1 first (a default set until the creator picks)."""
        with self.db.session() as s:
            stored = SettingRepo(s).get(FAVOURITES_KEY)
        if stored is None:
            return list(DEFAULT_FAVOURITES)
        try:
            names = json.loads(stored)
        except ValueError:
            return list(DEFAULT_FAVOURITES)
        return [n for n in names if isinstance(n, str)][:MAX_FAVOURITES] if isinstance(names, list) else []

    def set_favourites(self, names: Sequence[str]) -> list[str]:
        """Store the palette (duplicates dropped, order kept); at most nine, one per digit."""
        cleaned: list[str] = []
        for name in names:
            gift = clean_gift_name(name)
            if gift.casefold() not in (c.casefold() for c in cleaned):
                cleaned.append(gift)
        if len(cleaned) > MAX_FAVOURITES:
            raise ValidationError(f"at most {MAX_FAVOURITES} favourites (one per digit key)", field="favourites")
        with self.db.session(write=True) as s:
            SettingRepo(s).set(FAVOURITES_KEY, json.dumps(cleaned))
            s.commit()
        return cleaned
