"""The event log: TikTokLive gift events one JSON object a line; every bad line named with its field."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from companion.domain.errors import ImportRejected
from companion.integrations.events import (
    parse_event_lines,
    parse_record,
    read_event_log,
    record_line,
    stream_event_log,
)
from companion.integrations.live_capture import event_record
from companion.integrations.native_csv import ErrorLog
from tests.integrations.eventlog import T0, gift_event, lines


def parse(text: str):  # type: ignore[no-untyped-def]
    return parse_event_lines(text.splitlines())


def test_a_good_event_becomes_a_signal_with_every_field() -> None:
    record = gift_event(7301, sender="luna", count=5, end=True, group=1762024500123, at_ms=T0)
    signal, errors = parse_record(record, 4)
    assert errors == [] and signal is not None
    assert signal.line == 4 and signal.msg_id == "7301"
    assert signal.at == datetime(2026, 11, 1, 19, 15, tzinfo=UTC)
    assert (signal.sender, signal.nickname, signal.gift_id, signal.gift_name) == ("luna", "Luna", 5655, "Rose")
    assert (signal.coins_each, signal.streakable, signal.repeat_count, signal.repeat_end) == (1, True, 5, True)
    assert signal.group_id == "1762024500123"


def test_a_log_with_streaks_and_single_gifts() -> None:
    text = lines(
        gift_event(1, count=1),
        "",
        gift_event(2, count=4),
        gift_event(3, sender="mike", gift="Lion", coins=29999, gift_id=6369, streakable=False),
        gift_event(4, count=10, end=True),
        gift_event(5, sender="zoe", count=2),  # never ends
    )
    gifts, errors = parse(text)
    assert errors == []
    assert [(g.sender, g.gift_name, g.count, g.final, g.line) for g in gifts] == [
        ("mike", "Lion", 1, True, 4),
        ("luna", "Rose", 10, True, 5),
        ("zoe", "Rose", 2, False, 6),
    ]


def test_a_gift_without_a_price_leaves_it_to_the_catalog() -> None:
    [gift], errors = parse(lines(gift_event(1, coins=None, streakable=False)))
    assert errors == [] and gift.coins_each is None


def test_every_bad_line_is_named_with_its_field() -> None:
    good = json.dumps(gift_event(1, streakable=False))
    text = lines(
        good,
        good[:40],  # cut off mid-line
        gift_event(3, count=0, streakable=False),
        gift_event(4, count=-2, streakable=False),
        {**gift_event(5, streakable=False), "create_time": "yesterday"},
        {**gift_event(6, streakable=False), "create_time": 1793560500},  # seconds, not milliseconds
        {**gift_event(7, streakable=False), "user": {}},
        {**gift_event(8, streakable=False), "gift": {"id": 1}},
        {**gift_event(9, streakable=False), "msg_id": None},
        "[1, 2]",
        {**gift_event(11, streakable=False), "repeat_end": "maybe"},
    )
    gifts, errors = parse(text)
    assert [(e.line, e.field) for e in errors] == [
        (2, "line"),
        (3, "repeat_count"),
        (4, "repeat_count"),
        (5, "create_time"),
        (6, "create_time"),
        (7, "user.unique_id"),
        (8, "gift.name"),
        (9, "msg_id"),
        (10, "line"),
        (11, "repeat_end"),
    ]
    assert "not valid JSON" in errors[0].message
    assert "1970-01-21" in errors[4].message
    assert len(gifts) == 1


def test_read_event_log_refuses_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_bytes(record_line(gift_event(1)).encode() + b"\n\xff\xfe{}\n")
    with pytest.raises(ImportRejected) as info:
        read_event_log(path)
    assert [(e.line, e.field) for e in info.value.errors] == [(2, "line")]


def test_record_line_round_trips_through_the_parser(tmp_path: Path) -> None:
    record = gift_event(1, sender="ünïcode_fan", streakable=False)
    path = tmp_path / "log.jsonl"
    path.write_text(record_line(record) + "\n", encoding="utf-8")
    [gift], errors = read_event_log(path)
    assert errors == [] and gift.sender == "ünïcode_fan"
    assert "\n" not in record_line({**record, "user": {"unique_id": "a\nb"}})


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"repeat_count": "--5"}, "repeat_count"),
        ({"repeat_count": "5-"}, "repeat_count"),
        ({"create_time": "--1793560500000"}, "create_time"),
        ({"create_time": 250_000_000_000_000}, "create_time"),
        ({"create_time": 10**40}, "create_time"),
        ({"create_time": -(10**18)}, "create_time"),
        ({"create_time": 1_420_070_400_000}, "create_time"),  # 2015: before the accepted range
        ({"create_time": 4_102_444_800_000}, "create_time"),  # 2100: more than ten years ahead
    ],
)
def test_a_bad_value_is_a_per_line_error_not_a_crash(change: dict[str, object], field: str) -> None:
    text = lines(gift_event(1, streakable=False), {**gift_event(2, streakable=False), **change})
    gifts, errors = parse(text)
    assert len(gifts) == 1
    assert [(e.line, e.field) for e in errors] == [(2, field)]


@pytest.mark.parametrize(
    "bad_line",
    [
        '{"msg_id": "2", "repeat_count": ' + "9" * 5000 + "}",  # over Python's 4,300-digit limit
        "[" * 100_000 + "]" * 100_000,  # nested past the recursion limit
        '{"msg_id": "2", "repeat_count": ' + "[" * 990 + "]" * 990 + "}",  # just under it: too deep to show
    ],
)
def test_a_line_json_cannot_even_hold_is_a_per_line_error(bad_line: str) -> None:
    gifts, errors = parse(lines(gift_event(1, streakable=False), bad_line, gift_event(3, streakable=False)))
    assert len(gifts) == 2
    assert [(e.line, e.field) for e in errors] == [(2, "line")]


def test_a_conflicting_duplicate_is_reported_by_line(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    first = gift_event(1, streakable=False)
    path.write_text(lines(first, first, {**first, "repeat_count": 9}), encoding="utf-8")
    conflicts: list[int] = []
    gifts = list(stream_event_log(path, ErrorLog(), conflicts=conflicts))
    assert [g.count for g in gifts] == [1] and conflicts == [3]


def test_a_live_event_with_a_bad_time_and_controls_is_logged_then_refused_or_cleaned() -> None:
    def live(create_time: object) -> SimpleNamespace:
        return SimpleNamespace(
            common=SimpleNamespace(msg_id=1, create_time=create_time),
            user=SimpleNamespace(unique_id="lu\x1b[2Jna\u202e", nickname="Luna"),
            gift=SimpleNamespace(id=5655, name="Ro\x00se", diamond_count=1, type=2),
            repeat_count=1, repeat_end=1, group_id=0,
        )  # fmt: skip

    record = event_record(live("--1793560500000"))  # was ValueError: the event lost from the log too
    assert record["create_time"] == "--1793560500000"
    assert [e.field for e in parse_record(record, 1)[1]] == ["create_time"]
    signal, errors = parse_record(event_record(live(T0)), 2)
    assert errors == [] and signal is not None
    assert (signal.sender, signal.gift_name) == ("lu[2Jna", "Rose")
