"""Tables, column types and repositories against a real migrated SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import Session, select

from companion.domain.catalog import CatalogEntry
from companion.domain.economics import GiftTotals
from companion.domain.errors import NotFound
from companion.domain.models import NewGift
from companion.store.db import Database
from companion.store.repositories import CatalogRepo, GiftRepo, ProfileRepo, SettingRepo, StreamRepo
from companion.store.tables import GiftEventRow, GiftPriceRow, StreamRow
from companion.store.types import UtcMillis, from_millis, to_millis

T = datetime(2026, 11, 20, 19, 0, tzinfo=UTC)


@pytest.fixture
def profile_id(db: Database) -> int:
    with db.session() as s:
        profile = ProfileRepo(s).create("me", "USD", "Europe/Berlin", 5000, T)
        s.commit()
        return profile.id


def _event(profile_id: int, **overrides: object) -> GiftEventRow:
    values: dict[str, object] = dict(
        profile_id=profile_id, received_at=T, sender="a", gift_name="Rose", coins_each=1, count=1, diamonds=1
    )
    values.update(overrides)
    return GiftEventRow(**values)


# --- column type -------------------------------------------------------------------------------------------------


def test_to_millis_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="naive"):
        to_millis(datetime(2026, 11, 1, 12, 0))


def test_to_millis_truncates_sub_millisecond_digits() -> None:
    assert to_millis(datetime(1970, 1, 1, 0, 0, 0, 1999, tzinfo=UTC)) == 1
    assert to_millis(datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)) == -1  # floor, not toward zero


def test_millis_round_trip_keeps_the_instant_to_the_millisecond() -> None:
    moment = datetime(2026, 11, 1, 20, 15, 30, 123456, tzinfo=timezone(timedelta(hours=-5)))
    back = from_millis(to_millis(moment))
    assert back == moment.replace(microsecond=123000)
    assert back.tzinfo is UTC


def test_utc_millis_bind_refuses_naive_and_passes_ints() -> None:
    column_type = UtcMillis()
    with pytest.raises(ValueError):
        column_type.process_bind_param(datetime(2026, 1, 1), None)  # type: ignore[arg-type]
    assert column_type.process_bind_param(42, None) == 42  # type: ignore[arg-type]
    assert column_type.process_bind_param(None, None) is None  # type: ignore[arg-type]
    assert column_type.process_result_value(None, None) is None  # type: ignore[arg-type]


def test_storing_a_naive_datetime_through_the_orm_fails(db: Database, profile_id: int) -> None:
    with db.session() as s, pytest.raises(StatementError, match="naive"):
        s.add(StreamRow(profile_id=profile_id, title="x", started_at=datetime(2026, 11, 1, 20, 0)))
        s.flush()


def test_aware_datetimes_round_trip_through_the_database_to_the_millisecond(db: Database, profile_id: int) -> None:
    berlin_evening = datetime(2026, 11, 1, 21, 15, 30, 987654, tzinfo=timezone(timedelta(hours=1)))
    with db.session() as s:
        stream = StreamRepo(s).create(profile_id, "x", berlin_evening, None)
        s.commit()
    with db.session() as s:
        stored = StreamRepo(s).get(stream.id)
    assert stored.started_at == berlin_evening.replace(microsecond=987000)
    assert stored.started_at.utcoffset() == timedelta(0)


# --- CHECK / UNIQUE / FK constraints -------------------------------------------------------------------------------


def test_gift_event_with_count_zero_violates_check(db: Database, profile_id: int) -> None:
    with db.session() as s, pytest.raises(IntegrityError, match="ck_gift_event_count"):
        s.add(_event(profile_id, count=0, diamonds=0))
        s.flush()


def test_gift_event_with_wrong_diamonds_violates_check(db: Database, profile_id: int) -> None:
    with db.session() as s, pytest.raises(IntegrityError, match="ck_gift_event_diamonds"):
        s.add(_event(profile_id, coins_each=5, count=3, diamonds=14))
        s.flush()


def test_gift_event_with_negative_coins_violates_check(db: Database, profile_id: int) -> None:
    with db.session() as s, pytest.raises(IntegrityError, match="ck_gift_event_coins_each"):
        s.add(_event(profile_id, coins_each=-1, count=1, diamonds=-1))
        s.flush()


def test_gift_event_with_consistent_values_is_stored(db: Database, profile_id: int) -> None:
    with db.session() as s:
        s.add(_event(profile_id, coins_each=5, count=3, diamonds=15))
        s.commit()
    with db.session() as s:
        assert GiftRepo(s).totals(profile_id) == GiftTotals(gifts=1, items=3, coins=15, diamonds=15)


def test_profile_share_out_of_range_violates_check(db: Database) -> None:
    with db.session() as s, pytest.raises(IntegrityError, match="ck_profile_share_bps"):
        ProfileRepo(s).create("x", "USD", "", 10001, T)


def test_stream_ending_before_it_starts_violates_check(db: Database, profile_id: int) -> None:
    with db.session() as s, pytest.raises(IntegrityError, match="ck_stream_ends_after_start"):
        StreamRepo(s).create(profile_id, "x", T, T - timedelta(seconds=1))


def test_duplicate_source_key_for_a_profile_is_refused(db: Database, profile_id: int) -> None:
    with db.session() as s:
        s.add(_event(profile_id, source_key="csv:abc:1"))
        s.flush()
        with pytest.raises(IntegrityError, match="UNIQUE"):
            s.add(_event(profile_id, source_key="csv:abc:1"))
            s.flush()


def test_many_null_source_keys_are_allowed(db: Database, profile_id: int) -> None:
    with db.session() as s:
        for _ in range(3):
            s.add(_event(profile_id))
        s.commit()
    with db.session() as s:
        assert GiftRepo(s).totals(profile_id).gifts == 3


def test_foreign_keys_are_enforced(db: Database) -> None:
    with db.session() as s, pytest.raises(IntegrityError, match="FOREIGN KEY"):
        s.add(_event(999))
        s.flush()


def test_deleting_a_stream_keeps_its_gifts_unlinked(db: Database, profile_id: int) -> None:
    with db.session() as s:
        stream = StreamRepo(s).create(profile_id, "x", T, None)
        GiftRepo(s).add(profile_id, NewGift(T, "a", "Rose", 1, 2, stream_id=stream.id))
        s.commit()
    with db.session() as s:
        s.delete(s.get(StreamRow, stream.id))
        s.commit()
    with db.session() as s:
        [row] = s.exec(select(GiftEventRow)).all()
        assert row.stream_id is None


# --- repositories ----------------------------------------------------------------------------------------------------


def test_profile_repo_first_get_and_not_found(db: Database, profile_id: int) -> None:
    with db.session() as s:
        repo = ProfileRepo(s)
        first = repo.first()
        assert first is not None and first.id == profile_id and first.time_zone == "Europe/Berlin"
        assert repo.get(profile_id) == first
        with pytest.raises(NotFound):
            repo.get(profile_id + 100)


def test_stream_repo_live_end_recent_by_title(db: Database, profile_id: int) -> None:
    with db.session() as s:
        repo = StreamRepo(s)
        old = repo.create(profile_id, "Friday", T - timedelta(days=7), T - timedelta(days=7) + timedelta(hours=2))
        assert repo.live(profile_id) is None
        live = repo.create(profile_id, "Friday", T, None)
        assert repo.live(profile_id) == live
        assert [st.id for st in repo.recent(profile_id, 10)] == [live.id, old.id]
        assert [st.id for st in repo.recent(profile_id, 1)] == [live.id]
        assert [st.id for st in repo.by_title(profile_id, "Friday")] == [old.id, live.id]
        assert repo.by_title(profile_id, "friday") == []  # titles match exactly
        ended = repo.end(live.id, T - timedelta(hours=1))  # a clock going backwards cannot end before the start
        assert ended.ended_at == T and not ended.is_live
        assert repo.live(profile_id) is None
        with pytest.raises(NotFound):
            repo.get(9999)


def test_gift_repo_add_for_stream_delete(db: Database, profile_id: int) -> None:
    with db.session() as s:
        stream = StreamRepo(s).create(profile_id, "x", T, None)
        repo = GiftRepo(s)
        a = repo.add(profile_id, NewGift(T, "a", "Rose", 1, 3, stream_id=stream.id))
        b = repo.add(profile_id, NewGift(T + timedelta(minutes=1), "b", "Lion", 29999, 1, stream_id=stream.id))
        repo.add(profile_id, NewGift(T, "c", "Rose", 1, 1))
        assert a.diamonds == 3 and b.diamonds == 29999 and a.source == "manual"
        assert [g.id for g in repo.for_stream(stream.id)] == [b.id, a.id]  # newest first
        repo.delete(a.id)
        assert [g.id for g in repo.for_stream(stream.id)] == [b.id]
        with pytest.raises(NotFound):
            repo.delete(a.id)


def test_gift_repo_add_many_and_existing_keys(db: Database, profile_id: int) -> None:
    gifts = [
        NewGift(T + timedelta(seconds=i), "s", "Rose", 1, 1, source="csv", source_key=f"k{i}") for i in range(1200)
    ]
    with db.session() as s:
        repo = GiftRepo(s)
        assert repo.add_many(profile_id, []) == 0
        assert repo.add_many(profile_id, gifts) == 1200
        s.commit()
    with db.session() as s:
        repo = GiftRepo(s)
        keys = [f"k{i}" for i in range(0, 1300, 3)]  # more than one 500-key chunk, some unknown
        assert repo.existing_keys(profile_id, keys) == {f"k{i}" for i in range(0, 1200, 3)}
        assert repo.existing_keys(profile_id + 1, keys) == set()
        assert repo.totals(profile_id) == GiftTotals(gifts=1200, items=1200, coins=1200, diamonds=1200)


def test_gift_repo_totals_range_is_half_open_and_filters_stream(db: Database, profile_id: int) -> None:
    with db.session() as s:
        stream = StreamRepo(s).create(profile_id, "x", T, None)
        repo = GiftRepo(s)
        repo.add(profile_id, NewGift(T - timedelta(milliseconds=1), "a", "Rose", 1, 2))
        repo.add(profile_id, NewGift(T, "a", "Finger Heart", 5, 3, stream_id=stream.id))
        repo.add(profile_id, NewGift(T + timedelta(hours=1), "a", "Lion", 29999, 1))
        s.commit()
        end = T + timedelta(hours=1)
        assert repo.totals(profile_id) == GiftTotals(3, 6, 30016, 30016)
        assert repo.totals(profile_id, start=T) == GiftTotals(2, 4, 30014, 30014)
        assert repo.totals(profile_id, start=T, end=end) == GiftTotals(1, 3, 15, 15)
        assert repo.totals(profile_id, end=T) == GiftTotals(1, 2, 2, 2)
        assert repo.totals(profile_id, stream_id=stream.id) == GiftTotals(1, 3, 15, 15)
        assert repo.totals(profile_id + 1) == GiftTotals()


def test_catalog_repo_sync_find_and_price_history(db: Database) -> None:
    nov = datetime(2026, 11, 1, tzinfo=UTC)
    dec = datetime(2026, 12, 1, tzinfo=UTC)
    with db.session() as s:
        repo = CatalogRepo(s)
        assert repo.sync([CatalogEntry("Rose", 1, True), CatalogEntry("Lion", 29999, False)], nov) == 2
        assert repo.sync([CatalogEntry("Rose", 1, True), CatalogEntry("Lion", 29999, False)], nov) == 0
        assert repo.sync([CatalogEntry("rose", 2, True), CatalogEntry("Lion", 29999, False)], dec) == 1
        s.commit()
    with db.session() as s:
        repo = CatalogRepo(s)
        rose = repo.find("  ROSE ", nov)
        assert rose is not None and rose.name == "Rose" and rose.coins == 1 and rose.streakable
        assert repo.find("rose", dec).coins == 2  # type: ignore[union-attr]
        assert repo.find("rose", nov - timedelta(days=30)).coins == 1  # type: ignore[union-attr]
        assert repo.find("rose", dec - timedelta(milliseconds=1)).coins == 1  # type: ignore[union-attr]
        assert repo.find("Unicorn", nov) is None
        assert [(g.name, g.coins) for g in repo.all(dec)] == [("Rose", 2), ("Lion", 29999)]


def test_catalog_sync_does_not_override_a_later_user_price(db: Database) -> None:
    nov = datetime(2026, 11, 1, tzinfo=UTC)
    with db.session() as s:
        repo = CatalogRepo(s)
        repo.sync([CatalogEntry("Rose", 1, True)], nov)
        rose = repo.find("Rose", nov)
        assert rose is not None
        s.add(GiftPriceRow(gift_type_id=rose.id, coins=3, valid_from=datetime(2026, 12, 15, tzinfo=UTC)))
        s.flush()
        assert repo.sync([CatalogEntry("Rose", 2, True)], datetime(2026, 12, 1, tzinfo=UTC)) == 0
        assert repo.find("Rose", datetime(2027, 1, 1, tzinfo=UTC)).coins == 3  # type: ignore[union-attr]


def test_catalog_repo_cached_find_reuses_the_lookup(db: Database) -> None:
    nov = datetime(2026, 11, 1, tzinfo=UTC)
    with db.session() as s:
        repo = CatalogRepo(s)
        assert repo.find("Rose", nov, cached=True) is None
        repo.sync([CatalogEntry("Rose", 1, True)], nov)
        assert repo.find("Rose", nov, cached=True) is None  # cached miss within this repo
        assert repo.find("Rose", nov) is not None  # uncached sees it


def test_setting_repo_get_set_overwrite(db: Database) -> None:
    with db.session() as s:
        repo = SettingRepo(s)
        assert repo.get("x") is None
        repo.set("x", "1")
        repo.set("x", "2")
        s.commit()
    with Session(db.engine) as s:
        assert SettingRepo(s).get("x") == "2"


def test_totals_by_stream_groups_and_omits_streams_without_gifts(db: Database, profile_id: int) -> None:
    with db.session() as s:
        streams = StreamRepo(s)
        a = streams.create(profile_id, "a", T, None)
        b = streams.create(profile_id, "b", T, None)
        empty = streams.create(profile_id, "c", T, None)
        repo = GiftRepo(s)
        repo.add(profile_id, NewGift(T, "x", "Rose", 1, 3, stream_id=a.id))
        repo.add(profile_id, NewGift(T, "x", "Lion", 29999, 1, stream_id=a.id))
        repo.add(profile_id, NewGift(T, "x", "Finger Heart", 5, 2, stream_id=b.id))
        repo.add(profile_id, NewGift(T, "x", "Rose", 1, 1))
        s.commit()
        totals = repo.totals_by_stream([a.id, b.id, empty.id, 999])
    assert totals == {a.id: GiftTotals(2, 4, 30002, 30002), b.id: GiftTotals(1, 2, 10, 10)}
    with db.session() as s:
        assert GiftRepo(s).totals_by_stream([]) == {}
