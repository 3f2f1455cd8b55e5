"""One identity for a gift from any source (CSV row, event log, live capture, logged by hand): the UTC instant in
milliseconds, sender, gift and count. An export of gifts from any source re-imports as nothing new; exports hold
every stored gift and are safe to open in spreadsheets of any locale; names lose control characters."""

from __future__ import annotations

import csv
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from companion.domain.errors import ImportRejected
from companion.services import Services, build_services
from companion.services.capture import CaptureService
from companion.store.db import open_database
from tests.conftest import CATALOG, FakeClock
from tests.integrations.eventlog import T0, gift_event, lines
from tests.services.test_import_events import RECORDED, stored

HEADER = "received_at,sender,gift,coins_each,count,stream\n"


def gift_count(services: Services) -> int:
    return services.reports.summary().totals.gifts


def test_an_event_log_exported_and_imported_again_adds_nothing(services: Services, tmp_path: Path) -> None:
    assert services.gifts.import_events(RECORDED).added == 7
    before = services.reports.summary().totals
    export = tmp_path / "export.csv"
    assert services.exports.export_csv(export) == 7
    again = services.gifts.import_csv(export)
    assert (again.added, again.already_present) == (0, 7)  # was (7, 0): 5 diamonds became 10
    assert services.reports.summary().totals == before
    assert services.gifts.import_csv(export).added == 0


def test_identical_event_gifts_come_back_as_themselves_not_more(services: Services, tmp_path: Path) -> None:
    same = {"sender": "ana", "gift": "Rose", "streakable": False, "at_ms": T0}
    log = tmp_path / "log.jsonl"
    log.write_text(lines(gift_event(1, **same), gift_event(2, **same), gift_event(3, **same)), encoding="utf-8")
    assert services.gifts.import_events(log).added == 3
    export = tmp_path / "export.csv"
    services.exports.export_csv(export)
    assert services.gifts.import_csv(export).added == 0
    assert gift_count(services) == 3


def test_live_captured_gifts_exported_and_imported_again_add_nothing(
    services: Services, clock: FakeClock, tmp_path: Path
) -> None:
    clock.now = datetime(2026, 11, 1, 19, 0, tzinfo=UTC)
    capture = CaptureService(services.db, services.profile_id, clock, tmp_path / "live").start("@luna_sings")
    for line in RECORDED.read_text(encoding="utf-8").splitlines():
        capture.receive(json.loads(line))
    capture.close()
    assert gift_count(services) == 7
    export = tmp_path / "export.csv"
    services.exports.export_csv(export)
    assert services.gifts.import_csv(export).added == 0
    assert gift_count(services) == 7


def test_a_csv_with_microseconds_exported_and_imported_again_adds_nothing(services: Services, tmp_path: Path) -> None:
    source = tmp_path / "micro.csv"
    source.write_text(
        HEADER
        + "2026-11-01T20:15:00.123456+01:00,luna,Rose,,5,\n"
        + "2026-11-01T20:15:00.123999+01:00,luna,Rose,,5,\n",  # the same millisecond: a second, identical gift
        encoding="utf-8",
    )
    assert services.gifts.import_csv(source).added == 2
    export = tmp_path / "export.csv"
    services.exports.export_csv(export)
    assert services.gifts.import_csv(export).added == 0  # was 2: keyed at µs, stored at ms
    assert services.gifts.import_csv(source).added == 0
    assert gift_count(services) == 2


def test_an_export_imported_elsewhere_then_its_event_log_adds_nothing(
    services: Services, clock: FakeClock, tmp_path: Path
) -> None:
    services.gifts.import_events(RECORDED)
    export = tmp_path / "export.csv"
    services.exports.export_csv(export)
    other_db = open_database(tmp_path / "other" / "companion.sqlite3", tmp_path / "other" / "backups")
    try:
        other = build_services(other_db, CATALOG, clock=clock)
        assert other.gifts.import_csv(export).added == 7
        assert other.gifts.import_events(RECORDED).added == 0
        assert other.reports.summary().totals == services.reports.summary().totals
    finally:
        other_db.dispose()


def test_a_conflicting_duplicate_event_is_named_in_the_import_summary(services: Services, tmp_path: Path) -> None:
    first = gift_event(1, streakable=False)
    log = tmp_path / "log.jsonl"
    log.write_text(lines(first, first, {**first, "repeat_count": 9}), encoding="utf-8")
    result = services.gifts.import_events(log)
    assert (result.added, result.conflicts) == (1, (3,))  # the first kept; line 3 said otherwise (was silent)
    assert "1 conflicting duplicate left out" in result.describe() and "line 3" in result.describe()


