"""Other tools' CSV layouts (tests/fixtures/imports): times without an offset read in the profile's zone, day-
and month-first dates, Unix milliseconds, renamed columns; the right instants whatever the computer's zone; a
DST gap or fold refused by line; our own export of them imported again adds nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from companion.domain.errors import ImportRejected
from companion.services import Services
from companion.services.import_preview import csv_plan
from companion.store.tables import GiftEventRow

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"

#: The three gifts of every fixture: sender → UTC instant, for wall-clock times read in each zone.
WALL_CLOCK = {
    "Asia/Tokyo": {
        "amy": datetime(2026, 11, 30, 10, 5, tzinfo=UTC),
        "bob": datetime(2026, 11, 30, 10, 7, 30, 250_000, tzinfo=UTC),
        "cat": datetime(2026, 11, 30, 15, 15, tzinfo=UTC),
    },
    "America/New_York": {
        "amy": datetime(2026, 12, 1, 0, 5, tzinfo=UTC),
        "bob": datetime(2026, 12, 1, 0, 7, 30, 250_000, tzinfo=UTC),
        "cat": datetime(2026, 12, 1, 5, 15, tzinfo=UTC),
    },
}
#: Unix times are instants: the same in every zone (the Tokyo wall-clock times).
UNIX = WALL_CLOCK["Asia/Tokyo"]

#: fixture → (the file's column = our field, date format given, what detection says without one)
LAYOUTS = {
    "no_offset.csv": (None, "iso", "iso"),
    "streamelements_style.csv": (
        "Date=received_at,Username=sender,Gift Name=gift,Qty=count,Value=coins_each", "dmy", "dmy",
    ),
    "us_style.csv": ("Time=received_at,Viewer=sender,Item=gift,Quantity=count,Coins=coins_each", "mdy", "mdy"),
    "tikfinity_style.csv": (
        "Timestamp=received_at,Nickname=sender,Gift Name=gift,Repeat Count=count,Diamonds=coins_each", "unix-ms",
        "unix-ms",
    ),
}  # fmt: skip
ZONES = ("Asia/Tokyo", "America/New_York")
#: The computer's zone in each case: never the profile's, so a reader that used it would be caught.
OTHER = {"Asia/Tokyo": "America/New_York", "America/New_York": "Europe/Berlin"}


def stored(services: Services) -> dict[str, tuple[datetime, int]]:
    with services.db.session() as s:
        rows = s.exec(select(GiftEventRow)).all()
    return {row.sender: (row.received_at, row.count) for row in rows}


def expected(name: str, zone: str) -> dict[str, tuple[datetime, int]]:
    instants = UNIX if name.startswith("tikfinity") else WALL_CLOCK[zone]
    return {sender: (at, {"amy": 3, "bob": 1, "cat": 10}[sender]) for sender, at in instants.items()}


def pairs(text: str | None) -> dict[str, str] | None:
    if text is None:
        return None
    return {ours: theirs for theirs, ours in (pair.split("=") for pair in text.split(","))}


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("name", sorted(LAYOUTS))
@pytest.mark.parametrize("chosen", [True, False], ids=["chosen", "detected"])
def test_each_layout_imports_the_right_instants_in_the_profile_zone(
    services: Services, computer_zone: Callable[[str], None], name: str, zone: str, chosen: bool
) -> None:
    computer_zone(OTHER[zone])
    mapping, style, detected = LAYOUTS[name]
    plan = csv_plan(FIXTURES / name, pairs(mapping), style if chosen else None, ZoneInfo(zone))
    assert plan.times.style == (style if chosen else detected)
    assert plan.detected == (not chosen and detected != "iso")
    result = services.gifts.import_csv(FIXTURES / name, plan.mapping, times=plan.times)
    assert result.added == 3
    assert stored(services) == expected(name, zone)


def test_a_time_without_offset_is_read_in_the_zone_given(services: Services) -> None:
    """Before issue 15 every such row was refused ("has no UTC offset"), whatever the profile's zone."""
    plan = csv_plan(FIXTURES / "no_offset.csv", None, None, ZoneInfo("Asia/Tokyo"))
    assert services.gifts.import_csv(FIXTURES / "no_offset.csv", times=plan.times).added == 3


@pytest.mark.parametrize("zone", ZONES)
def test_our_export_of_an_imported_layout_adds_nothing_again(
    services: Services, computer_zone: Callable[[str], None], tmp_path: Path, zone: str
) -> None:
    computer_zone(OTHER[zone])
    mapping, style, _ = LAYOUTS["streamelements_style.csv"]
    plan = csv_plan(FIXTURES / "streamelements_style.csv", pairs(mapping), style, ZoneInfo(zone))
    assert services.gifts.import_csv(FIXTURES / "streamelements_style.csv", plan.mapping, times=plan.times).added == 3
    exported = tmp_path / "export.csv"
    assert services.exports.export_csv(exported) == 3
    again = csv_plan(exported, None, None, ZoneInfo("Pacific/Auckland"))  # the export's offsets win over a zone
    result = services.gifts.import_csv(exported, times=again.times)
    assert (result.added, result.already_present) == (0, 3)
    # and the layout itself a second time
    result = services.gifts.import_csv(FIXTURES / "streamelements_style.csv", plan.mapping, times=plan.times)
    assert (result.added, result.already_present) == (0, 3)


def test_dst_gap_and_fold_are_refused_by_line_and_nothing_is_imported(services: Services, tmp_path: Path) -> None:
    path = tmp_path / "dst.csv"
    path.write_text(
        "received_at,sender,gift,coins_each,count,stream\n"
        "2026-03-08 01:59:59,amy,Rose,,1,\n"  # fine: just before the spring-forward jump
        "2026-03-08 02:30:00,bob,Rose,,1,\n"  # does not exist in New York
        "2026-11-01 01:30:00,cat,Rose,,1,\n"  # happened twice in New York
        "2026-11-01 01:30:00-05:00,dan,Rose,,1,\n"  # the offset says which: fine
        "2026-11-01 02:30:00,eve,Rose,,1,\n",  # after the fold: fine
        encoding="utf-8",
    )
    times = csv_plan(path, None, None, ZoneInfo("America/New_York")).times
    with pytest.raises(ImportRejected) as refused:
        services.gifts.import_csv(path, times=times)
    assert [(e.line, e.field) for e in refused.value.errors] == [(3, "received_at"), (4, "received_at")]
    gap, fold = (e.message for e in refused.value.errors)
    assert "'2026-03-08 02:30:00' does not exist in America/New_York" in gap and "jumped forward" in gap
    assert "'2026-11-01 01:30:00' happened twice in America/New_York" in fold
    assert "-04:00 or -05:00" in fold
    assert stored(services) == {}
