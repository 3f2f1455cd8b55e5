"""Repositories: the only place that queries the tables; they take a Session and return domain records."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import delete, func, insert, or_, update
from sqlmodel import Session, col, select

from companion.domain.catalog import CatalogEntry, PricePoint, gift_key, price_at
from companion.domain.economics import GiftTotals
from companion.domain.errors import NotFound
from companion.domain.models import CatalogGift, GiftEvent, NewGift, Profile, Stream
from companion.store.tables import (
    GiftEventRow,
    GiftPriceRow,
    GiftTypeRow,
    ProfileRow,
    SettingRow,
    StreamRow,
)
from companion.store.types import to_millis


def _profile(row: ProfileRow) -> Profile:
    assert row.id is not None
    return Profile(row.id, row.name, row.currency, row.time_zone, row.share_bps)


def _stream(row: StreamRow) -> Stream:
    assert row.id is not None
    return Stream(
        row.id, row.profile_id, row.title, row.started_at, row.ended_at, row.peak_viewers, row.new_followers, row.notes
    )


def _gift_event(row: GiftEventRow) -> GiftEvent:
    assert row.id is not None
    return GiftEvent(
        row.id, row.profile_id, row.stream_id, row.received_at, row.sender, row.gift_name,
        row.coins_each, row.count, row.diamonds, row.source,
    )  # fmt: skip


class ProfileRepo:
    def __init__(self, session: Session) -> None:
        self.s = session

    def first(self) -> Profile | None:
        row = self.s.exec(select(ProfileRow).order_by(col(ProfileRow.id))).first()
        return _profile(row) if row else None

    def get(self, profile_id: int) -> Profile:
        row = self.s.get(ProfileRow, profile_id)
        if row is None:
            raise NotFound(f"profile {profile_id} does not exist")
        return _profile(row)

    def create(self, name: str, currency: str, time_zone: str, share_bps: int, now: datetime) -> Profile:
        row = ProfileRow(name=name, currency=currency, time_zone=time_zone, share_bps=share_bps, created_at=now)
        self.s.add(row)
        self.s.flush()
        return _profile(row)


class StreamRepo:
    def __init__(self, session: Session) -> None:
        self.s = session

    def _row(self, stream_id: int) -> StreamRow:
        row = self.s.get(StreamRow, stream_id)
        if row is None:
            raise NotFound(f"stream {stream_id} does not exist")
        return row

    def get(self, stream_id: int) -> Stream:
        return _stream(self._row(stream_id))

    def live(self, profile_id: int) -> Stream | None:
        query = (
            select(StreamRow)
            .where(StreamRow.profile_id == profile_id, col(StreamRow.ended_at).is_(None))
            .order_by(col(StreamRow.started_at).desc())
        )
        row = self.s.exec(query).first()
        return _stream(row) if row else None

    def create(self, profile_id: int, title: str, started_at: datetime, ended_at: datetime | None) -> Stream:
        row = StreamRow(profile_id=profile_id, title=title, started_at=started_at, ended_at=ended_at)
        self.s.add(row)
        self.s.flush()
        return _stream(row)

    def end(self, stream_id: int, at: datetime) -> Stream:
        row = self._row(stream_id)
        row.ended_at = max(at, row.started_at)
        self.s.add(row)
        self.s.flush()
        return _stream(row)

    def update(self, stream: Stream) -> Stream:
        """Write a stream's editable fields (title, times, viewers, followers, notes)."""
        row = self._row(stream.id)
        row.title, row.started_at, row.ended_at = stream.title, stream.started_at, stream.ended_at
        row.peak_viewers, row.new_followers, row.notes = stream.peak_viewers, stream.new_followers, stream.notes
        self.s.add(row)
        self.s.flush()
        return _stream(row)

    def delete(self, stream_id: int, with_gifts: bool) -> int:
        """Delete a stream; its gifts go too, or stay without a stream. Returns the gifts deleted."""
        row = self._row(stream_id)
        deleted = 0
        if with_gifts:
            result = self.s.execute(delete(GiftEventRow).where(col(GiftEventRow.stream_id) == stream_id))
            deleted = int(result.rowcount)  # type: ignore[attr-defined]
        else:
            self.s.execute(update(GiftEventRow).where(col(GiftEventRow.stream_id) == stream_id).values(stream_id=None))
        self.s.delete(row)
        self.s.flush()
        return deleted

    def recent(self, profile_id: int, limit: int) -> list[Stream]:
        query = (
            select(StreamRow)
            .where(StreamRow.profile_id == profile_id)
            .order_by(col(StreamRow.started_at).desc(), col(StreamRow.id).desc())
            .limit(limit)
        )
        return [_stream(r) for r in self.s.exec(query)]

    def first_overlapping(
        self, profile_id: int, start: datetime, end: datetime, now: datetime, other_than: int
    ) -> Stream | None:
        """The earliest stream of the profile (but `other_than`) whose time overlaps [start, end); the live one
        counts as lasting until `now`. One indexed range query, however many streams there are."""
        ends_after = col(StreamRow.ended_at) > start
        if now > start:
            ends_after = or_(ends_after, col(StreamRow.ended_at).is_(None))
        query = (
            select(StreamRow)
            .where(
                StreamRow.profile_id == profile_id,
                col(StreamRow.id) != other_than,
                col(StreamRow.started_at) < end,
                ends_after,
            )
            .order_by(col(StreamRow.started_at))
            .limit(1)
        )
        row = self.s.exec(query).first()
        return _stream(row) if row else None

    def by_title(self, profile_id: int, title: str) -> list[Stream]:
        query = (
            select(StreamRow)
            .where(StreamRow.profile_id == profile_id, StreamRow.title == title)
            .order_by(col(StreamRow.started_at))
        )
        return [_stream(r) for r in self.s.exec(query)]


