"""Gifts logged by hand carry the key a CSV import computes, so importing an export of them adds nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text
from sqlmodel import func, select

from companion.services import Services, build_services
from companion.store.db import open_database
from companion.store.tables import GiftEventRow
from tests.conftest import CATALOG, FakeClock

START = datetime(2026, 11, 20, 19, 0, tzinfo=UTC)


def log_some(services: Services) -> int:
    gifts = services.gifts
    gifts.log("Rose", 5, "luna", at=START)
    gifts.log("Rose", 5, "luna", at=START + timedelta(minutes=3))  # identical, another time
    at = START + timedelta(minutes=7, milliseconds=250)
    gifts.log("Rose", 1, "max", at=at)
    gifts.log("Rose", 1, "max", at=at)  # identical, the same millisecond
    gifts.log("Space Dragon", 2, "=ann", at=START + timedelta(minutes=9), coins_each=999)  # priced by hand
    gifts.log("  rose ", 3, "bo", at=START.replace(microsecond=123456))  # name as the catalog has it; µs cut
    return 6


def count(services: Services) -> int:
    with services.db.session() as s:
        return int(s.exec(select(func.count()).select_from(GiftEventRow)).one())


def test_reimporting_an_export_of_hand_logged_gifts_adds_nothing(services: Services, tmp_path: Path) -> None:
    logged = log_some(services)
    path = tmp_path / "gifts.csv"
    assert services.exports.export_csv(path) == logged
    result = services.gifts.import_csv(path)
    assert (result.added, result.already_present) == (0, logged)
    assert count(services) == logged


def test_the_same_export_into_a_fresh_profile_adds_every_gift(
    services: Services, tmp_path: Path, clock: FakeClock
) -> None:
    logged = log_some(services)
    path = tmp_path / "gifts.csv"
    services.exports.export_csv(path)
    other_db = open_database(tmp_path / "other" / "companion.sqlite3", tmp_path / "other" / "backups")
    try:
        other = build_services(other_db, CATALOG, clock=clock)
        assert other.gifts.import_csv(path).added == logged
        assert other.gifts.import_csv(path).added == 0
        assert other.reports.summary().totals == services.reports.summary().totals
    finally:
        other_db.dispose()


def test_a_gift_logged_like_an_imported_row_gets_the_next_key(services: Services, tmp_path: Path) -> None:
    single = tmp_path / "one.csv"
    single.write_text("received_at,sender,gift,coins_each,count,stream\n2026-11-20T19:00:00Z,luna,Rose,,5,\n")
    assert services.gifts.import_csv(single).added == 1
    services.gifts.log("Rose", 5, "luna", at=START)  # the same gift once more, by hand: a second one
    path = tmp_path / "gifts.csv"
    assert services.exports.export_csv(path) == 2
    assert services.gifts.import_csv(path).added == 0
    assert services.gifts.import_csv(single).added == 0


def test_gifts_logged_before_they_had_keys_are_matched_by_what_they_are(services: Services, tmp_path: Path) -> None:
    logged = log_some(services)
    with services.db.session(write=True) as s:
        s.execute(text("UPDATE gift_event SET source_key = NULL"))  # as the app stored them before
        s.commit()
    path = tmp_path / "gifts.csv"
    services.exports.export_csv(path)
    assert services.gifts.import_csv(path).added == 0
    # one more identical Rose from max in the file than the profile holds: that one is new
    extra = path.read_text(encoding="utf-8-sig").splitlines()
    row = next(line for line in extra if ",max," in line)
    path.write_text("\n".join([*extra, row]) + "\n", encoding="utf-8")
    assert services.gifts.import_csv(path).added == 1
    assert count(services) == logged + 1
