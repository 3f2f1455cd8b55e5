"""Importing event logs (and CSVs) through the service: streaks counted right, all or nothing, re-import adds
nothing, an unfinished streak completed by a later log, progress, cancel, other CSV column names."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlmodel import func, select

from companion.domain.errors import ImportRejected
from companion.integrations.native_csv import guess_mapping, read_preview
from companion.services import Services
from companion.services.importing import EVENT_LOG_STREAM, ImportCancelled
from companion.store.tables import GiftEventRow, StreamRow
from tests.conftest import FakeClock
from tests.integrations.eventlog import gift_event, lines

RECORDED = Path(__file__).resolve().parent.parent / "data" / "live_events.jsonl"
#: What the recorded LIVE adds up to (see tests/data/live_events.jsonl): 7 gifts once streaks are counted.
RECORDED_GIFTS = [
    ("luna_sings", "Rose", 1, 5),
    ("mike.dj", "Lion", 29999, 1),
    ("luna_sings", "GG", 1, 10),
    ("luna_sings", "GG", 1, 4),
    ("sam", "Star Throne", 7999, 1),
    ("ana", "Doughnut", 30, 3),
    ("zoe_z", "Finger Heart", 5, 7),  # the streak that never ended: its highest count
]


def stored(services: Services) -> list[tuple[str, str, int, int]]:
    with services.db.session() as s:
        rows = s.exec(select(GiftEventRow).order_by(GiftEventRow.id))
        return [(r.sender, r.gift_name, r.coins_each, r.count) for r in rows]


def snapshot(services: Services) -> tuple[object, ...]:
    with services.db.session() as s:
        gifts = [tuple(r.model_dump().values()) for r in s.exec(select(GiftEventRow).order_by(GiftEventRow.id))]
        streams = s.exec(select(func.count()).select_from(StreamRow)).one()
    return tuple(gifts), streams


def write(tmp_path: Path, text: str, name: str = "log.jsonl") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_recorded_live_imports_each_gift_once(services: Services) -> None:
    result = services.gifts.import_events(RECORDED)
    assert (result.added, result.already_present, result.streams_created) == (7, 0, 1)
    assert stored(services) == RECORDED_GIFTS
    totals = services.reports.summary().totals
    assert (totals.gifts, totals.items, totals.diamonds) == (7, 31, 38142)
    [stream] = services.streams.recent()
    assert stream.title == EVENT_LOG_STREAM
    assert stream.started_at == datetime(2026, 11, 1, 19, 15, 1, tzinfo=UTC)


def test_importing_the_same_log_again_adds_nothing(services: Services) -> None:
    services.gifts.import_events(RECORDED)
    before = snapshot(services)
    again = services.gifts.import_events(RECORDED)
    assert (again.added, again.already_present, again.streams_created, again.completed) == (0, 7, 0, 0)
    assert snapshot(services) == before


def test_gifts_join_the_stream_that_was_running(services: Services, clock: FakeClock) -> None:
    clock.now = datetime(2026, 11, 1, 19, 0, tzinfo=UTC)
    stream = services.streams.go_live("Sunday chill")
    result = services.gifts.import_events(RECORDED)
    assert result.streams_created == 0
    assert len(services.gifts.for_stream(stream.id)) == 7


def test_an_unfinished_streak_is_completed_by_a_later_log(services: Services, tmp_path: Path) -> None:
    first = write(tmp_path, lines(gift_event(1, count=2, group=77), gift_event(2, count=6, group=77)), "a.jsonl")
    assert services.gifts.import_events(first).added == 1
    assert stored(services) == [("luna", "Rose", 1, 6)]
    later = write(tmp_path, lines(gift_event(2, count=6, group=77), gift_event(3, count=9, end=True, group=77)))
    result = services.gifts.import_events(later)
    assert (result.added, result.completed, result.already_present) == (0, 1, 0)
    assert stored(services) == [("luna", "Rose", 1, 9)]
    assert services.reports.summary().totals.diamonds == 9
    assert services.gifts.import_events(first).completed == 0  # a lower count never lowers it again
    assert stored(services) == [("luna", "Rose", 1, 9)]


def test_a_bad_log_is_refused_whole_with_line_numbers(services: Services, tmp_path: Path) -> None:
    services.gifts.import_events(RECORDED)
    before = snapshot(services)
    good = gift_event(10, sender="new_fan", streakable=False)
    text = lines(
        good,
        lines(gift_event(11, streakable=False)).strip()[:-9],  # truncated JSON
        gift_event(12, count=0, streakable=False),
        {**gift_event(13, streakable=False), "create_time": "2026-11-01 20:00"},
        gift_event(14, gift="Mystery Box", coins=None, streakable=False, gift_id=None),
        good,
    )
    with pytest.raises(ImportRejected) as info:
        services.gifts.import_events(write(tmp_path, text))
    assert [(e.line, e.field) for e in info.value.errors] == [
        (2, "line"),
        (3, "repeat_count"),
        (4, "create_time"),
        (5, "gift.diamond_count"),
    ]
    assert "Mystery Box" in info.value.errors[3].message
    assert snapshot(services) == before


def test_progress_is_reported_up_to_saving_every_row(services: Services, tmp_path: Path) -> None:
    text = lines(*(gift_event(i, sender=f"fan{i}", streakable=False) for i in range(1, 30_001)))
    seen: list[tuple[int, int, str]] = []
    result = services.gifts.import_events(write(tmp_path, text), progress=lambda *p: seen.append(p))
    assert result.added == 30_000
    stages = [what for _, _, what in seen]
    assert stages.index("reading") < stages.index("checking") < stages.index("saving")
    assert seen[-1] == (30_000, 30_000, "saving")


@pytest.mark.parametrize("stage", ["reading", "checking", "saving"])
def test_a_cancelled_import_writes_nothing(services: Services, tmp_path: Path, stage: str) -> None:
    services.gifts.import_events(RECORDED)
    before = snapshot(services)
    text = lines(*(gift_event(i, sender=f"fan{i}", streakable=False) for i in range(1, 45_001)))
    cancel = threading.Event()

    def progress(done: int, total: int, what: str) -> None:
        if what == stage and done > 0:
            cancel.set()

    with pytest.raises(ImportCancelled):
        services.gifts.import_events(write(tmp_path, text), progress=progress, cancel=cancel)
    assert snapshot(services) == before


def test_a_csv_with_other_column_names_imports_through_a_mapping(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Date,Username,Gift Name,Quantity,Notes\n"
        "2026-11-01T20:00:00+01:00,amy,Rose,5,first\n"
        "2026-11-01T20:05:00+01:00,bob,Lion,1,wow\n",
        encoding="utf-8",
    )
    header, preview = read_preview(path)
    assert header == ["Date", "Username", "Gift Name", "Quantity", "Notes"] and len(preview) == 2
    mapping = guess_mapping(header)
    assert mapping == {"received_at": "Date", "sender": "Username", "gift": "Gift Name", "count": "Quantity"}
    with pytest.raises(ImportRejected):
        services.gifts.import_csv(path)  # not the native header
    result = services.gifts.import_csv(path, mapping)
    assert (result.added, result.streams_created) == (2, 0)
    assert stored(services) == [("amy", "Rose", 1, 5), ("bob", "Lion", 29999, 1)]
    assert services.gifts.import_csv(path, mapping).added == 0
