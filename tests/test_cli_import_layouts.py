"""`companion gifts import FILE [--map ...] [--date-format F] [--zone IANA]`: other tools' layouts through the
real entry point, in two profile zones with the computer's zone set to a third; bad flags exit 2 naming them."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from companion.store.types import from_millis
from tests.services.test_import_layouts import FIXTURES, LAYOUTS, OTHER, ZONES, expected
from tests.test_cli import EMPTY, _restore_process_state, cli, set_time_zone, summary  # noqa: F401


def stored(data: Path) -> dict[str, tuple[datetime, int]]:
    with sqlite3.connect(data / "companion.sqlite3") as con:
        rows = con.execute("SELECT sender, received_at, count FROM gift_event").fetchall()
    return {sender: (from_millis(at), count) for sender, at, count in rows}


@pytest.fixture
def data(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    assert summary(capsys, folder) == EMPTY  # creates the profile
    return folder


@pytest.mark.parametrize("zone", ZONES)
def test_a_time_without_offset_is_read_in_the_profile_zone(
    capsys: pytest.CaptureFixture[str], data: Path, computer_zone: Callable[[str], None], zone: str
) -> None:
    """Before issue 15: exit 2, every row refused with "has no UTC offset"."""
    computer_zone(OTHER[zone])
    set_time_zone(data, zone)
    code, out, err = cli(capsys, data, "gifts", "import", str(FIXTURES / "no_offset.csv"))
    assert code == 0, err
    assert out.strip() == f"{FIXTURES / 'no_offset.csv'}: imported 3 gifts, 1 stream created"
    assert stored(data) == expected("no_offset.csv", zone)


@pytest.mark.parametrize("zone", ZONES)
@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_each_layout_imports_by_flags_with_the_zone_flag(
    capsys: pytest.CaptureFixture[str], data: Path, computer_zone: Callable[[str], None], name: str, zone: str
) -> None:
    computer_zone(OTHER[zone])
    set_time_zone(data, "Pacific/Auckland")  # --zone wins over the profile's zone
    mapping, style, _ = LAYOUTS[name]
    flags = ["--map", mapping] if mapping else []
    code, out, err = cli(
        capsys, data, "gifts", "import", str(FIXTURES / name), *flags, "--date-format", style, "--zone", zone
    )
    assert code == 0, err
    assert "imported 3 gifts" in out and err == ""
    assert stored(data) == expected(name, zone)
    code, out, _ = cli(
        capsys, data, "gifts", "import", str(FIXTURES / name), *flags, "--date-format", style, "--zone", zone
    )
    assert code == 0 and "imported 0 gifts, 3 already present" in out


def test_unix_milliseconds_are_detected_and_said(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    mapping, _, _ = LAYOUTS["tikfinity_style.csv"]
    code, _out, err = cli(capsys, data, "gifts", "import", str(FIXTURES / "tikfinity_style.csv"), "--map", mapping)
    assert code == 0, err
    assert "times read as Unix milliseconds (1796065500000), instants (no zone needed) (detected)" in err
    assert stored(data) == expected("tikfinity_style.csv", "Asia/Tokyo")


def test_our_own_export_imported_again_adds_nothing(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    set_time_zone(data, "Asia/Tokyo")
    mapping, _, _ = LAYOUTS["us_style.csv"]
    assert cli(capsys, data, "gifts", "import", str(FIXTURES / "us_style.csv"), "--map", mapping)[0] == 0
    export = tmp_path / "export.csv"
    code, _, err = cli(capsys, data, "export", "csv", "--out", str(export))
    assert code == 0, err
    code, out, err = cli(capsys, data, "gifts", "import", str(export), "--zone", "America/New_York")
    assert code == 0, err
    assert out.strip() == f"{export}: imported 0 gifts, 3 already present (skipped)"


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--map", "Date=when"], "error: map: unknown field 'when' (for column 'Date')"),
        (["--map", "Date"], "error: map: 'Date' is not FILE_COLUMN=field"),
        (["--map", "Date=received_at,Time=received_at"], "error: map: received_at is given twice"),
        (["--map", "Nope=received_at"], "header: there is no column 'Nope' (for received_at)"),
        (["--zone", "Mars/Olympus_Mons"], "error: zone: unknown time zone 'Mars/Olympus_Mons'"),
        (["--format", "events", "--zone", "Asia/Tokyo"], "error: format: --map, --date-format and --zone are for CSV"),
    ],
)
def test_bad_flags_exit_2_naming_them(
    capsys: pytest.CaptureFixture[str], data: Path, flags: list[str], message: str
) -> None:
    code, out, err = cli(capsys, data, "gifts", "import", str(FIXTURES / "streamelements_style.csv"), *flags)
    assert code == 2 and out == ""
    assert message in err
    assert stored(data) == {}


def test_a_wrong_date_format_names_the_line_and_the_likely_one(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    mapping, _, _ = LAYOUTS["streamelements_style.csv"]
    path = str(FIXTURES / "streamelements_style.csv")
    code, _, err = cli(capsys, data, "gifts", "import", path, "--map", mapping, "--date-format", "mdy")
    assert code == 2
    assert f"{path}: line 2, received_at: '30/11/2026 19:05' is not a date in the month first" in err
    assert "is it day first (30/11/2026 19:05)?" in err
    code, _, err = cli(capsys, data, "gifts", "import", path, "--map", mapping, "--date-format", "iso")
    assert code == 2
    assert "line 2, received_at: '30/11/2026 19:05' is not an ISO 8601 date-time; it looks like day first" in err
    assert "(--date-format dmy)" in err
    assert stored(data) == {}
