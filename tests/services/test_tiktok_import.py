"""TikTok's data download into the app: LIVEs matched to streams by start (±10 min) or made past streams,
TikTok's totals stored beside them, all or nothing, and the same file twice adds nothing."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from companion.domain.errors import ValidationError
from companion.integrations.tiktok_export import TikTokExportRefused
from companion.services import Services
from companion.services.tiktok_import import MATCHED, NEW_STREAM, UPDATED, suggested_unit
from companion.services.tracking import StreamEdit
from tests.integrations.tiktok_data import THREE, export, live, write_json, write_zip


def _stream(services: Services, start: datetime, minutes: int = 60, title: str = "mine") -> int:
    stream = services.streams.go_live(title)
    services.streams.end(stream.id)
    services.streams.edit(stream.id, StreamEdit(title, start, start + timedelta(minutes=minutes)))
    return stream.id


def _rows(services: Services, table: str) -> int:
    with sqlite3.connect(services.db.path) as con:
        return int(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


@pytest.mark.parametrize("as_zip", [False, True])
def test_lives_match_streams_or_become_past_streams_and_twice_adds_nothing(
    services: Services, tmp_path: Path, as_zip: bool
) -> None:
    friday = _stream(services, datetime(2026, 11, 10, 18, 55, tzinfo=UTC), title="Friday")  # 7 min early
    _stream(services, datetime(2026, 11, 12, 17, 45, tzinfo=UTC), 10, "too early")  # 15 min: another stream
    services.gifts.log("Rose", 3, "ann", at=datetime(2026, 11, 10, 19, 30, tzinfo=UTC), stream_id=friday)
    writer = write_zip if as_zip else write_json
    path = writer(tmp_path / ("t.zip" if as_zip else "user_data_tiktok.json"), export(*THREE))

    result = services.tiktok.import_file(path)
    assert (result.matched, result.created, result.updated, result.already) == (1, 2, 0, 0)
    assert result.unknown_keys == ("CoverURI", "Unheard Of Key")
    streams = services.streams.overview()
    assert len(streams) == 4
    made = {o.stream.title: o for o in streams if o.stream.id != friday}
    assert {"too early", "LIVE (from TikTok data)"} <= set(made)
    totals = services.tiktok.tiktok_totals([o.stream.id for o in streams])
    assert totals[friday] == 5200
    assert sorted(totals.values()) == [0, 1500, 5200]
    tiny = next(o.stream for o in streams if o.stream.started_at == datetime(2026, 11, 14, 21, 30, tzinfo=UTC))
    assert tiny.ended_at == datetime(2026, 11, 14, 21, 34, tzinfo=UTC) and tiny.title == "LIVE (from TikTok data)"
    assert made["too early"].stream.id not in totals

    again = services.tiktok.import_file(path)
    assert (again.matched, again.created, again.updated, again.already) == (0, 0, 0, 3)
    assert len(services.streams.overview()) == 4 and _rows(services, "tiktok_live") == 3


def test_a_refused_file_writes_nothing(services: Services, tmp_path: Path) -> None:
    lives = (live("2026-11-10 19:00:00", 10), live("2026-11-11 19:00:00", "12.5"))  # diamonds are whole
    with pytest.raises(TikTokExportRefused, match=r"entry 2, TotalEarning 12\.5 has a fraction"):
        services.tiktok.import_file(write_json(tmp_path / "u.json", export(*lives)))
    assert _rows(services, "tiktok_live") == 0 and services.streams.overview() == []


def test_us_dollars_become_diamonds_at_the_share_and_a_new_unit_updates_the_total(
    services: Services, tmp_path: Path
) -> None:
    document = export(live("2026-11-10 19:00:00", "25.00"), live("2026-11-11 19:00:00", "0.015"))
    read = services.tiktok.read(write_json(tmp_path / "u.json", document))
    assert suggested_unit(read) == "usd"
    plan = services.tiktok.preview(read, "usd")
    assert plan.share_bps == 5000 and "US dollars" in plan.unit_note()
    assert [p.diamonds for p in plan.lives] == [5000, 3]  # US$0.015 at US$0.005 a diamond
    assert [p.action for p in plan.lives] == [NEW_STREAM, NEW_STREAM]
    services.tiktok.import_export(read, "usd")
    assert _rows(services, "tiktok_live") == 2
    with pytest.raises(ValidationError, match="earning unit must be one of diamonds, usd"):
        services.tiktok.preview(read, "coins")


def test_a_changed_total_in_a_newer_download_updates_it(services: Services, tmp_path: Path) -> None:
    services.tiktok.import_file(write_json(tmp_path / "a.json", export(live("2026-11-10 19:00:00", 100))))
    newer = services.tiktok.read(write_json(tmp_path / "b.json", export(live("2026-11-10 19:00:00 UTC", 120))))
    assert [p.action for p in services.tiktok.preview(newer).lives] == [UPDATED]
    result = services.tiktok.import_export(newer)
    assert result.updated == 1 and result.created == 0
    stream_id = services.streams.overview()[0].stream.id
    assert services.tiktok.tiktok_totals([stream_id]) == {stream_id: 120}


def test_the_preview_writes_nothing_and_names_the_matched_stream(services: Services, tmp_path: Path) -> None:
    _stream(services, datetime(2026, 11, 10, 19, 9, tzinfo=UTC), title="Friday")
    read = services.tiktok.read(write_json(tmp_path / "u.json", export(live("2026-11-10 19:00:00", 7))))
    plan = services.tiktok.preview(read)
    assert [(p.action, p.stream_title, p.diamonds) for p in plan.lives] == [(MATCHED, "Friday", 7)]
    assert _rows(services, "tiktok_live") == 0


def test_us_dollars_become_diamonds_at_the_share_in_force_on_each_lives_day(
    services: Services, tmp_path: Path
) -> None:
    """A LIVE in June at 50 % and one in November at 40 %: US$25 is 5,000 diamonds then and 6,250 now (today's
    share applied to June would have said 6,250 for both)."""
    from datetime import date

    from companion.domain.share_history import SharePeriod

    services.economics.set_share_history(
        [SharePeriod(date(2026, 1, 1), "custom", None, 5000), SharePeriod(date(2026, 11, 1), "custom", None, 4000)]
    )
    document = export(live("2026-06-10 19:00:00", "25.00"), live("2026-11-11 19:00:00", "25.00"))
    plan = services.tiktok.preview(services.tiktok.read(write_json(tmp_path / "u.json", document)), "usd")
    assert [p.diamonds for p in plan.lives] == [5000, 6250]
    assert [p.share_bps for p in plan.lives] == [5000, 4000]
    services.tiktok.import_file(tmp_path / "u.json", "usd")
    with sqlite3.connect(services.db.path) as con:
        assert con.execute("SELECT share_bps, diamonds FROM tiktok_live ORDER BY started_at").fetchall() == [
            (5000, 5000),
            (4000, 6250),
        ]
