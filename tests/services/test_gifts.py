"""Gifts: logging one, prices at the time received, importing a CSV all-or-nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import func, select

from companion.domain.errors import ImportRejected, NotFound, ValidationError
from companion.services import Services
from companion.services.gifts import MAX_SENDER, ImportResult
from companion.store.tables import GiftEventRow, GiftPriceRow, StreamRow
from tests.conftest import FakeClock

HEADER = "received_at,sender,gift,coins_each,count,stream"


def _csv(tmp_path: Path, *rows: str, name: str = "gifts.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join((HEADER, *rows)) + "\n", encoding="utf-8")
    return path


def _counts(services: Services) -> tuple[int, int]:
    with services.db.session() as s:
        gifts = s.exec(select(func.count()).select_from(GiftEventRow)).one()
        streams = s.exec(select(func.count()).select_from(StreamRow)).one()
    return gifts, streams


def _rows(services: Services) -> list[GiftEventRow]:
    with services.db.session() as s:
        return list(s.exec(select(GiftEventRow).order_by(GiftEventRow.received_at, GiftEventRow.id)))


def _change_price(services: Services, gift: str, coins: int, valid_from: datetime) -> None:
    found = services.catalog.find(gift)
    assert found is not None
    with services.db.session() as s:
        s.add(GiftPriceRow(gift_type_id=found.id, coins=coins, valid_from=valid_from))
        s.commit()


# --- logging one gift ---------------------------------------------------------------------------------------------


def test_gift_goes_into_the_live_stream_and_counts_in_its_totals(services: Services, clock: FakeClock) -> None:
    stream = services.streams.go_live("Friday")
    clock.advance(minutes=3)
    rose = services.gifts.log("Rose", 5, "alice")
    clock.advance(minutes=1)
    lion = services.gifts.log("Lion", 1, "bob")
    assert rose.stream_id == stream.id and lion.stream_id == stream.id
    assert rose.received_at == stream.started_at + timedelta(minutes=3)
    assert (rose.coins_each, rose.count, rose.diamonds) == (1, 5, 5)
    assert (lion.coins_each, lion.diamonds) == (29999, 29999)
    assert [g.id for g in services.gifts.for_stream(stream.id)] == [lion.id, rose.id]
    summary = services.reports.summary(stream_id=stream.id)
    assert summary.as_json() == {
        "gifts": 2, "items": 6, "coins": 30004, "diamonds": 30004,
        "share_percent": "50", "cash": "150.02", "currency": "USD",
    }  # fmt: skip


def test_gift_without_live_stream_belongs_to_no_stream(services: Services, clock: FakeClock) -> None:
    services.streams.go_live("x")
    clock.advance(minutes=10)
    services.streams.end()
    clock.advance(minutes=1)
    gift = services.gifts.log("Rose", 1, "alice")
    assert gift.stream_id is None


def test_gift_for_an_explicit_stream(services: Services, clock: FakeClock) -> None:
    old = services.streams.go_live("old")
    clock.advance(minutes=10)
    services.streams.end()
    services.streams.go_live("new")
    gift = services.gifts.log("Rose", 1, "alice", stream_id=old.id)
    assert gift.stream_id == old.id
    with pytest.raises(NotFound):
        services.gifts.log("Rose", 1, "alice", stream_id=9999)


def test_catalog_name_is_matched_case_and_space_insensitively(services: Services) -> None:
    gift = services.gifts.log("  finger   HEART ", 2, "  bob   smith ")
    assert gift.gift_name == "Finger Heart"
    assert gift.sender == "bob smith"
    assert (gift.coins_each, gift.diamonds) == (5, 10)


def test_unknown_gift_without_coins_is_refused_on_field_gift(services: Services) -> None:
    with pytest.raises(ValidationError) as info:
        services.gifts.log("Mystery Box", 1, "alice")
    assert info.value.field == "gift"
    assert _counts(services) == (0, 0)


def test_unknown_gift_with_coins_each_is_stored(services: Services) -> None:
    gift = services.gifts.log("Mystery Box", 3, "alice", coins_each=250)
    assert (gift.gift_name, gift.coins_each, gift.count, gift.diamonds) == ("Mystery Box", 250, 3, 750)
    [row] = _rows(services)
    assert row.gift_type_id is None


def test_explicit_coins_override_the_catalog_price(services: Services) -> None:
    gift = services.gifts.log("Rose", 2, "alice", coins_each=3)
    assert (gift.gift_name, gift.coins_each, gift.diamonds) == ("Rose", 3, 6)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"gift": "Rose", "count": 0, "sender": "a"}, "count"),
        ({"gift": "Rose", "count": -3, "sender": "a"}, "count"),
        ({"gift": "  ", "count": 1, "sender": "a"}, "gift"),
        ({"gift": "Rose", "count": 1, "sender": "a" * (MAX_SENDER + 1)}, "sender"),
        ({"gift": "Rose", "count": 1, "sender": "a", "at": datetime(2026, 11, 20, 19, 0)}, "at"),
        ({"gift": "Mystery", "count": 1, "sender": "a", "coins_each": -1}, "coins"),
    ],
)
def test_bad_gift_input_is_refused_and_nothing_is_stored(
    services: Services, kwargs: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as info:
        services.gifts.log(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field
    assert _counts(services) == (0, 0)


def test_gift_at_an_explicit_time_with_offset(services: Services) -> None:
    at = datetime.fromisoformat("2026-11-18T21:30:00+01:00")
    gift = services.gifts.log("Rose", 1, "alice", at=at)
    assert gift.received_at == datetime(2026, 11, 18, 20, 30, tzinfo=UTC)


def test_a_price_change_keeps_old_gifts_at_their_price_and_prices_new_gifts_anew(
    services: Services, clock: FakeClock
) -> None:
    before = services.gifts.log("Galaxy", 1, "alice")
    change = clock.advance(hours=1)
    _change_price(services, "Galaxy", 1200, change)
    clock.advance(minutes=1)
    after = services.gifts.log("Galaxy", 1, "bob")
    back_dated = services.gifts.log("Galaxy", 1, "carol", at=change - timedelta(seconds=1))
    assert before.coins_each == 1000
    assert after.coins_each == 1200
    assert back_dated.coins_each == 1000  # the price in force when it was received
    assert [r.coins_each for r in _rows(services)] == [1000, 1000, 1200]
    assert services.reports.summary().totals.diamonds == 3200


def test_undo_removes_the_gift(services: Services) -> None:
    gift = services.gifts.log("Rose", 1, "alice")
    services.gifts.undo(gift.id)
    assert _counts(services) == (0, 0)
    with pytest.raises(NotFound):
        services.gifts.undo(gift.id)


# --- import --------------------------------------------------------------------------------------------------------


def test_import_adds_every_row_with_catalog_and_explicit_prices(services: Services, tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "2026-11-18T20:00:00Z,alice,rose,,3,",
        "2026-11-18T20:01:00+01:00,bob,Mystery Box,250,2,",
        "2026-11-18T20:02:00Z,carol,Lion,1,1,",
    )
    result = services.gifts.import_csv(path)
    assert result == ImportResult(added=3, already_present=0, streams_created=0)
    rows = _rows(services)
    assert [(r.gift_name, r.coins_each, r.count, r.diamonds, r.source) for r in rows] == [
        ("Mystery Box", 250, 2, 500, "csv"),
        ("Rose", 1, 3, 3, "csv"),
        ("Lion", 1, 1, 1, "csv"),
    ]
    assert rows[0].gift_type_id is None and rows[1].gift_type_id is not None
    assert all(r.source_key and r.source_key.startswith("csv:") for r in rows)
    assert services.reports.summary().as_json()["diamonds"] == 504


@pytest.mark.parametrize(
    ("bad_row", "field"),
    [
        ("2026-11-18T20:05:00Z,eve,Rose,,-2,Friday", "count"),
        ("2026-11-18T20:05:00Z,eve,Mystery Box,,1,Friday", "coins_each"),  # unknown gift, no price
        ("yesterday,eve,Rose,,1,Friday", "received_at"),
    ],
)
def test_import_with_one_bad_row_changes_nothing_and_names_the_line(
    services: Services, clock: FakeClock, tmp_path: Path, bad_row: str, field: str
) -> None:
    services.gifts.log("Rose", 1, "before")
    before_counts = _counts(services)
    before_summary = services.reports.summary().as_json()
    path = _csv(
        tmp_path,
        "2026-11-18T20:00:00Z,alice,Rose,,3,Friday",
        "2026-11-18T20:01:00Z,bob,Lion,,1,Friday",
        bad_row,
        "2026-11-18T20:06:00Z,carol,Galaxy,,1,Saturday",
    )
    with pytest.raises(ImportRejected) as info:
        services.gifts.import_csv(path)
    assert [(e.line, e.field) for e in info.value.errors] == [(4, field)]
    assert info.value.source == str(path)
    assert _counts(services) == before_counts
    assert services.reports.summary().as_json() == before_summary
    assert [s.title for s in services.streams.recent()] == []


def test_importing_the_same_file_twice_adds_nothing_the_second_time(services: Services, tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "2026-11-18T20:00:00Z,alice,Rose,,3,Friday",
        "2026-11-18T20:00:00Z,alice,Rose,,3,Friday",  # the same gift twice is two gifts
        "2026-11-18T20:01:00Z,bob,Lion,,1,Friday",
    )
    first = services.gifts.import_csv(path)
    summary = services.reports.summary().as_json()
    second = services.gifts.import_csv(path)
    assert first == ImportResult(added=3, already_present=0, streams_created=1)
    assert second == ImportResult(added=0, already_present=3, streams_created=0)
    assert _counts(services) == (3, 1)
    assert services.reports.summary().as_json() == summary
    assert second.describe() == "imported 0 gifts, 3 already present (skipped)"
    assert first.describe() == "imported 3 gifts, 1 stream created"


def test_reimport_of_an_extended_file_adds_only_the_new_rows(services: Services, tmp_path: Path) -> None:
    rows = ["2026-11-18T20:00:00Z,alice,Rose,,3,", "2026-11-18T20:00:00Z,alice,Rose,,3,"]
    services.gifts.import_csv(_csv(tmp_path, *rows, name="a.csv"))
    more = [*rows, "2026-11-18T20:00:00Z,alice,Rose,,3,", "2026-11-18T21:00:00Z,bob,Lion,,1,"]
    result = services.gifts.import_csv(_csv(tmp_path, *more, name="b.csv"))
    assert result == ImportResult(added=2, already_present=2, streams_created=0)
    assert _counts(services) == (4, 0)


def test_import_and_manual_gifts_do_not_collide(services: Services, tmp_path: Path) -> None:
    services.gifts.log("Rose", 3, "alice", at=datetime(2026, 11, 18, 20, 0, tzinfo=UTC))
    result = services.gifts.import_csv(_csv(tmp_path, "2026-11-18T20:00:00Z,alice,Rose,,3,"))
    # a gift logged by hand stores the key the CSV import computes for it (so an export of it comes back as
    # present): the file's identical row is that gift; a second identical row is another gift
    assert (result.added, result.already_present) == (0, 1)
    assert _counts(services) == (1, 0)
    again = _csv(tmp_path, "2026-11-18T20:00:00Z,alice,Rose,,3,", "2026-11-18T20:00:00Z,alice,Rose,,3,", name="2.csv")
    assert services.gifts.import_csv(again).added == 1


def test_stream_titles_in_the_csv_create_and_link_streams(services: Services, tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "2026-11-18T20:30:00Z,alice,Rose,,1,Friday",
        "2026-11-18T20:00:00Z,bob,Rose,,1,Friday",
        "2026-11-18T21:15:00Z,carol,Rose,,1,Friday",
        "2026-11-19T20:00:00Z,dave,Rose,,1,Saturday",
        "2026-11-19T20:00:00Z,erin,Rose,,1,",
    )
    result = services.gifts.import_csv(path)
    assert result.streams_created == 2
    streams = {s.title: s for s in services.streams.recent()}
    assert set(streams) == {"Friday", "Saturday"}
    friday = streams["Friday"]
    assert friday.started_at == datetime(2026, 11, 18, 20, 0, tzinfo=UTC)
    assert friday.ended_at == datetime(2026, 11, 18, 21, 15, tzinfo=UTC)
    assert sorted(g.sender for g in services.gifts.for_stream(friday.id)) == ["alice", "bob", "carol"]
    assert [g.sender for g in services.gifts.for_stream(streams["Saturday"].id)] == ["dave"]
    assert [r.stream_id for r in _rows(services) if r.sender == "erin"] == [None]
    assert services.reports.summary(stream_id=friday.id).totals.gifts == 3


def test_csv_rows_link_to_an_existing_stream_with_that_title(
    services: Services, clock: FakeClock, tmp_path: Path
) -> None:
    live = services.streams.go_live("Friday")  # 2026-11-20T19:00Z
    clock.advance(hours=2)
    services.streams.end()
    result = services.gifts.import_csv(_csv(tmp_path, "2026-11-20T19:30:00Z,alice,Rose,,4,Friday"))
    assert result.streams_created == 0
    assert [g.count for g in services.gifts.for_stream(live.id)] == [4]


def test_csv_rows_pick_the_stream_running_at_their_time_among_equal_titles(
    services: Services, clock: FakeClock, tmp_path: Path
) -> None:
    first = services.streams.go_live("Daily")  # 19:00–20:00
    clock.advance(hours=1)
    services.streams.end()
    clock.advance(hours=23)
    second = services.streams.go_live("Daily")  # next day 19:00–
    clock.advance(hours=1)
    services.streams.end()
    result = services.gifts.import_csv(
        _csv(
            tmp_path,
            "2026-11-20T19:30:00Z,in-first,Rose,,1,Daily",
            "2026-11-21T19:30:00Z,in-second,Rose,,1,Daily",
            "2026-11-20T20:45:00Z,just-after,Rose,,1,Daily",  # within the hour of slack after the first ended
            "2026-11-20T23:00:00Z,between,Rose,,1,Daily",  # hours after the first ended: not part of it
            "2026-11-01T10:00:00Z,too-early,Rose,,1,Daily",  # weeks before both: a stream of its own
        )
    )
    assert sorted(g.sender for g in services.gifts.for_stream(first.id)) == ["in-first", "just-after"]
    assert [g.sender for g in services.gifts.for_stream(second.id)] == ["in-second"]
    assert result.streams_created == 2
    others = [st for st in services.streams.recent() if st.id not in (first.id, second.id)]
    assert sorted((st.title, st.started_at) for st in others) == [
        ("Daily", datetime(2026, 11, 1, 10, tzinfo=UTC)),
        ("Daily", datetime(2026, 11, 20, 23, tzinfo=UTC)),
    ]


def test_a_recurring_title_in_one_file_becomes_one_stream_per_session(services: Services, tmp_path: Path) -> None:
    result = services.gifts.import_csv(
        _csv(
            tmp_path,
            "2026-11-06T20:00:00Z,a,Rose,,1,Friday night",
            "2026-11-06T21:30:00Z,b,Rose,,1,Friday night",
            "2026-11-13T20:10:00Z,c,Rose,,1,Friday night",
        )
    )
    assert result.streams_created == 2
    spans = sorted((st.started_at.day, st.ended_at.day if st.ended_at else None) for st in services.streams.recent())
    assert spans == [(6, 6), (13, 13)]
    again = services.gifts.import_csv(_csv(tmp_path, "2026-11-06T20:00:00Z,a,Rose,,1,Friday night"))
    assert (again.added, again.already_present, again.streams_created) == (0, 1, 0)


def test_a_back_dated_gift_does_not_join_the_live_stream(services: Services) -> None:
    live = services.streams.go_live("Now")
    event = services.gifts.log("Rose", 1, "amy", at=datetime(2020, 1, 1, tzinfo=UTC))
    assert event.stream_id is None
    assert services.gifts.for_stream(live.id) == []


def test_import_uses_the_catalog_price_at_each_rows_time(services: Services, tmp_path: Path) -> None:
    _change_price(services, "Rose", 2, datetime(2026, 11, 19, tzinfo=UTC))
    services.gifts.import_csv(_csv(tmp_path, "2026-11-18T23:59:59Z,a,Rose,,10,", "2026-11-19T00:00:00Z,b,Rose,,10,"))
    assert [(r.sender, r.coins_each, r.diamonds) for r in _rows(services)] == [("a", 1, 10), ("b", 2, 20)]


def test_import_of_a_broken_file_reports_every_bad_line(services: Services, tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        "2026-11-18T20:00:00Z,a,Rose,,0,",
        "2026-11-18T20:00:00Z,a,Rose,,1,",
        "2026-11-18T20:00:00,a,Rose,,1,",
    )
    with pytest.raises(ImportRejected) as info:
        services.gifts.import_csv(path)
    assert [(e.line, e.field) for e in info.value.errors] == [(2, "count"), (4, "received_at")]
    assert _counts(services) == (0, 0)


def test_import_of_unknown_gifts_reports_each_line(services: Services, tmp_path: Path) -> None:
    path = _csv(tmp_path, "2026-11-18T20:00:00Z,a,Nope,,1,X", "2026-11-18T20:00:00Z,a,Rose,,1,X",
                "2026-11-18T20:00:00Z,a,Nada,,1,X")  # fmt: skip
    with pytest.raises(ImportRejected) as info:
        services.gifts.import_csv(path)
    assert [(e.line, e.field) for e in info.value.errors] == [(2, "coins_each"), (4, "coins_each")]
    assert _counts(services) == (0, 0)


def test_import_of_a_missing_file_is_rejected(services: Services, tmp_path: Path) -> None:
    with pytest.raises(ImportRejected):
        services.gifts.import_csv(tmp_path / "missing.csv")


def test_import_of_an_empty_body_adds_nothing(services: Services, tmp_path: Path) -> None:
    assert services.gifts.import_csv(_csv(tmp_path)) == ImportResult(0, 0, 0)
    assert ImportResult(0, 0, 0).describe() == "imported 0 gifts"
    assert ImportResult(1, 0, 2).describe() == "imported 1 gift, 2 streams created"


def test_senders_are_listed_most_generous_first_without_blanks(services: Services) -> None:
    services.gifts.log("Rose", 5, "small")
    services.gifts.log("Lion", 1, "big")
    services.gifts.log("Rose", 1, "")
    services.gifts.log("Rose", 1, "small")
    services.gifts.log("Finger Heart", 1, "medium")
    assert services.gifts.senders() == ["big", "small", "medium"]


def test_reimporting_the_same_gifts_with_prices_and_streams_filled_in_adds_nothing(
    services: Services, tmp_path: Path
) -> None:
    services.gifts.import_csv(_csv(tmp_path, "2026-11-06T20:00:00Z,a,Rose,,3,", name="first.csv"))
    again = services.gifts.import_csv(_csv(tmp_path, "2026-11-06T20:00:00Z,a,Rose,1,3,Night", name="export.csv"))
    assert (again.added, again.already_present, again.streams_created) == (0, 1, 0)
    assert services.streams.recent() == []
