"""`streams add/list`, `scheme set/show` and `summary` following the share history, through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli import _restore_process_state, cli  # noqa: F401  (fixture used by every test here)

US = "us-scaled-2025-02"


def test_streams_add_and_list_with_per_live_shares(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert cli(capsys, data, "scheme", "set", US, "--from", "2025-03-01")[0] == 0
    for start, end, followers in (("18:00", "18:04", "0"), ("18:00", "18:26", "5"), ("18:00", "18:40", "9")):
        day = {"18:04": "03", "18:26": "05", "18:40": "06"}[end]
        code, _, err = cli(
            capsys, data, "streams", "add", "--start", f"2025-03-{day}T{start}:00+00:00",
            "--end", f"2025-03-{day}T{end}:00+00:00", "--title", f"d{day}", "--new-followers", followers,
        )  # fmt: skip
        assert code == 0, err
    code, _, err = cli(
        capsys, data, "gifts", "add", "--gift", "Custom", "--coins", "3333", "--count", "1", "--sender", "a",
        "--at", "2025-03-06T18:10:00+00:00", "--stream", "3",
    )  # fmt: skip
    assert code == 0, err
    code, out, err = cli(capsys, data, "streams", "list", "--from", "2025-03-03", "--to", "2025-03-09", "--json")
    assert code == 0, err
    rows = json.loads(out)
    assert [r["share_percent"] for r in rows] == ["28", "48", "48"]
    last = rows[2]
    assert last["minutes"] == 40 and last["diamonds"] == 3333 and last["gifts"] == 1
    assert last["cash"] == "16.00" and last["currency"] == "USD" and last["tiktok_diamonds"] is None
    assert last["share_reasons"] == [
        "40 min → 38 %",
        "9 new followers → +2 %",
        "week: 2 LIVEs of 25+ min → +8 % = 48 %",
    ]
    assert last["start"].endswith("+00:00") and last["end"] is not None
    # summary follows the per-LIVE share; --share still asks "what if"
    code, out, _ = cli(capsys, data, "summary", "--json")
    assert json.loads(out)["cash"] == "16.00" and json.loads(out)["share_percent"] == "48"
    code, out, _ = cli(capsys, data, "summary", "--share", "50", "--json")
    assert json.loads(out)["cash"] == "16.66"  # 16.665, half-even


def test_scheme_set_and_show(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert cli(capsys, data, "scheme", "set", "classic", "--level", "Standard", "--from", "2025-01-01")[0] == 0
    assert cli(capsys, data, "scheme", "set", US, "--level", "Per-LIVE full", "--from", "2025-02-10")[0] == 0
    code, out, _ = cli(capsys, data, "scheme", "show", "--json")
    history = json.loads(out)
    assert code == 0
    assert history == [  # the first entry covers every day before the next one
        {
            "from": "2000-01-01",
            "scheme": "classic",
            "level": "Standard",
            "share_percent": "50",
            "per_live_rules": False,
        },
        {"from": "2025-02-10", "scheme": US, "level": "Per-LIVE full", "share_percent": "40", "per_live_rules": False},
    ]


def test_scheme_set_refuses_a_level_that_is_not_there(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = cli(capsys, tmp_path / "data", "scheme", "set", "classic", "--level", "Gold")
    assert code == 2 and "unknown level 'Gold'" in err
    code, _, err = cli(capsys, tmp_path / "data", "scheme", "set", "classic")
    assert code == 2 and "no per-LIVE rules" in err


def test_streams_add_refuses_an_end_before_the_start(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = cli(
        capsys, tmp_path / "data", "streams", "add", "--start", "2025-03-03T18:00:00+00:00",
        "--end", "2025-03-03T17:00:00+00:00",
    )  # fmt: skip
    assert code == 2 and "ends before it starts" in err