class CatalogRepo:
    def __init__(self, session: Session) -> None:
        self.s = session
        self._cache: dict[str, tuple[GiftTypeRow, list[PricePoint]] | None] = {}

    def _history(self, gift_type_id: int) -> list[PricePoint]:
        rows = self.s.exec(select(GiftPriceRow).where(GiftPriceRow.gift_type_id == gift_type_id))
        return [PricePoint(r.coins, r.valid_from) for r in rows]

    def _type(self, name: str) -> GiftTypeRow | None:
        return self.s.exec(select(GiftTypeRow).where(GiftTypeRow.name_key == gift_key(name))).first()

    def find(self, name: str, when: datetime, cached: bool = False) -> CatalogGift | None:
        """The gift with its price at `when`. `cached` reuses lookups within this session (bulk imports)."""
        key = gift_key(name)
        if not cached or key not in self._cache:
            row = self._type(name)
            self._cache[key] = None if row is None or row.id is None else (row, self._history(row.id))
        found = self._cache[key]
        if found is None:
            return None
        row, history = found
        assert row.id is not None
        return CatalogGift(row.id, row.name, price_at(history, when), row.streakable, row.custom)

    def all(self, now: datetime) -> list[CatalogGift]:
        types = list(self.s.exec(select(GiftTypeRow)))
        prices: dict[int, list[PricePoint]] = {}
        for p in self.s.exec(select(GiftPriceRow)):
            prices.setdefault(p.gift_type_id, []).append(PricePoint(p.coins, p.valid_from))
        gifts = [
            CatalogGift(t.id, t.name, price_at(prices[t.id], now), t.streakable, t.custom)
            for t in types
            if t.id is not None and t.id in prices
        ]
        return sorted(gifts, key=lambda g: (g.coins, g.name.casefold()))

    def sync(self, entries: Iterable[CatalogEntry], as_of: datetime) -> int:
        """Add new gifts and record price changes from the bundled catalog; returns rows changed.
        A price the user set later than `as_of` wins: the catalog only adds a price when it is newer."""
        changed = 0
        for entry in entries:
            row = self._type(entry.name)
            if row is None:
                row = GiftTypeRow(
                    name=entry.name, name_key=gift_key(entry.name), tiktok_id=entry.tiktok_id,
                    streakable=entry.streakable, custom=False,
                )  # fmt: skip
                self.s.add(row)
                self.s.flush()
                assert row.id is not None
                self.s.add(GiftPriceRow(gift_type_id=row.id, coins=entry.coins, valid_from=as_of))
                changed += 1
                continue
            assert row.id is not None
            history = self._history(row.id)
            latest = max(history, key=lambda p: p.valid_from) if history else None
            if latest is None or (latest.coins != entry.coins and latest.valid_from < as_of):
                self.s.add(GiftPriceRow(gift_type_id=row.id, coins=entry.coins, valid_from=as_of))
                changed += 1
        self.s.flush()
        return changed


