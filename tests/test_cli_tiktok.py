"""`companion import tiktok FILE`: through the real entry point; exit codes, --json, refusals on stderr."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.integrations.tiktok_data import THREE, export, live, write_json, write_zip
from tests.test_cli import _restore_process_state, cli  # noqa: F401  (an autouse fixture, helpers)


def _lives(data: Path) -> int:
    with sqlite3.connect(data / "companion.sqlite3") as con:
        return int(con.execute("SELECT count(*) FROM tiktok_live").fetchone()[0])


def test_import_tiktok_prints_what_it_did_and_twice_adds_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    path = write_zip(tmp_path / "tiktok.zip", export(*THREE))
    code, out, err = cli(capsys, data, "import", "tiktok", str(path))
    assert code == 0, err
    assert out.startswith(f"{path}: 0 LIVEs matched to streams, 3 new past streams; TotalEarning taken as diamonds")
    assert "keys not read: CoverURI, Unheard Of Key" in out
    code, out, err = cli(capsys, data, "import", "tiktok", str(path), "--json")
    assert code == 0, err
    assert json.loads(out) == {
        "matched": 0, "created": 0, "updated": 0, "already": 3, "earning_unit": "diamonds",
        "unknown_keys": ["CoverURI", "Unheard Of Key"], "notes": [],
    }  # fmt: skip
    assert _lives(data) == 3


def test_usd_earnings_with_json_output(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write_json(tmp_path / "user_data_tiktok.json", export(live("2026-11-10 19:00:00", "2.50")))
    code, out, err = cli(capsys, tmp_path / "data", "import", "tiktok", str(path), "--earning-unit", "usd", "--json")
    assert code == 0, err
    assert json.loads(out)["created"] == 1 and json.loads(out)["earning_unit"] == "usd"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('{"TikTok Live": {"Go Live', "not valid JSON (line 1, column"),
        ('{"rows": [1, 2]}', "this JSON holds “rows”, not TikTok's sections; expected TikTok's “Download your data”"),
    ],
)
def test_a_damaged_or_unrelated_file_exits_2_naming_what_was_expected(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, expected: str
) -> None:
    bad = tmp_path / "user_data_tiktok.json"
    bad.write_text(content, encoding="utf-8")
    code, out, err = cli(capsys, tmp_path / "data", "import", "tiktok", str(bad))
    assert code == 2 and out == ""
    assert expected in err and "nothing was imported" in err
    assert _lives(tmp_path / "data") == 0


def test_a_fractional_total_as_diamonds_exits_2_and_names_the_entry(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = write_json(tmp_path / "u.json", export(live("2026-11-10 19:00:00", 3), live("2026-11-11 19:00:00", "2.5")))
    code, _, err = cli(capsys, tmp_path / "data", "import", "tiktok", str(path))
    assert code == 2
    assert f"{path}: GoLiveList entry 2, TotalEarning 2.5 has a fraction" in err
    assert _lives(tmp_path / "data") == 0


def test_a_missing_file_or_unit_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = cli(capsys, tmp_path / "data", "import", "tiktok", str(tmp_path / "nope.zip"))
    assert code == 2 and "cannot read the file" in err
    with pytest.raises(SystemExit) as exited:
        cli(capsys, tmp_path / "data", "import", "tiktok", "x.json", "--earning-unit", "coins")
    assert exited.value.code == 2


def test_the_command_offers_the_services_units() -> None:
    from companion.commands.importing import UNITS
    from companion.services.tiktok_import import DEFAULT_UNIT, EARNING_UNITS

    assert list(UNITS) == list(EARNING_UNITS) and UNITS[0] == DEFAULT_UNIT
