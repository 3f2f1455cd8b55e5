"""Times: instants with offsets, local days (DST aware) as UTC ranges."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from companion.domain.errors import ValidationError
from companion.domain.timeutil import (
    accepted_range,
    format_duration,
    local_midnight_utc,
    local_range_utc,
    parse_instant,
    parse_local_date,
    to_local,
    zone,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-01T20:15:00Z", datetime(2026, 11, 1, 20, 15, tzinfo=UTC)),
        ("2026-11-01T20:15:00z", datetime(2026, 11, 1, 20, 15, tzinfo=UTC)),
        ("2026-11-01T20:15:00+00:00", datetime(2026, 11, 1, 20, 15, tzinfo=UTC)),
        ("2026-11-01T20:15:00+01:00", datetime(2026, 11, 1, 19, 15, tzinfo=UTC)),
        ("2026-11-01T20:15:00-05:30", datetime(2026, 11, 2, 1, 45, tzinfo=UTC)),
        ("  2026-11-01T20:15:00.250Z ", datetime(2026, 11, 1, 20, 15, 0, 250000, tzinfo=UTC)),
        ("2026-11-01 20:15Z", datetime(2026, 11, 1, 20, 15, tzinfo=UTC)),
    ],
)
def test_parse_instant_accepts_z_and_offsets_and_returns_utc(text: str, expected: datetime) -> None:
    result = parse_instant(text)
    assert result == expected
    assert result.utcoffset() == timedelta(0)
    assert result.tzinfo is UTC


@pytest.mark.parametrize("text", ["2026-11-01T20:15:00", "2026-11-01", "2026-11-01 20:15"])
def test_parse_instant_refuses_naive_with_field_named(text: str) -> None:
    with pytest.raises(ValidationError, match="offset") as info:
        parse_instant(text, field="at")
    assert info.value.field == "at"


@pytest.mark.parametrize(
    "text", ["garbage", "", "   ", "2026-13-01T00:00:00Z", "2026-11-01T25:00:00Z", "Z", "1700000000"]
)
def test_parse_instant_refuses_garbage_with_field_named(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_instant(text)
    assert info.value.field == "received_at"


@pytest.mark.parametrize("text", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"])
def test_parse_instant_at_datetime_range_edges_is_a_validation_error(text: str) -> None:
    with pytest.raises(ValidationError):
        parse_instant(text)


def test_local_range_across_berlin_dst_end_is_25_hours() -> None:
    start, end = local_range_utc(date(2026, 10, 25), date(2026, 10, 25), BERLIN)
    assert start == datetime(2026, 10, 24, 22, 0, tzinfo=UTC)  # 00:00 CEST (+02:00)
    assert end == datetime(2026, 10, 25, 23, 0, tzinfo=UTC)  # 00:00 CET (+01:00) next day
    assert end - start == timedelta(hours=25)


def test_local_range_across_berlin_dst_start_is_23_hours() -> None:
    start, end = local_range_utc(date(2026, 3, 29), date(2026, 3, 29), BERLIN)
    assert start is not None and end is not None
    assert end - start == timedelta(hours=23)


def test_local_range_several_days_inclusive() -> None:
    start, end = local_range_utc(date(2026, 11, 1), date(2026, 11, 3), NEW_YORK)
    assert start == datetime(2026, 11, 1, 4, 0, tzinfo=UTC)  # EDT
    assert end == datetime(2026, 11, 4, 5, 0, tzinfo=UTC)  # EST
    assert end - start == timedelta(days=3, hours=1)


def test_local_range_open_sides() -> None:
    assert local_range_utc(None, None, BERLIN) == (None, None)
    start, end = local_range_utc(date(2026, 11, 1), None, UTC)
    assert start == datetime(2026, 11, 1, tzinfo=UTC) and end is None
    start, end = local_range_utc(None, date(2026, 11, 1), UTC)
    assert start is None and end == datetime(2026, 11, 2, tzinfo=UTC)


def test_local_range_refuses_last_before_first() -> None:
    with pytest.raises(ValidationError) as info:
        local_range_utc(date(2026, 11, 2), date(2026, 11, 1), BERLIN)
    assert info.value.field == "to"


def test_local_range_single_day_same_first_and_last_is_allowed() -> None:
    start, end = local_range_utc(date(2026, 11, 2), date(2026, 11, 2), UTC)
    assert end - start == timedelta(days=1)  # type: ignore[operator]


def test_local_midnight_utc_fixed_offset() -> None:
    assert local_midnight_utc(date(2026, 1, 1), timezone(timedelta(hours=9))) == datetime(2025, 12, 31, 15, tzinfo=UTC)


def test_zone_names() -> None:
    assert zone("") is None
    assert zone("Europe/Berlin") == BERLIN
    for bad in ("Mars/Olympus_Mons", "../etc/passwd"):
        with pytest.raises(ValidationError) as info:
            zone(bad)
        assert info.value.field == "time_zone"


def test_to_local_converts_to_the_zone() -> None:
    moment = datetime(2026, 11, 2, 3, 30, tzinfo=UTC)
    local = to_local(moment, NEW_YORK)
    assert (local.date(), local.hour, local.minute) == (date(2026, 11, 1), 22, 30)
    assert to_local(moment, None) == moment  # same instant in the computer's zone


def test_parse_local_date() -> None:
    assert parse_local_date(" 2026-11-01 ", "from") == date(2026, 11, 1)
    with pytest.raises(ValidationError) as info:
        parse_local_date("11/01/2026", "from")
    assert info.value.field == "from"


@pytest.mark.parametrize(
    ("span", "text"),
    [
        (timedelta(0), "0:00:00"),
        (timedelta(seconds=59.9), "0:00:59"),
        (timedelta(hours=1, minutes=2, seconds=3), "1:02:03"),
        (timedelta(hours=27), "27:00:00"),
        (timedelta(seconds=-5), "0:00:00"),
    ],
)
def test_format_duration(span: timedelta, text: str) -> None:
    assert format_duration(span) == text


NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "text", ["2015-12-31T23:59:59Z", "0002-01-01T00:00:00Z", "2037-01-01T00:00:00Z", "9998-12-31T00:00:00Z"]
)
def test_instants_outside_the_accepted_range_are_refused(text: str) -> None:
    with pytest.raises(ValidationError, match="outside the accepted dates"):
        parse_instant(text, "at", accepted_range(NOW))


def test_the_accepted_range_runs_from_2016_to_ten_years_ahead() -> None:
    first, last = accepted_range(NOW)
    assert first == datetime(2016, 1, 1, tzinfo=UTC)
    assert last.year == 2036 and last >= NOW.replace(year=2036)
    assert parse_instant("2016-01-01T00:00:00Z", "at", (first, last)) == first


def test_a_stored_instant_at_the_end_of_the_calendar_shows_in_utc_instead_of_failing() -> None:
    edge = datetime(9999, 12, 31, 23, 59, tzinfo=UTC)
    assert to_local(edge, ZoneInfo("Asia/Tokyo")) == edge  # was OverflowError: exports and QIF exited 1


def test_an_instant_echoed_in_an_error_has_its_controls_escaped() -> None:
    with pytest.raises(ValidationError) as refused:
        parse_instant("\x1b]0;x\x07\x1b[2J", "at")
    assert "\x1b" not in str(refused.value) and "\\x1b" in str(refused.value)
