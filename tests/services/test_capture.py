"""Live capture without a network: recorded TikTokLive gift events replayed through the capture path — the log
file it writes, the gifts it stores in the live stream, streaks stored early and completed, bad events."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from companion.domain.errors import ValidationError
from companion.integrations import live_capture
from companion.integrations.events import parse_record
from companion.integrations.live_capture import LiveClient, clean_handle, event_record
from companion.services import Services
from companion.services.capture import QUIET_SECONDS, CaptureService, CaptureSession
from tests.conftest import FakeClock
from tests.integrations.eventlog import gift_event
from tests.services.test_import_events import RECORDED, RECORDED_GIFTS, stored

START = datetime(2026, 11, 1, 19, 0, tzinfo=UTC)


def session(services: Services, clock: FakeClock, tmp_path: Path) -> CaptureSession:
    return CaptureService(services.db, services.profile_id, clock, tmp_path / "live-events").start("@luna_sings")


def replay(capture: CaptureSession, path: Path = RECORDED) -> list[int]:
    return [capture.receive(json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_recorded_live_replayed_through_capture_lands_in_the_live_stream(
    services: Services, clock: FakeClock, tmp_path: Path
) -> None:
    clock.now = START
    stream = services.streams.go_live("Sunday chill")
    capture = session(services, clock, tmp_path)
    stored_per_event = replay(capture)
    assert sum(stored_per_event) == 6  # every gift but the streak that never ended
    assert capture.status().open_streaks == 1
    assert capture.close() == 1  # stored at its highest count when the capture ends
    assert sorted(stored(services)) == sorted(RECORDED_GIFTS)
    assert len(services.gifts.for_stream(stream.id)) == 7
    assert {g.source for g in services.gifts.for_stream(stream.id)} == {"live"}
    status = capture.status()
    assert (status.events, status.gifts, status.skipped) == (18, 7, 0)
    # the log holds every event as received, and importing it adds nothing
    assert capture.log_path.read_text(encoding="utf-8").splitlines() == RECORDED.read_text().splitlines()
    again = services.gifts.import_events(capture.log_path)
    assert (again.added, again.already_present) == (0, 7)


def test_a_quiet_streak_is_stored_early_and_raised_when_its_end_arrives(
    services: Services, clock: FakeClock, tmp_path: Path
) -> None:
    clock.now = START
    capture = session(services, clock, tmp_path)
    at_ms = int(START.timestamp() * 1000)
    assert capture.receive(gift_event(1, count=3, group=9, at_ms=at_ms)) == 0
    clock.advance(seconds=QUIET_SECONDS - 1)
    assert capture.flush_stale() == 0
    clock.advance(seconds=1)
    assert capture.flush_stale() == 1
    assert stored(services) == [("luna", "Rose", 1, 3)]
    assert capture.receive(gift_event(2, count=12, end=True, group=9, at_ms=at_ms + 30_000)) == 1
    assert stored(services) == [("luna", "Rose", 1, 12)]
    assert capture.close() == 0
    assert services.reports.summary().totals.gifts == 1


def test_bad_and_unpriced_events_are_logged_but_not_stored(
    services: Services, clock: FakeClock, tmp_path: Path
) -> None:
    capture = session(services, clock, tmp_path)
    assert capture.receive({**gift_event(1, streakable=False), "repeat_count": 0}) == 0
    assert capture.receive(gift_event(2, gift="Mystery Box", coins=None, streakable=False)) == 0
    assert capture.receive(gift_event(3, streakable=False)) == 1
    capture.close()
    assert stored(services) == [("luna", "Rose", 1, 1)]
    assert capture.status().skipped == 2
    assert len(capture.log_path.read_text(encoding="utf-8").splitlines()) == 3
    assert capture.receive(gift_event(4, streakable=False)) == 0  # closed: nothing more


def test_capture_files_are_named_after_the_handle_and_time(
    services: Services, clock: FakeClock, tmp_path: Path
) -> None:
    clock.now = datetime(2026, 11, 1, 19, 5, 9, tzinfo=UTC)
    capture = session(services, clock, tmp_path)
    assert capture.log_path == tmp_path / "live-events" / "luna_sings-20261101-190509.jsonl"
    capture.close()
    with pytest.raises(ValidationError):
        CaptureService(services.db, services.profile_id, clock, tmp_path).start("not a handle!")


def test_handles_are_cleaned_or_refused() -> None:
    assert clean_handle(" @Luna_Sings.2 ") == "Luna_Sings.2"
    for bad in ("", "@", "a", "luna sings", "x" * 25, "luna/sings"):
        with pytest.raises(ValidationError):
            clean_handle(bad)


def tiktoklive_gift_event(**overrides: object) -> SimpleNamespace:
    """Shaped like TikTokLive's GiftEvent (the WebcastGiftMessage fields the capture reads)."""
    fields: dict[str, object] = {
        "common": SimpleNamespace(msg_id=7301, create_time=1_793_560_501_000),
        "user": SimpleNamespace(unique_id="luna_sings", nickname="Luna"),
        "gift": SimpleNamespace(id=5655, name="Rose", diamond_count=1, type=1),
        "repeat_count": 5,
        "repeat_end": 1,
        "group_id": 1_793_560_501_000,
    }
    fields.update(overrides)
    return SimpleNamespace(**fields)


def test_a_tiktoklive_event_becomes_an_event_log_record() -> None:
    record = event_record(tiktoklive_gift_event())
    assert record == {
        "msg_id": "7301",
        "create_time": 1_793_560_501_000,
        "user": {"unique_id": "luna_sings", "nickname": "Luna"},
        "gift": {"id": 5655, "name": "Rose", "diamond_count": 1, "type": 1},
        "repeat_count": 5,
        "repeat_end": 1,
        "group_id": "1793560501000",
    }
    signal, errors = parse_record(record, 1)
    assert errors == [] and signal is not None and signal.repeat_end and signal.streakable


def test_other_tiktoklive_shapes_are_read_too() -> None:
    event = tiktoklive_gift_event(
        user=SimpleNamespace(display_id="mike.dj", nickname="Mike"),  # TikTokLive 7 names the @handle so
        common=None,
        base_message=SimpleNamespace(message_id=99, create_time=0),
        gift=None,
        gift_details=SimpleNamespace(id=6369, name="Lion", diamond_count=29999, info=SimpleNamespace(type=2)),
        repeat_end=0,
        group_id=0,
    )
    record = event_record(event, now_ms=lambda: 1_793_560_600_000)
    assert (record["msg_id"], record["create_time"], record["gift"]["type"]) == ("99", 1_793_560_600_000, 2)
    assert (record["gift"]["name"], record["repeat_end"], record["group_id"]) == ("Lion", 0, "")
    assert record["user"] == {"unique_id": "mike.dj", "nickname": "Mike"}


def test_without_the_package_capture_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(live_capture.importlib.util, "find_spec", lambda name: None)
    assert not live_capture.available()
    client = LiveClient("@luna", on_record=lambda r: None, on_status=lambda s: None)
    with pytest.raises(ValidationError) as info:
        client.start()
    assert "pip install" in str(info.value) and "[live]" in str(info.value)
