"""Gifts: log one as it arrives, import a file all-or-nothing, list a stream's gifts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from companion.domain.catalog import clean_gift_name
from companion.domain.economics import check_coins, check_count
from companion.domain.errors import ImportRejected, RowError, ValidationError
from companion.domain.models import GiftEvent, NewGift, Stream
from companion.domain.text import MAX_SENDER, clean_text
from companion.integrations.native_csv import CsvGiftRow, read_native_csv_collecting
from companion.store.db import Database
from companion.store.repositories import CatalogRepo, GiftRepo, StreamRepo


@dataclass(frozen=True)
class ImportResult:
    added: int
    already_present: int
    streams_created: int

    def describe(self) -> str:
        parts = [f"imported {self.added} gift{'s' if self.added != 1 else ''}"]
        if self.already_present:
            parts.append(f"{self.already_present} already present (skipped)")
        if self.streams_created:
            parts.append(f"{self.streams_created} stream{'s' if self.streams_created != 1 else ''} created")
        return ", ".join(parts)


class GiftService:
    def __init__(self, db: Database, profile_id: int, clock: Callable[[], datetime]) -> None:
        self.db = db
        self.profile_id = profile_id
        self.clock = clock

    def log(
        self,
        gift: str,
        count: int,
        sender: str,
        at: datetime | None = None,
        coins_each: int | None = None,
        stream_id: int | None = None,
    ) -> GiftEvent:
        """Record one gift. Without `stream_id` it goes into the live stream, if one is live.
        Without `coins_each` the catalog's price at that moment is used; an unknown gift needs a price."""
        name = clean_gift_name(gift)
        check_count(count)
        who = clean_text(sender, "sender", MAX_SENDER)
        when = at if at is not None else self.clock()
        if when.tzinfo is None:
            raise ValidationError("time has no UTC offset", field="at")
        with self.db.session() as s:
            catalog = CatalogRepo(s).find(name, when)
            if coins_each is None:
                if catalog is None:
                    raise ValidationError(
                        f"'{name}' is not in the gift catalog; give its coin price (--coins)", field="gift"
                    )
                coins_each = catalog.coins
            check_coins(coins_each)
            if stream_id is None:
                live = StreamRepo(s).live(self.profile_id)
                stream_id = live.id if live is not None else None
            else:
                StreamRepo(s).get(stream_id)
            event = GiftRepo(s).add(
                self.profile_id,
                NewGift(
                    received_at=when,
                    sender=who,
                    gift_name=catalog.name if catalog else name,
                    coins_each=coins_each,
                    count=count,
                    stream_id=stream_id,
                    gift_type_id=catalog.id if catalog else None,
                ),
            )
            s.commit()
            return event

    def undo(self, gift_id: int) -> None:
        with self.db.session() as s:
            GiftRepo(s).delete(gift_id)
            s.commit()

    def senders(self) -> list[str]:
        with self.db.session() as s:
            return GiftRepo(s).senders(self.profile_id)

    def for_stream(self, stream_id: int) -> list[GiftEvent]:
        with self.db.session() as s:
            return GiftRepo(s).for_stream(stream_id)

    def import_csv(self, path: Path) -> ImportResult:
        """Import a native CSV in one transaction: every row or none. Rows imported before are skipped."""
        rows, parse_errors = read_native_csv_collecting(path)
        with self.db.session() as s:
            gifts, errors = self._resolve(s, rows)
            if parse_errors or errors:
                # every problem in one report, in file order, so one round of fixes is enough
                raise ImportRejected(sorted([*parse_errors, *errors], key=lambda e: e.line), str(path))
            gifts, created = self._attach_streams(s, rows, gifts)
            repo = GiftRepo(s)
            present = repo.existing_keys(self.profile_id, [g.source_key for g in gifts if g.source_key])
            fresh = [g for g in gifts if g.source_key not in present]
            added = repo.add_many(self.profile_id, fresh)
            s.commit()
        return ImportResult(added=added, already_present=len(gifts) - len(fresh), streams_created=created)

    def _resolve(self, s: Session, rows: Sequence[CsvGiftRow]) -> tuple[list[NewGift], list[RowError]]:
        """Prices from the catalog where the file leaves them empty (price at the gift's own time)."""
        catalog = CatalogRepo(s)
        gifts: list[NewGift] = []
        errors: list[RowError] = []
        for row in rows:
            known = catalog.find(row.gift, row.received_at, cached=True)
            coins = row.coins_each
            if coins is None:
                if known is None:
                    errors.append(
                        RowError(
                            row.line, "coins_each", f"'{row.gift}' is not in the gift catalog; give its coin price"
                        )
                    )
                    continue
                coins = known.coins
            gifts.append(
                NewGift(
                    received_at=row.received_at,
                    sender=row.sender,
                    gift_name=known.name if known else row.gift,
                    coins_each=coins,
                    count=row.count,
                    gift_type_id=known.id if known else None,
                    source="csv",
                    source_key=row.key,
                )
            )
        return gifts, errors

    def _attach_streams(
        self, s: Session, rows: Sequence[CsvGiftRow], gifts: list[NewGift]
    ) -> tuple[list[NewGift], int]:
        """Link rows to the stream their title names; a title never seen before becomes a past stream
        spanning its gifts."""
        repo = StreamRepo(s)
        spans: dict[str, tuple[datetime, datetime]] = {}
        for row in rows:
            if row.stream:
                first, last = spans.get(row.stream, (row.received_at, row.received_at))
                spans[row.stream] = (min(first, row.received_at), max(last, row.received_at))
        known: dict[str, list[Stream]] = {}
        created = 0
        for title, (first, last) in spans.items():
            streams = repo.by_title(self.profile_id, title)
            if not streams:
                streams = [repo.create(self.profile_id, title, first, last)]
                created += 1
            known[title] = streams
        linked = [
            _with_stream(gift, _closest(known[row.stream], row.received_at) if row.stream else None)
            for row, gift in zip(rows, gifts, strict=True)
        ]
        return linked, created


def _closest(streams: Sequence[Stream], when: datetime) -> int:
    """The stream running at `when`, else the one that started closest before it, else the first."""
    for stream in streams:
        if stream.started_at <= when and (stream.ended_at is None or when <= stream.ended_at):
            return stream.id
    before = [st for st in streams if st.started_at <= when]
    return (before[-1] if before else streams[0]).id


def _with_stream(gift: NewGift, stream_id: int | None) -> NewGift:
    return replace(gift, stream_id=stream_id)
