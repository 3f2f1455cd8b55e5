"""Importing gift files (native CSV, event log): one transaction, all or nothing, with progress and cancel.

Shape of every import: read the file a chunk of rows at a time inside one write transaction; check each row,
price it from the catalog where the file gives no price, leave out what an earlier import stored (same key),
attach it to a stream, insert the chunk. Memory holds a chunk, not the file. A problem anywhere refuses the
whole file with every bad line named (the transaction rolls back); a cancel rolls everything back too."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import Any

from companion.domain.catalog import gift_key
from companion.domain.economics import check_coins
from companion.domain.errors import CompanionError, ImportRejected, RowError
from companion.domain.models import Stream
from companion.domain.time_styles import TimeReading
from companion.integrations.events import stream_event_log
from companion.integrations.native_csv import CsvGiftRow, ErrorLog, stream_native_csv
from companion.integrations.streaks import FinishedGift
from companion.store.db import Database
from companion.store.imports import ImportRepo, PricedGift
from companion.store.repositories import StreamRepo
from companion.store.types import to_millis

#: progress(done, total, what): called from the importing thread now and then.
Progress = Callable[[int, int, str], None]

#: An existing stream claims gifts this long before its start or after its end (clocks and exports drift).
STREAM_SLACK = timedelta(hours=1)
#: Gifts of one title further apart than this, with no stream between them, belong to different streams.
STREAM_GAP = timedelta(hours=6)
#: Title of the past streams made for event-log gifts that no stream claims.
EVENT_LOG_STREAM = "LIVE (from event log)"


class ImportCancelled(CompanionError):
    """The user stopped the import; nothing was written."""

    def __init__(self) -> None:
        super().__init__("import cancelled; nothing was imported")


@dataclass(frozen=True)
class ImportResult:
    added: int
    already_present: int
    streams_created: int
    completed: int = 0  # streaks stored unfinished before, now raised to their final count
    #: Event-log lines whose msg_id came before with different content: the first was kept, these left out.
    conflicts: tuple[int, ...] = ()

    def describe(self) -> str:
        parts = [f"imported {self.added} gift{'s' if self.added != 1 else ''}"]
        if self.already_present:
            parts.append(f"{self.already_present} already present (skipped)")
        if self.completed:
            parts.append(f"{self.completed} unfinished streak{'s' if self.completed != 1 else ''} completed")
        if self.streams_created:
            parts.append(f"{self.streams_created} stream{'s' if self.streams_created != 1 else ''} created")
        if self.conflicts:
            n, shown = len(self.conflicts), ", ".join(map(str, self.conflicts[:10]))
            parts.append(
                f"{n} conflicting duplicate{'s' if n != 1 else ''} left out (a msg_id seen before with other"
                f" content; the first kept): line{'s' if n != 1 else ''} {shown}{', …' if n > 10 else ''}"
            )
        return ", ".join(parts)


class _Steps:
    """Reports progress in steps of one whole (reading 0–40 %, checking 40–50 %, saving 50–100 %) and stops
    the import when cancelled."""

    def __init__(self, progress: Progress | None, cancel: threading.Event | None) -> None:
        self.progress = progress
        self.cancel = cancel

    def check(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise ImportCancelled()

    def report(self, done: int, total: int, what: str) -> None:
        self.check()
        if self.progress is not None:
            self.progress(done, total, what)


def _line_count(path: Path, steps: _Steps) -> int:
    """The file's lines, for the progress of the import (reading it through once, "reading" progress)."""
    try:
        size = max(path.stat().st_size, 1)
        lines = 1
        done = 0
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                lines += chunk.count(b"\n")
                done += len(chunk)
                steps.report(done, size, "reading")
        return lines
    except OSError:
        return 1  # the reader names the problem