def test_a_group_id_reused_after_its_end_stores_both_streaks(services: Services, tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    streak = {"group": "g1", "at_ms": T0}
    log.write_text(
        lines(
            gift_event(1, count=1, **streak), gift_event(2, count=3, end=True, **{**streak, "at_ms": T0 + 500}),
            gift_event(3, count=1, **{**streak, "at_ms": T0 + 9000}),
            gift_event(4, count=4, end=True, **{**streak, "at_ms": T0 + 9500}),
        ),
        encoding="utf-8",
    )  # fmt: skip
    assert services.gifts.import_events(log).added == 2
    assert services.reports.summary().totals.items == 7  # was 3: the second streak dropped
    assert services.gifts.import_events(log).added == 0


# ---- exports hold every stored gift --------------------------------------------------------------------------


def test_an_export_includes_gifts_stored_before_1970(services: Services, tmp_path: Path) -> None:
    services.gifts.log("Rose", 1, "new", at=datetime(2026, 11, 1, tzinfo=UTC))
    with sqlite3.connect(tmp_path / "data" / "companion.sqlite3") as con:  # stored before dates were checked
        con.execute(
            "INSERT INTO gift_event (profile_id, received_at, sender, gift_name, coins_each, count, diamonds, source,"
            " source_key) VALUES (1, -86400000, 'old', 'Rose', 1, 1, 1, 'csv', 'csv:old:1')"
        )
    export = tmp_path / "export.csv"
    assert services.exports.export_csv(export) == 2  # was 1: paging began after millisecond -1
    assert "1969-12-31" in export.read_text(encoding="utf-8-sig")


# ---- the formula guard, in the `,` and `;` dialects ------------------------------------------------------------

HOSTILE_NAMES = ["x;=1+1", "a,=HYPERLINK(1)", "tab|@SUM(A1)", "-2+3", "@me", "ok; +1", "a;b", "=x;-y,@z"]


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_no_exported_cell_runs_as_a_formula_in_either_dialect(
    services: Services, tmp_path: Path, delimiter: str
) -> None:
    at = datetime(2026, 11, 1, 19, 0, tzinfo=UTC)
    for i, name in enumerate(HOSTILE_NAMES):
        services.gifts.log(name, 1, name, at=at.replace(minute=i), coins_each=1)
    export = tmp_path / "export.csv"
    services.exports.export_csv(export)
    text = export.read_text(encoding="utf-8-sig")
    cells = [cell for row in csv.reader(text.splitlines(), delimiter=delimiter) for cell in row]
    live = [cell for cell in cells if cell.lstrip(" ").startswith(("=", "+", "-", "@"))]
    assert live == []  # before: `x;=1+1` split on `;` into a live `=1+1` cell


def test_guarded_names_round_trip_exactly(services: Services, clock: FakeClock, tmp_path: Path) -> None:
    at = datetime(2026, 11, 1, 19, 0, tzinfo=UTC)
    for i, name in enumerate(HOSTILE_NAMES):
        services.gifts.log(name, 1, name, at=at.replace(minute=i), coins_each=1)
    export = tmp_path / "export.csv"
    services.exports.export_csv(export)
    assert services.gifts.import_csv(export).added == 0
    other_db = open_database(tmp_path / "other" / "companion.sqlite3", tmp_path / "other" / "backups")
    try:
        other = build_services(other_db, CATALOG, clock=clock)
        assert other.gifts.import_csv(export).added == len(HOSTILE_NAMES)
        assert sorted(other.gifts.senders()) == sorted(HOSTILE_NAMES)
    finally:
        other_db.dispose()


# ---- control characters -----------------------------------------------------------------------------------

ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x00\u202eeil\u2066"


def test_control_characters_are_stripped_from_every_source(services: Services, tmp_path: Path) -> None:
    source = tmp_path / "gifts.csv"
    source.write_text(HEADER + f"2026-11-01T20:15:00+01:00,lu{ESCAPES}na,Rose,,5,\n", encoding="utf-8")
    services.gifts.import_csv(source)
    log = tmp_path / "log.jsonl"
    log.write_text(lines(gift_event(1, sender=f"mi{ESCAPES}ke", streakable=False)), encoding="utf-8")
    services.gifts.import_events(log)
    services.gifts.log(f"Ro{ESCAPES}se", 1, f"an{ESCAPES}n", at=datetime(2026, 11, 2, tzinfo=UTC), coins_each=1)
    names = [(sender, gift) for sender, gift, _, _ in stored(services)]
    visible = "]0;pwned[2Jeil"  # the printable rest stays; ESC, BEL, NUL and the bidi controls are gone
    assert names == [(f"lu{visible}na", "Rose"), (f"mi{visible}ke", "Rose"), (f"an{visible}n", f"Ro{visible}se")]


def test_a_bad_cell_is_echoed_with_its_controls_escaped(services: Services, tmp_path: Path) -> None:
    source = tmp_path / "gifts.csv"
    source.write_text(HEADER + "2026-11-01T20:15:00+01:00,luna,Rose,,\x1b[2J5,\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as refused:
        services.gifts.import_csv(source)
    message = str(refused.value.errors[0])
    assert "\x1b" not in message and "\\x1b[2J5" in message
