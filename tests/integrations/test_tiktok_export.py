"""Reading TikTok's data download: tolerant of its shape, strict about size and about what is not a download."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from companion.integrations import tiktok_export
from companion.integrations.tiktok_export import TikTokExportRefused, norm_key, parse_export, read_export
from tests.integrations.tiktok_data import THREE, export, live, write_json, write_zip


def test_the_live_section_is_read_whatever_the_key_spelling(tmp_path: Path) -> None:
    read = read_export(write_json(tmp_path / "user_data_tiktok.json", export(*THREE)))
    lives = sorted(read.lives, key=lambda x: x.started_at)
    assert [x.started_at for x in lives] == [
        datetime(2026, 11, 10, 19, 2, tzinfo=UTC), datetime(2026, 11, 12, 18, 0, tzinfo=UTC),
        datetime(2026, 11, 14, 21, 30, tzinfo=UTC),
    ]  # fmt: skip
    assert [x.earning for x in lives] == [Decimal(5200), Decimal(1500), Decimal(0)]
    assert lives[0].title == "Friday night" and lives[0].gifters == 12 and lives[0].views == 340
    assert lives[0].ended_at == datetime(2026, 11, 10, 20, 10, tzinfo=UTC)
    assert lives[1].gifters is None and lives[1].title == "" and lives[1].ended_at is None
    assert read.unknown_keys == ("CoverURI", "Unheard Of Key")


def test_the_zip_and_the_older_spelling_read_the_same(tmp_path: Path) -> None:
    from_zip = read_export(write_zip(tmp_path / "tiktok.zip", export(*THREE, old=True), "data/user_data.json"))
    assert from_zip.member == "data/user_data.json"
    assert len(from_zip.lives) == 3


@pytest.mark.parametrize(
    "section", [None, [], {}, {"Go Live History": None}, {"Go Live History": {"GoLiveList": None}}]
)
def test_an_empty_or_null_live_section_gives_no_lives(section: object) -> None:
    document = export()
    document["TikTok Live"] = section
    read = parse_export(json.dumps(document).encode())
    assert read.lives == ()
    assert read.notes


def test_a_download_without_a_live_section_has_no_lives_and_says_why() -> None:
    document = export()
    del document["TikTok Live"]
    read = parse_export(json.dumps(document).encode())
    assert read.lives == () and "no “TikTok Live” section" in read.notes[0]


def test_a_live_without_a_start_is_left_out_and_counted() -> None:
    read = parse_export(json.dumps(export(live("", 10), live("2026-01-01 10:00:00", 5))).encode())
    assert len(read.lives) == 1 and "1 LIVE without a start time" in read.notes[0]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'{"TikTok Live": {"Go Live History": ', "not valid JSON (line 1"),
        (b"\xff\xfe\x00garbage", "not a text file"),
        (b'{"type": "FeatureCollection", "features": []}', "“type”, “features”, not TikTok's sections"),
        (b"[1, 2, 3]", "not an object"),
        (b'{"Profile": {}, "TikTok Live": {"Go Live History": {"GoLiveList": 7}}}', "“GoLiveList” is a int"),
    ],
)
def test_damaged_or_unrelated_json_is_refused_naming_what_was_expected(data: bytes, expected: str) -> None:
    with pytest.raises(TikTokExportRefused) as refused:
        parse_export(data, "user_data_tiktok.json")
    assert expected in str(refused.value)
    assert "nothing was imported" in str(refused.value)


def test_unreadable_values_are_refused_naming_the_entry_and_field() -> None:
    bad = export(live("2026-11-10 19:00:00", 10), live("yesterday evening", 5), live("2026-11-11 19:00:00", "lots"))
    with pytest.raises(TikTokExportRefused) as refused:
        parse_export(json.dumps(bad).encode())
    assert refused.value.problems == [
        "GoLiveList entry 2, LiveStartTime “yesterday evening” is not a time like 2025-03-01 20:15:00",
        "GoLiveList entry 3, TotalEarning “lots” is not a number",
    ]


def test_hostile_files_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    deep = b'{"Profile": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    with pytest.raises(TikTokExportRefused, match="nests deeper"):
        parse_export(deep)
    nested = {"Profile": {}, "x": 1}
    node: dict[str, object] = nested
    for _ in range(100):
        node["x"] = {}
        node = node["x"]  # type: ignore[assignment]
    with pytest.raises(TikTokExportRefused, match="nests deeper"):
        parse_export(json.dumps(nested).encode())
    with pytest.raises(TikTokExportRefused, match="more than 15 digits"):
        parse_export(b'{"Profile": {}, "n": ' + b"9" * 5000 + b"}")
    with pytest.raises(TikTokExportRefused, match="too large"):
        parse_export(json.dumps(export(live("2026-01-01 10:00:00", "1e400"))).encode())
    monkeypatch.setattr(tiktok_export, "MAX_JSON_BYTES", 10_000)
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("user_data_tiktok.json", b" " * 1_000_000)
    with pytest.raises(TikTokExportRefused, match="larger than"):
        read_export(bomb)
    with pytest.raises(TikTokExportRefused, match="larger than"):
        read_export(write_json(tmp_path / "big.json", {"Profile": "x" * 20_000}))


def test_a_zip_bomb_that_lies_about_its_size_stops_at_the_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tiktok_export, "MAX_JSON_BYTES", 10_000)
    bomb = tmp_path / "liar.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("user_data_tiktok.json", b" " * 1_000_000)
    raw = bytearray(bomb.read_bytes())
    # patch the declared uncompressed size (local header and central directory) down to 100 bytes
    for offset in (22, raw.rfind(b"PK\x01\x02") + 24):
        raw[offset : offset + 4] = (100).to_bytes(4, "little")
    bomb.write_bytes(bytes(raw))
    with pytest.raises(TikTokExportRefused, match=r"cannot unpack|larger than"):
        read_export(bomb)


def test_a_txt_download_or_a_zip_without_the_json_is_refused(tmp_path: Path) -> None:
    txt = tmp_path / "txt.zip"
    with zipfile.ZipFile(txt, "w") as archive:
        archive.writestr("Activity/Login History.txt", "x")
    with pytest.raises(TikTokExportRefused, match="TXT format"):
        read_export(txt)
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(TikTokExportRefused, match="damaged"):
        read_export(broken)


def test_keys_compare_without_case_spaces_or_underscores() -> None:
    assert norm_key("Go Live History") == norm_key("go_live_history") == norm_key("GOLIVEHISTORY")


def test_durations_read_as_seconds_or_clock_text_and_odd_ones_are_left_out() -> None:
    entries = [
        {**live(f"2026-01-0{day} 10:00:00", 1), "LiveDuration": duration}
        for day, duration in ((1, 3723), (2, "1:02:03"), (3, "62:03"), (4, "about an hour"))
    ]
    read = parse_export(json.dumps(export(*entries)).encode())
    assert [x.duration_seconds for x in sorted(read.lives, key=lambda x: x.started_at)] == [3723, 3723, 3723, None]


def test_a_hostile_number_of_problems_or_keys_is_named_up_to_a_limit() -> None:
    bad = export(*(live("2026-01-01 10:00:00", "x") for _ in range(500)))
    with pytest.raises(TikTokExportRefused) as refused:
        parse_export(json.dumps(bad).encode())
    assert len(refused.value.problems) == 101 and refused.value.problems[-1] == "400 more problems in GoLiveList"
    keys = export({**live("2026-01-01 10:00:00", 1), **{f"k{i}": 1 for i in range(1000)}})
    read = parse_export(json.dumps(keys).encode())
    assert len(read.unknown_keys) == 101 and read.unknown_keys[-1] == "…"