@contextmanager
def _no_gc_pauses() -> Iterator[None]:
    """A million small objects make the cyclic collector rescan the heap again and again (a third of the time
    of a big import); the import makes no cycles worth collecting, so it runs without it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def import_csv(
    db: Database,
    profile_id: int,
    path: Path,
    mapping: dict[str, str] | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    times: TimeReading | None = None,
) -> ImportResult:
    """`times`: how the file writes its times (default: ISO 8601 with an offset; callers pass the profile's
    zone, in which a time without an offset is read)."""
    steps = _Steps(progress, cancel)
    lines = _line_count(path, steps)
    errors = ErrorLog()
    with _no_gc_pauses():
        rows = stream_native_csv(path, errors, mapping, lambda line: steps.report(line, lines, "saving"), times)
        return _store(db, profile_id, path, rows, errors, _Target("csv", False, "coins_each"), steps)


def import_events(
    db: Database,
    profile_id: int,
    path: Path,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> ImportResult:
    steps = _Steps(progress, cancel)
    lines = _line_count(path, steps)
    errors = ErrorLog()
    conflicts: list[int] = []
    finished = stream_event_log(path, errors, lambda line: steps.report(line, lines, "saving"), conflicts)
    rows = (_as_row(gift) for gift in finished)
    result = _store(db, profile_id, path, rows, errors, _Target("events", True, "gift.diamond_count"), steps)
    return replace(result, conflicts=tuple(conflicts))


def _as_row(gift: FinishedGift) -> CsvGiftRow:
    return CsvGiftRow(gift.line, gift.at, gift.sender, gift.gift_name, gift.coins_each, gift.count, "", gift.key)


@dataclass(frozen=True)
class _Target:
    source: str  # gift_event.source
    claim_any_stream: bool  # event-log gifts join whatever stream ran then; CSV gifts the stream of their title
    price_field: str  # named in the error for an unpriced gift the catalog does not know


#: Rows checked and stored together: memory holds one chunk, whatever the size of the file.
CHUNK = 20_000
IMPORT_CACHE_KIB = 128 * 1024  # page cache while importing (SQLite's default is 2 MiB)
DEFAULT_CACHE_KIB = 2000


def _store(
    db: Database,
    profile_id: int,
    path: Path,
    rows: Iterable[CsvGiftRow],
    errors: ErrorLog,
    target: _Target,
    steps: _Steps,
) -> ImportResult:
    """Read, check and store a chunk at a time inside one write transaction. After the first problem nothing
    more is stored but checking goes on to the end, so the refusal names every bad line (a bounded list); then
    everything rolls back. A cancel rolls back too."""
    steps.report(0, 1, "checking")
    with db.session(write=True) as s:
        # A big import inserts into indexes keyed by random digests: with SQLite's default 2 MB page cache each
        # insert soon misses the cache. A larger cache for this connection, put back afterwards.
        connection = s.connection()
        connection.exec_driver_sql(f"PRAGMA cache_size=-{IMPORT_CACHE_KIB}")
        try:
            saver = _ChunkSaver(ImportRepo(s), StreamRepo(s), profile_id, target, errors)
            steps.report(1, 1, "checking")
            for chunk in _chunks(rows):
                saver.save(chunk)
                steps.check()  # a cancel between chunks stops here
            if errors:
                # every problem in one report, in file order, so one round of fixes is enough
                raise ImportRejected(errors.listed(), str(path))
            saver.finish()
            rows_seen = saver.added + saver.present + saver.completed
            steps.report(rows_seen, rows_seen, "saving")
        finally:  # before the commit, which hands the connection back to the pool
            connection.exec_driver_sql(f"PRAGMA cache_size=-{DEFAULT_CACHE_KIB}")
        s.commit()
    return ImportResult(saver.added, saver.present, saver.created, saver.completed)


def _chunks(rows: Iterable[CsvGiftRow]) -> Iterator[list[CsvGiftRow]]:
    it = iter(rows)
    while chunk := list(islice(it, CHUNK)):
        yield chunk


class _ChunkSaver:
    """Stores chunks of checked rows: prices them, leaves out what is stored already (same key), attaches them
    to streams and inserts them. Its state is bounded by gift names and streams, not by rows."""

    def __init__(
        self, repo: ImportRepo, streams: StreamRepo, profile_id: int, target: _Target, errors: ErrorLog
    ) -> None:
        self.repo = repo
        self.profile_id = profile_id
        self.target = target
        self.errors = errors
        self.book = repo.price_book()
        self.gift_keys: dict[str, str] = {}
        self.attacher = _StreamAttacher(streams, repo, profile_id, target.claim_any_stream)
        # Gifts stored under another source's key (an event log's or live capture's, or none: logged by hand
        # before gifts had keys) are found by identity (row_digest's: instant in ms, sender, gift, count): a
        # row like one of them is that gift, exported and brought back. Where to look: the span they cover.
        self.family = "csv:" if target.source == "csv" else "ev:"
        self.foreign_span = repo.foreign_span(profile_id, self.family)
        self.matched: set[int] = set()  # stored gifts a row of this import turned out to be
        self.added = self.present = self.completed = 0

    @property
    def created(self) -> int:
        return self.attacher.created

    def save(self, chunk: list[CsvGiftRow]) -> None:
        millis = [to_millis(row.received_at) for row in chunk]
        prices = _price(self.book, chunk, millis, self.target.price_field, self.errors, self.gift_keys)
        if self.errors:
            return  # the import will be refused: only checking from here on
        if len({row.key for row in chunk}) != len(chunk):  # a key twice in one chunk: keep its highest count
            best: dict[str, int] = {}
            for i, row in enumerate(chunk):
                if row.key not in best or row.count > chunk[best[row.key]].count:
                    best[row.key] = i
            self.present += len(chunk) - len(best)
            keep = sorted(best.values())
            chunk, millis, prices = [chunk[i] for i in keep], [millis[i] for i in keep], [prices[i] for i in keep]
        stored = self.repo.stored_counts(self.profile_id, [row.key for row in chunk])
        new = [i for i, row in enumerate(chunk) if row.key not in stored]
        if self.foreign_span is not None and new:
            new = self._not_stored_elsewhere(chunk, millis, new)
        raised = [(stored[r.key][0], r.count) for r in chunk if r.key in stored and r.count > stored[r.key][1]]
        stream_ids = self.attacher.attach([chunk[i] for i in new])
        profile_id, source = self.profile_id, self.target.source
        inserts = [
            (profile_id, stream_ids[j], millis[i], chunk[i].sender, *prices[i], chunk[i].count,
             prices[i][2] * chunk[i].count, source, chunk[i].key, None)
            for j, i in enumerate(new)
        ]  # fmt: skip
        self.added += self.repo.insert_gifts(len(inserts), lambda start, stop: inserts[start:stop], len(inserts) or 1)
        completed = self.repo.raise_counts(raised)
        self.completed += completed
        self.present += len(chunk) - len(new) - completed

    def _not_stored_elsewhere(self, chunk: list[CsvGiftRow], millis: list[int], new: list[int]) -> list[int]:
        """Of the rows `new` (indexes into `chunk`), those no gift stored under another key family is; each
        stored gift stands for one row at most (two identical gifts come back as two rows)."""
        low, high = self.foreign_span or (0, -1)
        inside = [millis[i] for i in new if low <= millis[i] <= high]
        if not inside:
            return new
        stored: dict[tuple[int, str, str, int], list[int]] = {}
        for gift_id, identity in self.repo.foreign_gifts(self.profile_id, self.family, inside):
            if gift_id not in self.matched:
                stored.setdefault(identity, []).append(gift_id)
        if not stored:
            return new
        keep: list[int] = []
        for i in new:
            ids = stored.get((millis[i], chunk[i].sender, self.gift_keys[chunk[i].gift], chunk[i].count))
            if ids:
                self.matched.add(ids.pop())
            else:
                keep.append(i)
        return keep

    def finish(self) -> None:
        self.attacher.finish()


def _price(
    book: dict[str, PricedGift],
    rows: Sequence[CsvGiftRow],
    millis: Sequence[int],
    price_field: str,
    errors: ErrorLog,
    keys: dict[str, str],
) -> list[tuple[int | None, str, int]]:
    """(catalog id, name as stored, coins each) per row; the price at the gift's own time where the file
    gives none, and an error for a gift the catalog does not know and the file does not price. `keys`
    remembers the name keys of gift names already seen."""
    priced: list[tuple[int | None, str, int]] = []
    for row, when in zip(rows, millis, strict=True):
        key = keys.get(row.gift)
        if key is None:
            key = keys[row.gift] = gift_key(row.gift)
        known = book.get(key)
        if row.coins_each is not None:
            coins = check_coins(row.coins_each)
        elif known is not None:
            coins = known.price_at(when)
        else:
            problem = f"'{row.gift}' is not in the gift catalog; give its coin price"
            errors.add(RowError(row.line, price_field, problem))
            priced.append((None, row.gift, 0))
            continue
        priced.append((known.id, known.name, coins) if known is not None else (None, row.gift, coins))
    return priced


class _StreamAttacher:
    """The stream of each row, a chunk at a time. CSV rows join the stream of their title that was running
    then; event-log rows (`claim_any`) join whatever stream was running then. Rows no stream claims become past
    streams, one per run of gifts without a long gap (a weekly "Friday night" is many streams): a row within
    STREAM_GAP of a stream this import made joins it and widens it. Holds streams, never rows."""

    def __init__(self, streams: StreamRepo, imports: ImportRepo, profile_id: int, claim_any: bool) -> None:
        self.streams = streams
        self.imports = imports
        self.profile_id = profile_id
        self.claim_any = claim_any
        self.running: dict[str, list[Stream]] = {}
        self.last_claimed: dict[str, Stream] = {}  # rows come mostly in time order: try the last stream first
        self.made: dict[str, list[list[Any]]] = {}  # title → [id, start, end] of the streams this import made
        self.made_ids: set[int] = set()
        self.widened: dict[int, list[Any]] = {}
        self.created = 0

    def attach(self, rows: Sequence[CsvGiftRow]) -> list[int | None]:
        stream_ids: list[int | None] = [None] * len(rows)
        if not rows:
            return stream_ids
        if self.claim_any:
            first = min(r.received_at for r in rows)
            last = max(r.received_at for r in rows)
            between = self.imports.streams_between(self.profile_id, first - STREAM_SLACK, last + STREAM_SLACK)
            self.running[""] = [st for st in between if st.id not in self.made_ids]
            self.last_claimed.pop("", None)
        unclaimed: dict[str, list[int]] = {}
        for index, row in enumerate(rows):
            title = "" if self.claim_any else row.stream
            if not self.claim_any and not title:
                continue
            claimed = self._claim(title, row.received_at)
            if claimed is not None:
                stream_ids[index] = claimed
            else:
                unclaimed.setdefault(title or EVENT_LOG_STREAM, []).append(index)
        for title, indexes in unclaimed.items():
            for index in sorted(indexes, key=lambda i: rows[i].received_at):
                stream_ids[index] = self._made_stream(title, rows[index].received_at)
        self._store_spans()
        return stream_ids

    def _claim(self, title: str, when: datetime) -> int | None:
        if title not in self.running:
            self.running[title] = self.streams.by_title(self.profile_id, title)
        previous = self.last_claimed.get(title)
        if previous is not None and _runs_at(previous, when):
            return previous.id
        found = next((st for st in self.running[title] if _runs_at(st, when)), None)
        if found is None:
            return None
        self.last_claimed[title] = found
        return found.id

    def _made_stream(self, title: str, when: datetime) -> int:
        made = self.made.setdefault(title, [])
        for span in reversed(made):  # the latest first: rows come mostly in time order
            if span[1] - STREAM_GAP <= when <= span[2] + STREAM_GAP:
                if not span[1] <= when <= span[2]:
                    span[1], span[2] = min(span[1], when), max(span[2], when)
                    self.widened[span[0]] = span
                return int(span[0])
        stream = self.streams.create(self.profile_id, title, when, when)
        made.append([stream.id, when, when])
        self.made_ids.add(stream.id)
        self.created += 1
        return stream.id

    def _store_spans(self) -> None:
        if self.widened:
            self.imports.set_stream_spans([(i, start, end) for i, start, end in self.widened.values()])
            self.widened.clear()

    def finish(self) -> None:
        self._store_spans()


def _runs_at(stream: Stream, when: datetime) -> bool:
    ends = stream.ended_at
    return stream.started_at - STREAM_SLACK <= when and (ends is None or when <= ends + STREAM_SLACK)
