"""The command line, driven in-process through the real entry point `companion.app.run` (what `python -m
companion` calls): exit codes, the `summary --json` contract, local-date ranges, all-or-nothing imports."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select

from companion.app import run
from companion.paths import ENV_DATA_DIR
from companion.store.db import open_database
from companion.store.tables import ProfileRow

HEADER = "received_at,sender,gift,coins_each,count,stream"
EMPTY = {"gifts": 0, "items": 0, "coins": 0, "diamonds": 0, "share_percent": "50", "cash": "0.00", "currency": "USD"}


@pytest.fixture(autouse=True)
def _restore_process_state(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """`run` installs an excepthook and a log handler on the root logger; undo both after each test."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    root = logging.getLogger()
    level = root.level
    yield
    for handler in [h for h in root.handlers if getattr(h, "_companion", False)]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


def cli(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> tuple[int, str, str]:
    code = run(["--data-dir", str(data_dir), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def summary(capsys: pytest.CaptureFixture[str], data_dir: Path, *args: str) -> dict[str, object]:
    code, out, err = cli(capsys, data_dir, "summary", *args, "--json")
    assert code == 0, err
    result = json.loads(out)
    assert isinstance(result, dict)
    return result


def gift_rows(data_dir: Path) -> int:
    with sqlite3.connect(data_dir / "companion.sqlite3") as con:
        return int(con.execute("SELECT count(*) FROM gift_event").fetchone()[0])


def write_csv(path: Path, *rows: str) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


# --- gifts add + summary ------------------------------------------------------------------------------------


def test_summary_of_an_empty_database(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    assert summary(capsys, data) == EMPTY
    assert (data / "companion.sqlite3").is_file()


def test_one_rose_gift_gives_the_documented_summary(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    code, out, err = cli(capsys, data, "gifts", "add", "--gift", "Rose", "--count", "5", "--sender", "amy")
    assert code == 0, err
    assert "5 × Rose from amy = 5 diamonds" in out
    # 5 diamonds × $0.005 = 0.025 → half-even → 0.02 (half-up would say 0.03)
    assert summary(capsys, data) == {
        "gifts": 1,
        "items": 5,
        "coins": 5,
        "diamonds": 5,
        "share_percent": "50",
        "cash": "0.02",
        "currency": "USD",
    }


def test_plain_summary_is_a_sentence(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    cli(capsys, data, "gifts", "add", "--gift", "Galaxy", "--count", "2", "--sender", "bo")
    code, out, _ = cli(capsys, data, "summary")
    assert code == 0
    assert "1 gifts (2 items), 2,000 diamonds = 10.00 USD at 50 %" in out


@pytest.fixture
def three_gifts(capsys: pytest.CaptureFixture[str], data: Path) -> Path:
    for gift, count in (("Lion", "1"), ("Rose", "5"), ("Galaxy", "2")):
        code, _, err = cli(capsys, data, "gifts", "add", "--gift", gift, "--count", count, "--sender", "kim")
        assert code == 0, err
    return data


def test_multi_gift_totals_at_the_default_share(capsys: pytest.CaptureFixture[str], three_gifts: Path) -> None:
    # Lion 29999 × 1 + Rose 1 × 5 + Galaxy 1000 × 2 = 32004 diamonds; × $0.005 = 160.02
    assert summary(capsys, three_gifts) == {
        "gifts": 3,
        "items": 8,
        "coins": 32004,
        "diamonds": 32004,
        "share_percent": "50",
        "cash": "160.02",
        "currency": "USD",
    }


def test_multi_gift_totals_at_another_share(capsys: pytest.CaptureFixture[str], three_gifts: Path) -> None:
    # 32004 × $0.00525 = 168.021 → 168.02
    result = summary(capsys, three_gifts, "--share", "52.5")
    assert result["share_percent"] == "52.5"
    assert result["cash"] == "168.02"
    assert result["diamonds"] == 32004
    assert summary(capsys, three_gifts, "--share", "100")["cash"] == "320.04"
    assert summary(capsys, three_gifts, "--share", "0")["cash"] == "0.00"


@pytest.mark.parametrize("share", ["101", "abc", "-1", "50.125"])
def test_bad_share_is_refused(capsys: pytest.CaptureFixture[str], three_gifts: Path, share: str) -> None:
    code, out, err = cli(capsys, three_gifts, "summary", "--share", share, "--json")
    assert code == 2
    assert out == ""
    assert "share" in err
    assert share in err


# --- local dates ----------------------------------------------------------------------------------------------


def set_time_zone(data_dir: Path, name: str) -> None:
    db = open_database(data_dir / "companion.sqlite3", data_dir / "backups")
    try:
        with Session(db.engine) as s:
            profile = s.exec(select(ProfileRow)).one()
            profile.time_zone = name
            s.add(profile)
            s.commit()
    finally:
        db.dispose()


@pytest.fixture
def new_york(capsys: pytest.CaptureFixture[str], data: Path) -> Path:
    """Gifts around 1 Nov 2026 in New York, the day summer time ends (a 25-hour local day: 04:00Z to 05:00Z
    next day). Counts are powers of two so each total names exactly which gifts it holds."""
    assert summary(capsys, data) == EMPTY  # creates the profile
    set_time_zone(data, "America/New_York")
    moments = {
        "2026-11-01T03:59:59Z": 1,  # 31 Oct 23:59:59 EDT
        "2026-11-01T00:00:00-04:00": 2,  # 1 Nov 00:00 EDT, first instant of the day
        "2026-11-02T03:30:00Z": 4,  # 1 Nov 22:30 EST
        "2026-11-02T04:30:00Z": 8,  # 1 Nov 23:30 EST (outside a naive 24-hour day)
        "2026-11-02T00:00:00-05:00": 16,  # 2 Nov 00:00 EST, first instant of the next day
    }
    for at, count in moments.items():
        code, _, err = cli(
            capsys, data, "gifts", "add", "--gift", "Rose", "--count", str(count), "--sender", "ny", "--at", at
        )
        assert code == 0, err
    return data


@pytest.mark.parametrize(
    ("bounds", "items"),
    [
        (["--from", "2026-11-01", "--to", "2026-11-01"], 2 + 4 + 8),
        (["--from", "2026-11-02"], 16),
        (["--to", "2026-10-31"], 1),
        (["--from", "2026-10-31", "--to", "2026-11-02"], 31),
        (["--from", "2026-11-03"], 0),
        ([], 31),
    ],
)
def test_from_to_are_inclusive_local_dates(
    capsys: pytest.CaptureFixture[str], new_york: Path, bounds: list[str], items: int
) -> None:
    result = summary(capsys, new_york, *bounds)
    assert result["items"] == items
    assert result["diamonds"] == items
    assert result["gifts"] == bin(items).count("1")


def test_range_ending_before_it_starts_is_refused(capsys: pytest.CaptureFixture[str], new_york: Path) -> None:
    code, out, err = cli(capsys, new_york, "summary", "--from", "2026-11-02", "--to", "2026-11-01", "--json")
    assert (code, out) == (2, "")
    assert "to" in err and "before it starts" in err


def test_bad_date_is_refused(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    code, out, err = cli(capsys, data, "summary", "--from", "2026-13-01", "--json")
    assert (code, out) == (2, "")
    assert "from" in err and "2026-13-01" in err


# --- gifts import ---------------------------------------------------------------------------------------------


def test_import_good_csv_then_again_adds_nothing(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    csv_file = write_csv(
        tmp_path / "gifts.csv",
        "2026-11-05T20:00:00+01:00,amy,Rose,,5,Friday show",  # catalog price: 1 coin
        "2026-11-05T20:05:00+01:00,bob,Mystery Box,250,2,",  # not in the catalog: explicit price
    )
    code, out, err = cli(capsys, data, "gifts", "import", str(csv_file))
    assert code == 0, err
    assert "imported 2 gifts" in out
    assert "1 stream created" in out
    expected = {
        "gifts": 2,
        "items": 7,
        "coins": 505,
        "diamonds": 505,
        "share_percent": "50",
        "cash": "2.52",  # 505 × 0.005 = 2.525 → half-even 2.52
        "currency": "USD",
    }
    assert summary(capsys, data) == expected

    code, out, err = cli(capsys, data, "gifts", "import", str(csv_file))
    assert code == 0, err
    assert "imported 0 gifts" in out
    assert "2 already present" in out
    assert summary(capsys, data) == expected
    assert gift_rows(data) == 2


def test_import_with_bad_rows_changes_nothing(capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path) -> None:
    cli(capsys, data, "gifts", "add", "--gift", "Galaxy", "--count", "1", "--sender", "pre")
    before = summary(capsys, data)
    csv_file = write_csv(
        tmp_path / "bad.csv",
        "2026-11-05T20:00:00+01:00,amy,Rose,,3,",  # line 2: fine
        "2026-11-05T20:01:00+01:00,bob,Rose,,-2,",  # line 3: negative count
        "2026-11-05T20:02:00+01:00,cy,Rose,,4,",  # line 4: fine
        "yesterday evening,dee,Rose,,1,",  # line 5: bad time
    )
    code, out, err = cli(capsys, data, "gifts", "import", str(csv_file))
    assert code == 2
    assert out == ""
    assert "line 3, count" in err
    assert "line 5, received_at" in err
    assert "line 2" not in err and "line 4" not in err
    assert "nothing was imported" in err
    assert summary(capsys, data) == before
    assert gift_rows(data) == 1


def test_import_unknown_gift_without_price_changes_nothing(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    csv_file = write_csv(
        tmp_path / "unknown.csv",
        "2026-11-05T20:00:00+01:00,amy,Rose,,3,New stream",  # line 2: fine (and would create a stream)
        "2026-11-05T20:01:00+01:00,bob,Mystery Box,,1,",  # line 3: not in the catalog, no price
    )
    code, out, err = cli(capsys, data, "gifts", "import", str(csv_file))
    assert (code, out) == (2, "")
    assert "line 3, coins_each" in err
    assert "Mystery Box" in err
    assert summary(capsys, data) == EMPTY
    assert gift_rows(data) == 0
    with sqlite3.connect(data / "companion.sqlite3") as con:
        assert con.execute("SELECT count(*) FROM stream").fetchone()[0] == 0


def test_import_names_every_bad_line_at_once(capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path) -> None:
    csv_file = write_csv(
        tmp_path / "bad.csv",
        "2026-11-05T20:00:00+01:00,amy,Rose,,-2,",  # line 2: negative count
        "2026-11-05T20:01:00+01:00,bob,Mystery Box,,1,",  # line 3: unknown gift, no price
        "not a time,cy,Rose,,1,",  # line 4: bad time
    )
    code, _, err = cli(capsys, data, "gifts", "import", str(csv_file))
    assert code == 2
    assert "line 2, count" in err
    assert "line 4, received_at" in err
    assert "line 3, coins_each" in err


def test_import_missing_file_is_refused(capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path) -> None:
    code, out, err = cli(capsys, data, "gifts", "import", str(tmp_path / "nope.csv"))
    assert (code, out) == (2, "")
    assert "cannot be read" in err


# --- gifts add refusals ---------------------------------------------------------------------------------------


def test_add_unknown_gift_needs_a_price(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    code, out, err = cli(capsys, data, "gifts", "add", "--gift", "Moon Cake", "--count", "3", "--sender", "x")
    assert (code, out) == (2, "")
    assert "not in the gift catalog" in err
    assert "--coins" in err
    assert summary(capsys, data) == EMPTY

    code, _, err = cli(
        capsys, data, "gifts", "add", "--gift", "Moon Cake", "--count", "3", "--sender", "x", "--coins", "7"
    )
    assert code == 0, err
    result = summary(capsys, data)
    assert (result["gifts"], result["items"], result["diamonds"]) == (1, 3, 21)


def test_add_with_time_without_offset_is_refused(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    code, out, err = cli(
        capsys, data, "gifts", "add", "--gift", "Rose", "--count", "1", "--sender", "x", "--at", "2026-11-01T20:00"
    )
    assert (code, out) == (2, "")
    assert "at" in err and "offset" in err
    assert summary(capsys, data) == EMPTY


@pytest.mark.parametrize("count", ["0", "-3", "two"])
def test_add_count_must_be_positive(capsys: pytest.CaptureFixture[str], data: Path, count: str) -> None:
    with pytest.raises(SystemExit) as exited:
        run(["--data-dir", str(data), "gifts", "add", "--gift", "Rose", "--count", count, "--sender", "x"])
    assert exited.value.code == 2
    assert "--count" in capsys.readouterr().err


def test_add_negative_coins_is_refused_by_argparse(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    with pytest.raises(SystemExit) as exited:
        run(["--data-dir", str(data), "gifts", "add", "--gift", "X", "--count", "1", "--sender", "x", "--coins", "-1"])
    assert exited.value.code == 2
    assert "--coins" in capsys.readouterr().err


# --- where the data goes --------------------------------------------------------------------------------------


def test_environment_data_dir_is_used_without_option(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_dir = tmp_path / "env-data"
    monkeypatch.setenv(ENV_DATA_DIR, str(env_dir))
    assert run(["gifts", "add", "--gift", "Rose", "--count", "2", "--sender", "e"]) == 0
    assert (env_dir / "companion.sqlite3").is_file()
    assert (env_dir / "logs" / "companion.log").is_file()
    capsys.readouterr()
    assert run(["summary", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["items"] == 2


def test_option_beats_environment(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(tmp_path / "env-data"))
    assert summary(capsys, tmp_path / "opt-data") == EMPTY
    assert (tmp_path / "opt-data" / "companion.sqlite3").is_file()
    assert not (tmp_path / "env-data").exists()


def test_unusable_data_dir_exits_1(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    code, out, err = cli(capsys, blocker / "data", "summary", "--json")
    assert (code, out) == (1, "")
    assert "cannot use the data folder" in err


def test_launcher_runs_end_to_end(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop(ENV_DATA_DIR, None)
    done = subprocess.run(
        [sys.executable, "-m", "companion", "--data-dir", str(tmp_path / "d"), "summary", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == EMPTY
    assert (tmp_path / "d" / "companion.sqlite3").is_file()


# ---- issue 12: data safety at the edges ------------------------------------------------------------------------


def insert_raw_gifts(data_dir: Path, rows: list[tuple[int, int, int]]) -> None:
    """(received_at ms, coins_each, count) rows written as an older version (or another tool) could have."""
    with sqlite3.connect(data_dir / "companion.sqlite3") as con:
        con.executemany(
            "INSERT INTO gift_event (profile_id, received_at, sender, gift_name, coins_each, count, diamonds, source,"
            " source_key) VALUES (1, ?, 'raw', 'Rose', ?, ?, ?, 'csv', ?)",
            [(at, coins, count, coins * count, f"raw:{i}") for i, (at, coins, count) in enumerate(rows)],
        )


def test_a_gift_at_the_end_of_the_calendar_does_not_break_exports_under_tokyo(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    assert cli(capsys, data, "summary", "--json")[0] == 0
    set_time_zone(data, "Asia/Tokyo")
    insert_raw_gifts(data, [(253_402_300_799_000, 1, 1), (-86_400_000, 1, 1)])  # 9999-12-31, 1969-12-31
    code, out, err = cli(capsys, data, "export", "csv", "--out", str(tmp_path / "all.csv"))
    assert code == 0, err  # was 1: "date value out of range"
    assert "wrote 2 gifts" in out  # the 1969 gift too (was left out)
    assert cli(capsys, data, "export", "qif", "--out", str(tmp_path / "all.qif"))[0] == 0
    assert cli(capsys, data, "project", "--json")[0] == 0


@pytest.mark.parametrize("at", ["2015-12-31T23:00:00Z", "2099-01-01T00:00:00Z", "9999-12-31T23:59:59+09:00"])
def test_gifts_add_refuses_a_time_outside_the_accepted_range(
    capsys: pytest.CaptureFixture[str], data: Path, at: str
) -> None:
    code, _, err = cli(capsys, data, "gifts", "add", "--gift", "Rose", "--count", "1", "--sender", "a", "--at", at)
    assert code == 2 and "outside the accepted dates" in err
    assert gift_rows(data) == 0


def test_gifts_add_refuses_a_stream_id_too_large_to_exist(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    args = ("gifts", "add", "--gift", "Rose", "--count", "1", "--sender", "a", "--stream", "99999999999999999999")
    code, _, err = cli(capsys, data, *args)
    assert code == 2, err  # was 1: "Python int too large to convert to SQLite INTEGER"
    assert "there is no stream 99999999999999999999" in err


def test_a_sum_past_64_bits_is_a_clear_refusal(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    assert cli(capsys, data, "summary", "--json")[0] == 0
    at = 1_793_560_500_000
    insert_raw_gifts(data, [(at + i, 10**9, 10**9) for i in range(10)])  # stored before the bounds existed
    code, out, err = cli(capsys, data, "summary", "--json")
    assert code == 2 and out == ""  # was 1, printing raw SQL
    assert "too large to compute" in err and "SELECT" not in err


def test_bad_event_log_values_are_refused_per_line_with_exit_2(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    base = '{"msg_id": "%d", "create_time": %s, "user": {"unique_id": "a"}, "gift": {"name": "Rose", "type": 2},'
    log = tmp_path / "bad.jsonl"
    log.write_text(
        "\n".join(
            [
                base % (1, "1793560500000") + ' "repeat_count": "--5"}',
                base % (2, '"--1793560500000"') + ' "repeat_count": 1}',
                base % (3, "250000000000000") + ' "repeat_count": 1}',
                base % (4, "1793560500000") + ' "repeat_count": ' + "7" * 5000 + "}",
                "[" * 100_000 + "]" * 100_000,
                base % (6, "1793560500000") + ' "repeat_count": 1, "user": {"unique_id": "\\u001b[2J"}, "x": "\x1b"}',
            ]
        ),
        encoding="utf-8",
    )
    code, _, err = cli(capsys, data, "gifts", "import", str(log), "--format", "events")
    assert code == 2, err  # was 1 (a crash, no line number)
    assert [line.split(": ", 1)[1].split(",")[0] for line in err.splitlines()[:5]] == [
        "line 1", "line 2", "line 3", "line 4", "line 5",
    ]  # fmt: skip
    assert gift_rows(data) == 0


def test_an_error_never_echoes_a_raw_escape_to_the_terminal(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{HEADER}\n2026-11-01T20:15:00Z,a,Rose,,\x1b]0;pwned\x07\x1b[2J,\n", encoding="utf-8")
    code, _, err = cli(capsys, data, "gifts", "import", str(bad))
    assert code == 2
    assert "\x1b" not in err and "\x07" not in err and "\\x1b[2J" in err
