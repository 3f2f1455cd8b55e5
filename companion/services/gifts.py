"""Gifts: log one as it arrives, import a file all-or-nothing, list a stream's gifts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
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
        with self.db.session(write=True) as s:
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
                # a back-dated gift (--at before this stream began) does not belong to the live stream
                stream_id = live.id if live is not None and when >= live.started_at else None
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
        with self.db.session(write=True) as s:
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
        with self.db.session(write=True) as s:
            gifts, errors = self._resolve(s, rows)
            if parse_errors or errors:
                # every problem in one report, in file order, so one round of fixes is enough
                raise ImportRejected(sorted([*parse_errors, *errors], key=lambda e: e.line), str(path))
            repo = GiftRepo(s)
            present = repo.existing_keys(self.profile_id, [g.source_key for g in gifts if g.source_key])
            new = [(row, gift) for row, gift in zip(rows, gifts, strict=True) if gift.source_key not in present]
            # streams only for gifts actually added: a re-import must not leave empty streams behind
            fresh, created = self._attach_streams(s, [r for r, _ in new], [g for _, g in new])
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
        """Link each row to the stream of its title that was running then. Rows no stream claims become
        past streams, one per run of gifts without a long gap (a weekly "Friday night" is many streams)."""
        repo = StreamRepo(s)
        stream_ids: list[int | None] = [None] * len(rows)
        existing: dict[str, list[Stream]] = {}
        unclaimed: dict[str, list[int]] = {}
        for index, row in enumerate(rows):
            if not row.stream:
                continue
            if row.stream not in existing:
                existing[row.stream] = repo.by_title(self.profile_id, row.stream)
            claimed = _running_at(existing[row.stream], row.received_at)
            if claimed is not None:
                stream_ids[index] = claimed
            else:
                unclaimed.setdefault(row.stream, []).append(index)
        created = 0
        for title, indexes in unclaimed.items():
            for run in _runs(sorted(indexes, key=lambda i: rows[i].received_at), rows):
                stream = repo.create(self.profile_id, title, rows[run[0]].received_at, rows[run[-1]].received_at)
                created += 1
                for index in run:
                    stream_ids[index] = stream.id
        linked = [replace(gift, stream_id=sid) for gift, sid in zip(gifts, stream_ids, strict=True)]
        return linked, created


#: An existing stream claims gifts this long before its start or after its end (clocks and exports drift).
STREAM_SLACK = timedelta(hours=1)
#: Gifts of one title further apart than this, with no stream between them, belong to different streams.
STREAM_GAP = timedelta(hours=6)


def _running_at(streams: Sequence[Stream], when: datetime) -> int | None:
    for stream in streams:
        ends = stream.ended_at
        if stream.started_at - STREAM_SLACK <= when and (ends is None or when <= ends + STREAM_SLACK):
            return stream.id
    return None


def _runs(indexes: Sequence[int], rows: Sequence[CsvGiftRow]) -> list[list[int]]:
    runs: list[list[int]] = []
    for index in indexes:
        if runs and rows[index].received_at - rows[runs[-1][-1]].received_at <= STREAM_GAP:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs
