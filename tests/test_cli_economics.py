"""`summary --level` and `project --json` through the real entry point: the public contract and exit codes."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest

from companion.app import run
from companion.services import build_services
from companion.store.db import open_database
from tests.conftest import CATALOG
from tests.test_cli import _restore_process_state, cli  # noqa: F401  (fixture used by every test here)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data folder whose creator earned 200 diamonds on each of the 20 local days before today and chose the
    US scheme's "Per-LIVE full" level (40 %)."""
    folder = tmp_path / "data"
    db = open_database(folder / "companion.sqlite3", folder / "backups")
    try:
        services = build_services(db, CATALOG)
        today = datetime.now().astimezone().date()
        # on that level for the whole period (a level chosen "today" would leave the earlier days at Classic 50 %)
        services.economics.set_scheme("us-scaled-2025-02", "Per-LIVE full", today - timedelta(days=30))
        for back in range(1, 21):
            at = datetime.combine(today - timedelta(days=back), time(12)).astimezone()
            services.gifts.log("Rose", 200, "fan", at=at)
    finally:
        db.dispose()
    return folder


def test_summary_at_a_named_level(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    code, out, _ = cli(capsys, data, "summary", "--level", "maximum", "--json")
    assert code == 0
    assert json.loads(out) == {"gifts": 20, "items": 4000, "coins": 4000, "diamonds": 4000, "share_percent": "53",
                               "cash": "21.20", "currency": "USD"}  # fmt: skip
    code, out, _ = cli(capsys, data, "summary", "--json")
    assert json.loads(out)["cash"] == "16.00" and json.loads(out)["share_percent"] == "40"


def test_unknown_level_is_refused_with_the_known_names(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    code, out, err = cli(capsys, data, "summary", "--level", "Diamond league", "--json")
    assert code == 2 and out == ""
    assert "unknown level 'Diamond league'" in err and "'Maximum'" in err


def test_level_and_share_exclude_each_other(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    with pytest.raises(SystemExit) as info:
        run(["--data-dir", str(data), "summary", "--level", "Maximum", "--share", "50"])
    assert info.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_project_json_contract(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    code, out, _ = cli(capsys, data, "project", "--days", "7", "--json")
    assert code == 0
    # 200 diamonds every day at 40 %: exactly US$0.80 a day, so the band is one number
    assert json.loads(out) == {"days": 7, "p10": "5.60", "p50": "5.60", "p90": "5.60", "currency": "USD",
                               "basis_days": 20, "coverage": {"held": 0, "of": 0, "below": 0, "above": 0},
                               "calibration": "rough", "biggest_day": "0.80"}  # fmt: skip
    code, out, _ = cli(capsys, data, "project", "--json")
    assert json.loads(out)["days"] == 30


def test_project_text_says_the_band_and_that_income_is_lumpy(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    code, out, _ = cli(capsys, data, "project", "--days", "7")
    assert code == 0 and "5.60–5.60 USD" in out and "lumpy" in out
    assert "Rough range: only 20 days of history" in out and "One big night can add 0.80 USD" in out


@pytest.mark.parametrize("days", ["0", "-3", "ten", "100000"])
def test_project_refuses_bad_days(capsys: pytest.CaptureFixture[str], data: Path, days: str) -> None:
    with pytest.raises(SystemExit) as info:
        run(["--data-dir", str(data), "project", "--days", days, "--json"])
    assert info.value.code == 2
    assert "--days" in capsys.readouterr().err