class GiftRepo:
    def __init__(self, session: Session) -> None:
        self.s = session

    def add(self, profile_id: int, gift: NewGift) -> GiftEvent:
        row = GiftEventRow(
            profile_id=profile_id, stream_id=gift.stream_id, received_at=gift.received_at, sender=gift.sender,
            gift_type_id=gift.gift_type_id, gift_name=gift.gift_name, coins_each=gift.coins_each,
            count=gift.count, diamonds=gift.diamonds, source=gift.source, source_key=gift.source_key,
        )  # fmt: skip
        self.s.add(row)
        self.s.flush()
        return _gift_event(row)

    def existing_keys(self, profile_id: int, keys: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            query = select(GiftEventRow.source_key).where(
                GiftEventRow.profile_id == profile_id, col(GiftEventRow.source_key).in_(chunk)
            )
            found.update(k for k in self.s.exec(query) if k is not None)
        return found

    def add_many(self, profile_id: int, gifts: Sequence[NewGift]) -> int:
        """Bulk insert through Core executemany (ORM add_all is many times slower)."""
        if not gifts:
            return 0
        rows = [
            {
                "profile_id": profile_id, "stream_id": g.stream_id, "received_at": to_millis(g.received_at),
                "sender": g.sender, "gift_type_id": g.gift_type_id, "gift_name": g.gift_name,
                "coins_each": g.coins_each, "count": g.count, "diamonds": g.diamonds, "source": g.source,
                "source_key": g.source_key, "receiver": None,
            }
            for g in gifts
        ]  # fmt: skip
        self.s.execute(insert(GiftEventRow), rows)
        return len(rows)

    def delete(self, gift_id: int) -> None:
        row = self.s.get(GiftEventRow, gift_id)
        if row is None:
            raise NotFound(f"gift {gift_id} does not exist")
        self.s.delete(row)
        self.s.flush()

    def for_stream(self, stream_id: int) -> list[GiftEvent]:
        query = (
            select(GiftEventRow)
            .where(GiftEventRow.stream_id == stream_id)
            .order_by(col(GiftEventRow.received_at).desc(), col(GiftEventRow.id).desc())
        )
        return [_gift_event(r) for r in self.s.exec(query)]

    def totals(
        self,
        profile_id: int,
        start: datetime | None = None,
        end: datetime | None = None,
        stream_id: int | None = None,
    ) -> GiftTotals:
        """Totals over [start, end) and/or one stream."""
        query = select(
            func.count(col(GiftEventRow.id)),
            func.coalesce(func.sum(GiftEventRow.count), 0),
            func.coalesce(func.sum(GiftEventRow.diamonds), 0),
        ).where(GiftEventRow.profile_id == profile_id)
        if start is not None:
            query = query.where(GiftEventRow.received_at >= start)
        if end is not None:
            query = query.where(GiftEventRow.received_at < end)
        if stream_id is not None:
            query = query.where(GiftEventRow.stream_id == stream_id)
        gifts, items, diamonds = self.s.exec(query).one()
        # One diamond per coin: the coins viewers spent equal the diamonds received.
        return GiftTotals(gifts=int(gifts), items=int(items), coins=int(diamonds), diamonds=int(diamonds))

    def totals_by_stream(self, stream_ids: Sequence[int]) -> dict[int, GiftTotals]:
        """Totals of several streams in one grouped query (a stream without gifts is absent)."""
        result: dict[int, GiftTotals] = {}
        for start in range(0, len(stream_ids), 500):
            chunk = stream_ids[start : start + 500]
            query = (
                select(
                    GiftEventRow.stream_id,
                    func.count(col(GiftEventRow.id)),
                    func.sum(GiftEventRow.count),
                    func.sum(GiftEventRow.diamonds),
                )
                .where(col(GiftEventRow.stream_id).in_(chunk))
                .group_by(col(GiftEventRow.stream_id))
            )
            for stream_id, gifts, items, diamonds in self.s.exec(query):
                if stream_id is not None:
                    result[stream_id] = GiftTotals(int(gifts), int(items), int(diamonds), int(diamonds))
        return result

    def senders(self, profile_id: int, limit: int = 500) -> list[str]:
        """Known gifters, most generous first (for autocomplete)."""
        query = (
            select(GiftEventRow.sender)
            .where(GiftEventRow.profile_id == profile_id, GiftEventRow.sender != "")
            .group_by(col(GiftEventRow.sender))
            .order_by(func.sum(GiftEventRow.diamonds).desc())
            .limit(limit)
        )
        return list(self.s.exec(query))


class SettingRepo:
    def __init__(self, session: Session) -> None:
        self.s = session

    def get(self, key: str) -> str | None:
        row = self.s.get(SettingRow, key)
        return row.value if row else None

    def set(self, key: str, value: str) -> None:
        row = self.s.get(SettingRow, key) or SettingRow(key=key, value=value)
        row.value = value
        self.s.add(row)
        self.s.flush()
