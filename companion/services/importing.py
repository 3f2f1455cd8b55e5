"""Importing gift files (native CSV, event log): one transaction, all or nothing, with progress and cancel.

Shape of every import: read and check the whole file, price each gift from the catalog where the file gives no
price, leave out what an earlier import stored (same key), attach gifts to streams, insert. A problem anywhere
refuses the whole file with every bad line named; a cancel rolls everything back."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from companion.domain.catalog import gift_key
from companion.domain.economics import check_coins
from companion.domain.errors import CompanionError, ImportRejected, RowError
from companion.domain.models import Stream
from companion.integrations.events import read_event_log
from companion.integrations.native_csv import CsvGiftRow, read_native_csv_collecting
from companion.integrations.streaks import FinishedGift, merge_by_key
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

    def describe(self) -> str:
        parts = [f"imported {self.added} gift{'s' if self.added != 1 else ''}"]
        if self.already_present:
            parts.append(f"{self.already_present} already present (skipped)")
        if self.completed:
            parts.append(f"{self.completed} unfinished streak{'s' if self.completed != 1 else ''} completed")
        if self.streams_created:
            parts.append(f"{self.streams_created} stream{'s' if self.streams_created != 1 else ''} created")
        return ", ".join(parts)


class _Steps:
    """Reports progress in steps of one whole (reading 0–40 %, checking 40–50 %, saving 50–100 %) and stops
    the import when cancelled."""

    def __init__(self, progress: Progress | None, cancel: threading.Event | None) -> None:
        self.progress = progress
        self.cancel = cancel

    def report(self, done: int, total: int, what: str) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise ImportCancelled()
        if self.progress is not None:
            self.progress(done, total, what)


def _line_count(path: Path) -> int:
    try:
        with path.open("rb") as handle:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b"")) + 1
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
) -> ImportResult:
    steps = _Steps(progress, cancel)
    lines = _line_count(path)
    with _no_gc_pauses():
        rows, errors = read_native_csv_collecting(path, mapping, lambda line: steps.report(line, lines, "reading"))
        return _store(
            db, profile_id, path, rows, errors, "csv", steps, claim_any_stream=False, price_field="coins_each"
        )


def import_events(
    db: Database,
    profile_id: int,
    path: Path,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> ImportResult:
    steps = _Steps(progress, cancel)
    lines = _line_count(path)
    finished, errors = read_event_log(path, lambda line: steps.report(line, lines, "reading"))
    rows = [_as_row(gift) for gift in merge_by_key(finished)]
    return _store(
        db, profile_id, path, rows, errors, "events", steps, claim_any_stream=True, price_field="gift.diamond_count"
    )


def _as_row(gift: FinishedGift) -> CsvGiftRow:
    return CsvGiftRow(gift.line, gift.at, gift.sender, gift.gift_name, gift.coins_each, gift.count, "", gift.key)


def _store(
    db: Database,
    profile_id: int,
    path: Path,
    rows: Sequence[CsvGiftRow],
    parse_errors: list[RowError],
    source: str,
    steps: _Steps,
    claim_any_stream: bool,
    price_field: str,
) -> ImportResult:
    steps.report(0, 1, "checking")
    with db.session(write=True) as s:
        repo = ImportRepo(s)
        millis = [to_millis(row.received_at) for row in rows]
        prices, errors = _price(repo.price_book(), rows, millis, price_field)
        if parse_errors or errors:
            # every problem in one report, in file order, so one round of fixes is enough
            raise ImportRejected(sorted([*parse_errors, *errors], key=lambda e: e.line), str(path))
        stored = repo.stored_counts(profile_id, [r.key for r in rows])
        steps.report(1, 1, "checking")
        new_index = [i for i, r in enumerate(rows) if r.key not in stored]
        raised = [(stored[r.key][0], r.count) for r in rows if r.key in stored and r.count > stored[r.key][1]]
        stream_ids, created = _attach_streams(
            StreamRepo(s), repo, profile_id, [rows[i] for i in new_index], claim_any_stream
        )
        total = len(new_index)

        def insert_rows(start: int, stop: int) -> list[tuple[object, ...]]:
            # built a chunk at a time: a million ready-made rows at once would cost a few hundred MB more
            return [
                (profile_id, stream_ids[j], millis[i], rows[i].sender, *prices[i], rows[i].count,
                 prices[i][2] * rows[i].count, source, rows[i].key, None)
                for j, i in enumerate(new_index[start:stop], start)
            ]  # fmt: skip

        added = repo.insert_gifts(total, insert_rows, between_chunks=lambda done: steps.report(done, total, "saving"))
        completed = repo.raise_counts(raised)
        steps.report(total, total, "saving")
        s.commit()
    return ImportResult(added, len(rows) - added - completed, created, completed)


def _price(
    book: dict[str, PricedGift], rows: Sequence[CsvGiftRow], millis: Sequence[int], price_field: str
) -> tuple[list[tuple[int | None, str, int]], list[RowError]]:
    """(catalog id, name as stored, coins each) per row; the price at the gift's own time where the file
    gives none, and an error for a gift the catalog does not know and the file does not price."""
    priced: list[tuple[int | None, str, int]] = []
    errors: list[RowError] = []
    keys: dict[str, str] = {}
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
            errors.append(RowError(row.line, price_field, problem))
            priced.append((None, row.gift, 0))
            continue
        priced.append((known.id, known.name, coins) if known is not None else (None, row.gift, coins))
    return priced, errors


def _attach_streams(
    streams: StreamRepo, imports: ImportRepo, profile_id: int, rows: Sequence[CsvGiftRow], claim_any: bool
) -> tuple[list[int | None], int]:
    """The stream of each row. CSV rows join the stream of their title that was running then; event-log rows
    (`claim_any`) join whatever stream was running then. Rows no stream claims become past streams, one per
    run of gifts without a long gap (a weekly "Friday night" is many streams)."""
    stream_ids: list[int | None] = [None] * len(rows)
    if not rows:
        return stream_ids, 0
    running: dict[str, list[Stream]] = {}
    if claim_any:
        first = min(r.received_at for r in rows)
        last = max(r.received_at for r in rows)
        running[""] = imports.streams_between(profile_id, first - STREAM_SLACK, last + STREAM_SLACK)
    unclaimed: dict[str, list[int]] = {}
    last_claimed: dict[str, Stream] = {}  # rows come mostly in time order: try the last stream first
    for index, row in enumerate(rows):
        title = "" if claim_any else row.stream
        if not claim_any and not title:
            continue
        if title not in running:
            running[title] = streams.by_title(profile_id, title)
        previous = last_claimed.get(title)
        claimed = previous.id if previous is not None and _runs_at(previous, row.received_at) else None
        if claimed is None and running[title]:
            found = next((st for st in running[title] if _runs_at(st, row.received_at)), None)
            if found is not None:
                last_claimed[title] = found
                claimed = found.id
        if claimed is not None:
            stream_ids[index] = claimed
        else:
            unclaimed.setdefault(title or EVENT_LOG_STREAM, []).append(index)
    created = 0
    for title, indexes in unclaimed.items():
        for run in _runs(sorted(indexes, key=lambda i: rows[i].received_at), rows):
            stream = streams.create(profile_id, title, rows[run[0]].received_at, rows[run[-1]].received_at)
            created += 1
            for index in run:
                stream_ids[index] = stream.id
    return stream_ids, created


def _runs_at(stream: Stream, when: datetime) -> bool:
    ends = stream.ended_at
    return stream.started_at - STREAM_SLACK <= when and (ends is None or when <= ends + STREAM_SLACK)


def _runs(indexes: Sequence[int], rows: Sequence[CsvGiftRow]) -> list[list[int]]:
    runs: list[list[int]] = []
    for index in indexes:
        if runs and rows[index].received_at - rows[runs[-1][-1]].received_at <= STREAM_GAP:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs
