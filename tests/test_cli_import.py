"""`companion gifts import FILE --format events`: the event log through the real entry point; exit codes,
every bad line on stderr, nothing written on refusal, nothing added on a second import."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integrations.eventlog import gift_event, lines
from tests.test_cli import _restore_process_state, cli, summary  # noqa: F401  (an autouse fixture, helpers)

RECORDED = Path(__file__).resolve().parent / "data" / "live_events.jsonl"


def test_event_log_import_counts_streaks_once_and_twice_adds_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    code, out, err = cli(capsys, data, "gifts", "import", str(RECORDED), "--format", "events")
    assert code == 0, err
    assert out.strip() == f"{RECORDED}: imported 7 gifts, 1 stream created"
    expected = {"gifts": 7, "items": 31, "coins": 38142, "diamonds": 38142, "cash": "190.71"}
    assert {k: summary(capsys, data)[k] for k in expected} == expected
    code, out, _ = cli(capsys, data, "gifts", "import", str(RECORDED), "--format", "events")
    assert code == 0 and out.strip() == f"{RECORDED}: imported 0 gifts, 7 already present (skipped)"
    assert summary(capsys, data)["gifts"] == 7


def test_a_bad_event_log_exits_2_names_each_line_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        lines(
            gift_event(1, streakable=False),
            gift_event(2, count=-1, streakable=False),
            '{"msg_id": "3", "create_time": 17935605',
        ),
        encoding="utf-8",
    )
    code, out, err = cli(capsys, data, "gifts", "import", str(bad), "--format", "events")
    assert code == 2 and out == ""
    assert err.splitlines()[:2] == [
        f"{bad}: line 2, repeat_count: must be from 1 to 50,000 (got -1)",
        f"{bad}: line 3, line: is not valid JSON (cut off or damaged?): Expecting ',' delimiter",
    ]
    assert "nothing was imported" in err
    assert summary(capsys, data)["gifts"] == 0


def test_csv_stays_the_default_format(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = cli(capsys, tmp_path / "data", "gifts", "import", str(RECORDED))
    assert code == 2 and "line 1, header" in err
