"""Exports: native CSV that re-imports exactly (formula-like names come back as text), QIF, atomic writes."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from companion.domain.errors import ValidationError
from companion.services import Services, build_services
from companion.services.exports import ExportCancelled
from companion.store.db import open_database
from companion.store.insights import InsightsRepo
from tests.conftest import CATALOG, FakeClock

FORMULAS = ['=HYPERLINK("http://x","y")', "+1+2", "-5", "@SUM(A1)", "=1+1"]


def _seed(services: Services) -> None:
    stream = services.streams.go_live("=cmd|' /C calc'!A0")
    at = datetime(2026, 11, 20, 19, 0, 0, 123000, tzinfo=UTC)
    for i, sender in enumerate([*FORMULAS, "luna", "", 'Zoë, "the" fan']):
        services.gifts.log("Rose", i + 1, sender, at=at.replace(second=i), stream_id=stream.id)
    services.gifts.log("My =custom gift", 2, "mike", at=datetime(2026, 10, 31, 23, 30, tzinfo=UTC), coins_each=250)
    services.gifts.log("Lion", 1, "-big spender", at=datetime(2026, 11, 1, 0, 30, tzinfo=UTC))


def _rows(services: Services) -> list[tuple]:
    with services.db.session() as s:
        return sorted(
            (g.received_at, g.sender, g.gift_name, g.coins_each, g.count, g.diamonds, g.stream_title)
            for batch in InsightsRepo(s).gifts_for_export(services.profile_id, None, None)
            for g in batch
        )


def test_export_then_import_round_trips_exactly(services: Services, tmp_path: Path, clock: FakeClock) -> None:
    _seed(services)
    out = tmp_path / "gifts.csv"
    assert services.exports.export_csv(out) == 10
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    cells = [c for row in csv.reader(io.StringIO(raw.decode("utf-8-sig"))) for c in row]
    for formula in FORMULAS:
        assert formula not in cells  # never written as is
        assert "\u00a0" + formula in cells
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)

    other = open_database(tmp_path / "b" / "companion.sqlite3", tmp_path / "b" / "backups")
    try:
        fresh = build_services(other, CATALOG, clock=clock)
        result = fresh.gifts.import_csv(out)
        assert result.added == 10
        assert _rows(fresh) == _rows(services)
        senders = {row[1] for row in _rows(fresh)}
        assert set(FORMULAS) <= senders  # formula-like senders come back as the same text
        # exporting the imported gifts gives the same file, and importing it again adds nothing
        again = tmp_path / "again.csv"
        fresh.exports.export_csv(again)
        assert again.read_bytes() == raw
        assert fresh.gifts.import_csv(again).added == 0
    finally:
        other.dispose()


def test_month_filter_uses_the_profiles_local_days(services: Services, tmp_path: Path) -> None:
    _seed(services)
    out = tmp_path / "oct.csv"
    assert services.exports.export_csv(out, month="2026-10") == 1
    assert "2026-10-31T23:30:00+00:00" in out.read_text(encoding="utf-8-sig")
    with pytest.raises(ValidationError, match="month"):
        services.exports.export_csv(out, month="2026-13")


def test_cancel_leaves_no_file_and_keeps_an_existing_one(services: Services, tmp_path: Path) -> None:
    _seed(services)
    out = tmp_path / "gifts.csv"
    out.write_text("precious", encoding="utf-8")
    with pytest.raises(ExportCancelled):
        services.exports.export_csv(out, cancelled=lambda: True)
    assert out.read_text(encoding="utf-8") == "precious"
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["gifts.csv"]


def test_progress_reports_rows_done_of_total(services: Services, tmp_path: Path) -> None:
    _seed(services)
    seen: list[tuple[int, int]] = []
    services.exports.export_csv(tmp_path / "g.csv", progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (10, 10)


def test_qif_has_daily_income_at_the_share(services: Services, tmp_path: Path) -> None:
    services.gifts.log("Rose", 1001, "a", at=datetime(2026, 11, 2, 20, 0, tzinfo=UTC))  # 1001 × 0.005 = 5.005
    services.gifts.log("Rose", 3, "b", at=datetime(2026, 11, 2, 21, 0, tzinfo=UTC))
    services.gifts.log("Rose", 200, "c", at=datetime(2026, 11, 5, 21, 0, tzinfo=UTC))
    out = tmp_path / "m.qif"
    assert services.exports.export_qif(out, month="2026-11") == 2
    text = out.read_text(encoding="utf-8")
    assert text.startswith("!Account\nNTikTok LIVE balance\nTOth A\n")
    assert "!Type:Oth A\nD11/02/2026\nT5.02\nPTikTok LIVE gifts\nM1,004 diamonds at 50 %\n" in text  # 5.02 once
    assert "D11/05/2026\nT1.00\n" in text
    assert text.count("^\n") == 3
