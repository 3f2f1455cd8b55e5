"""Live capture, the use case: every gift event goes to an event-log file in the data folder, and the gifts it
adds up to go into the live stream through the same streak collector the event-log import uses.

Keys are the import's keys, so importing a capture's own log later adds nothing; a streak stored at its
highest count because its end was slow to come is raised to the final count when the end arrives."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from companion.domain.catalog import gift_key
from companion.domain.models import NewGift
from companion.integrations.events import parse_record, record_line
from companion.integrations.live_capture import INSTALL_HINT, LiveClient, clean_handle
from companion.integrations.live_capture import available as capture_available
from companion.integrations.streaks import FinishedGift, StreakCollector
from companion.store.db import Database
from companion.store.imports import ImportRepo
from companion.store.repositories import GiftRepo, StreamRepo
from companion.store.types import to_millis

log = logging.getLogger(__name__)

# The live-capture window asks this use case, not the integration, whether TikTokLive is there and for its client.
__all__ = [
    "INSTALL_HINT",
    "QUIET_SECONDS",
    "CaptureService",
    "CaptureSession",
    "CaptureStatus",
    "LiveClient",
    "capture_available",
]

#: A streak with no event for this long is stored at its count so far (its end may never come).
QUIET_SECONDS = 20.0


@dataclass(frozen=True)
class CaptureStatus:
    handle: str
    log_path: Path
    events: int  # gift events received
    gifts: int  # gifts stored (a streak counts once)
    skipped: int  # events that could not be used (logged, see the app log)
    open_streaks: int


class CaptureSession:
    """One capture of one @handle. `receive(record)` may be called from any thread (calls are serialised)."""

    def __init__(
        self, db: Database, profile_id: int, clock: Callable[[], datetime], handle: str, log_path: Path
    ) -> None:
        self.db = db
        self.profile_id = profile_id
        self.clock = clock
        self.handle = handle
        self.log_path = log_path
        self.collector = StreakCollector()
        self._lock = threading.Lock()
        log_path.parent.mkdir(parents=True, exist_ok=True)
        self._file: TextIO | None = log_path.open("a", encoding="utf-8")
        self._events = 0
        self._gifts = 0
        self._skipped = 0

    def receive(self, record: dict[str, Any]) -> int:
        """Log one gift event and store what it finishes; returns how many gifts were stored or raised."""
        with self._lock:
            if self._file is None:
                return 0
            self._file.write(record_line(record) + "\n")
            self._file.flush()
            self._events += 1
            signal, problems = parse_record(record, self._events)
            if signal is None:
                self._skipped += 1
                log.warning("live capture: event %d not used: %s", self._events, "; ".join(map(str, problems)))
                return 0
            conflicts = len(self.collector.conflicts)
            finished = self.collector.feed(signal)
            if len(self.collector.conflicts) > conflicts:  # kept out like any repeat, but worth a word in the log
                log.warning("live capture: event %d repeats an earlier msg_id with other content", self._events)
            return self._store(finished)

    def flush_stale(self) -> int:
        """Store streaks that went quiet at their count so far (call now and then, e.g. every few seconds)."""
        with self._lock:
            return self._store(self.collector.flush_stale(self.clock(), QUIET_SECONDS))

    def close(self) -> int:
        """Store every open streak at its highest count and close the log file."""
        with self._lock:
            stored = self._store(self.collector.flush())
            if self._file is not None:
                self._file.close()
                self._file = None
            return stored

    def status(self) -> CaptureStatus:
        with self._lock:
            return CaptureStatus(
                self.handle, self.log_path, self._events, self._gifts, self._skipped, self.collector.open_streaks
            )

    def _store(self, gifts: list[FinishedGift]) -> int:
        if not gifts:
            return 0
        done = 0
        with self.db.session(write=True) as s:
            imports, repo = ImportRepo(s), GiftRepo(s)
            book = imports.price_book()
            stored = imports.stored_counts(self.profile_id, [g.key for g in gifts])
            live = StreamRepo(s).live(self.profile_id)
            for gift in gifts:
                if gift.key in stored:
                    gift_id, count = stored[gift.key]
                    if gift.count > count:
                        imports.raise_counts([(gift_id, gift.count)])
                        done += 1
                    continue
                known = book.get(gift_key(gift.gift_name))
                coins = gift.coins_each
                if coins is None and known is not None:
                    coins = known.price_at(to_millis(gift.at))
                if coins is None:
                    self._skipped += 1
                    log.warning("live capture: '%s' has no price and is not in the catalog", gift.gift_name)
                    continue
                stream_id = live.id if live is not None and gift.at >= live.started_at else None
                event = repo.add(
                    self.profile_id,
                    NewGift(
                        received_at=gift.at, sender=gift.sender, gift_name=known.name if known else gift.gift_name,
                        coins_each=coins, count=gift.count, stream_id=stream_id,
                        gift_type_id=known.id if known else None, source="live", source_key=gift.key,
                    ),
                )  # fmt: skip
                stored[gift.key] = (event.id, gift.count)
                self._gifts += 1
                done += 1
            s.commit()
        return done


class CaptureService:
    def __init__(self, db: Database, profile_id: int, clock: Callable[[], datetime], log_dir: Path) -> None:
        self.db = db
        self.profile_id = profile_id
        self.clock = clock
        self.log_dir = log_dir

    def start(self, handle: str) -> CaptureSession:
        """A new capture session for @handle, logging to `<data folder>/live-events/<handle>-<UTC time>.jsonl`."""
        name = clean_handle(handle)
        path = self.log_dir / f"{name}-{self.clock():%Y%m%d-%H%M%S}.jsonl"
        return CaptureSession(self.db, self.profile_id, self.clock, name, path)
