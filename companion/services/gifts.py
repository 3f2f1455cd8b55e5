"""Gifts: log one as it arrives, import a file all-or-nothing, list a stream's gifts."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from companion.domain.catalog import clean_gift_name, gift_key
from companion.domain.economics import check_coins, check_count
from companion.domain.errors import ValidationError
from companion.domain.models import GiftEvent, NewGift
from companion.domain.text import MAX_SENDER, clean_text
from companion.domain.time_styles import TimeReading
from companion.domain.timeutil import accepted_range, check_accepted
from companion.services import importing
from companion.services.importing import ImportCancelled, ImportResult, Progress

__all__ = ["MAX_SENDER", "GiftService", "ImportCancelled", "ImportResult", "Progress"]
from companion.integrations.native_csv import row_digest, row_key
from companion.store.db import Database
from companion.store.imports import ImportRepo
from companion.store.repositories import CatalogRepo, GiftRepo, StreamRepo
from companion.store.types import from_millis, to_millis

#: The largest row id SQLite can hold: a larger one names nothing (and could not even be looked up).
MAX_ID = 2**63 - 1


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
        if at is not None:
            check_accepted(when, "at", accepted_range(self.clock()))
        if stream_id is not None and not 1 <= stream_id <= MAX_ID:
            raise ValidationError(f"there is no stream {stream_id}", field="stream")
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
            stored_name = catalog.name if catalog else name
            # the key a CSV import computes for this gift, so importing an export of it adds nothing
            instant = from_millis(to_millis(when))
            digest = row_digest(instant, who, gift_key(stored_name), count)
            key = ImportRepo(s).free_key(self.profile_id, lambda number: row_key(digest, number))
            event = GiftRepo(s).add(
                self.profile_id,
                NewGift(
                    received_at=when,
                    sender=who,
                    gift_name=stored_name,
                    coins_each=coins_each,
                    count=count,
                    stream_id=stream_id,
                    gift_type_id=catalog.id if catalog else None,
                    source_key=key,
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

    def import_csv(
        self,
        path: Path,
        mapping: dict[str, str] | None = None,
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
        times: TimeReading | None = None,
    ) -> ImportResult:
        """Import a native CSV (or another CSV through `mapping`: our column → its column) in one transaction:
        every row or none. Rows imported before are skipped. `cancel` stops it with nothing written. `times`:
        the date format and the zone of times without an offset (default: ISO with offsets only)."""
        return importing.import_csv(self.db, self.profile_id, path, mapping, progress, cancel, times)

    def import_events(
        self, path: Path, progress: Progress | None = None, cancel: threading.Event | None = None
    ) -> ImportResult:
        """Import an event log (what live capture writes): streaks count once, at their end; all or nothing;
        importing it again adds nothing."""
        return importing.import_events(self.db, self.profile_id, path, progress, cancel)

    def import_file(
        self,
        path: Path,
        file_format: str = "csv",
        progress: Progress | None = None,
        cancel: threading.Event | None = None,
    ) -> ImportResult:
        if file_format == "events":
            return self.import_events(path, progress, cancel)
        return self.import_csv(path, None, progress, cancel)
