"""Gift history: filtered ids in order, rows by id, filter totals, gifters with lifetime figures and per-stream rank."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from companion.domain.errors import ValidationError
from companion.services import Services
from companion.services.history import NO_STREAM, GiftFilter
from tests.conftest import FakeClock


def _two_streams(services: Services, clock: FakeClock) -> tuple[int, int]:
    """First stream: amy 5 roses, bob a Galaxy, amy a Lion. Second (next day): bob 3 roses, cy 1 rose.
    One gift between them belongs to no stream."""
    first = services.streams.go_live("First")
    clock.advance(minutes=1)
    services.gifts.log("Rose", 5, "amy")
    clock.advance(minutes=1)
    services.gifts.log("Galaxy", 1, "bob")
    clock.advance(minutes=1)
    services.gifts.log("Lion", 1, "amy")
    clock.advance(hours=1)
    services.streams.end()
    clock.advance(hours=2)
    services.gifts.log("Rose", 2, "")  # anonymous, no stream live
    clock.advance(days=1)
    second = services.streams.go_live("Second")
    clock.advance(minutes=1)
    services.gifts.log("Rose", 3, "bob")
    clock.advance(minutes=1)
    services.gifts.log("Rose", 1, "cy")
    return first.id, second.id


def test_ids_are_newest_first_and_rows_come_back_by_id(services: Services, clock: FakeClock) -> None:
    _two_streams(services, clock)
    selection = services.history.select(GiftFilter())
    assert len(selection.ids) == 6
    rows = services.history.rows(selection.ids)
    times = [rows[i].received_at for i in selection.ids]
    assert times == sorted(times, reverse=True)
    assert [rows[i].sender for i in selection.ids[:2]] == ["cy", "bob"]
    assert selection.totals.gifts == 6 and selection.totals.items == 13
    assert selection.totals.diamonds == 5 + 1000 + 29999 + 2 + 3 + 1


def test_filters_combine_and_totals_follow_them(services: Services, clock: FakeClock) -> None:
    first, second = _two_streams(services, clock)
    history = services.history
    assert history.select(GiftFilter(stream_id=first)).totals.diamonds == 5 + 1000 + 29999
    assert history.select(GiftFilter(stream_id=NO_STREAM)).totals.diamonds == 2
    amy = history.select(GiftFilter(sender="amy"))
    assert amy.totals.gifts == 2 and amy.totals.diamonds == 30004
    assert str(amy.cash) == "150.02"  # 30,004 × $0.005, rounded once
    roses = history.select(GiftFilter(gift="Rose", sender="bob"))
    assert roses.totals.items == 3 and len(roses.ids) == 1
    assert history.select(GiftFilter(sender="")).totals.items == 2  # the anonymous sender is a filter value
    day_two = (clock.now).date()
    assert history.select(GiftFilter(first=day_two, last=day_two)).totals.gifts == 2
    assert history.select(GiftFilter(first=date(2020, 1, 1), last=date(2020, 1, 2))).totals.gifts == 0
    assert history.select(GiftFilter(stream_id=second, sender="amy")).totals.gifts == 0


def test_sorting_by_a_column_orders_ids_and_breaks_ties_by_id(services: Services, clock: FakeClock) -> None:
    _two_streams(services, clock)
    history = services.history
    by_diamonds = history.select(GiftFilter(sort="diamonds", descending=False)).ids
    rows = history.rows(by_diamonds)
    assert [rows[i].diamonds for i in by_diamonds] == [1, 2, 3, 5, 1000, 29999]
    by_sender = history.select(GiftFilter(sort="sender", descending=True)).ids
    assert [history.rows(by_sender)[i].sender for i in by_sender] == ["cy", "bob", "bob", "amy", "amy", ""]
    with pytest.raises(ValidationError) as refused:
        history.select(GiftFilter(sort="price; drop table gift_event"))
    assert refused.value.field == "sort"


def test_a_gift_deleted_after_the_ids_were_taken_is_simply_missing(services: Services, clock: FakeClock) -> None:
    _two_streams(services, clock)
    ids = services.history.select(GiftFilter()).ids
    services.gifts.undo(ids[0])
    rows = services.history.rows(ids)
    assert ids[0] not in rows and len(rows) == 5


def test_rows_by_id_work_beyond_one_chunk(services: Services, clock: FakeClock) -> None:
    for n in range(1, 1201):
        services.gifts.log("Rose", 1, f"s{n % 7}", at=clock.now + timedelta(seconds=n))
    ids = services.history.select(GiftFilter()).ids
    assert len(ids) == 1200
    assert len(services.history.rows(ids)) == 1200


def test_gifters_have_lifetime_diamonds_first_last_seen_and_streams(services: Services, clock: FakeClock) -> None:
    _two_streams(services, clock)
    gifters = services.history.gifters()
    assert [g.sender for g in gifters.rows] == ["amy", "bob", "cy"]  # the anonymous sender is not a gifter
    assert gifters.total == 3
    amy, bob, _ = gifters.rows
    assert (amy.diamonds, amy.gifts, amy.items, amy.streams) == (30004, 2, 6, 1)
    assert (bob.diamonds, bob.streams) == (1003, 2)
    assert bob.first_seen < bob.last_seen and bob.last_seen.tzinfo is not None
    assert [g.sender for g in services.history.gifters("B").rows] == ["bob"]
    assert services.history.gifters("%").total == 0  # LIKE wildcards are matched literally


def test_per_stream_rank_of_a_gifter(services: Services, clock: FakeClock) -> None:
    first, second = _two_streams(services, clock)
    bob = services.history.gifter_streams("bob")
    assert [(r.stream_id, r.rank, r.gifters, r.diamonds) for r in bob] == [(second, 1, 2, 3), (first, 2, 2, 1000)]
    assert bob[0].title == "Second"
    assert services.history.gifter_streams("nobody") == []


def test_ties_share_a_rank(services: Services, clock: FakeClock) -> None:
    services.streams.go_live("Tie")
    services.gifts.log("Rose", 2, "amy")
    services.gifts.log("Rose", 2, "bob")
    services.gifts.log("Rose", 1, "cy")
    ranks = {s: services.history.gifter_streams(s)[0].rank for s in ("amy", "bob", "cy")}
    assert ranks == {"amy": 1, "bob": 1, "cy": 3}


def test_top_gifters_of_a_stream(services: Services, clock: FakeClock) -> None:
    first, _ = _two_streams(services, clock)
    top = services.history.top_gifters(first, limit=1)
    assert [(t.sender, t.diamonds, t.gifts) for t in top] == [("amy", 30004, 2)]


def test_gift_names_lists_what_was_received(services: Services, clock: FakeClock) -> None:
    _two_streams(services, clock)
    assert services.history.gift_names() == ["Galaxy", "Lion", "Rose"]


def test_dates_are_local_days_of_the_profile(services: Services, clock: FakeClock) -> None:
    services.gifts.log("Rose", 1, "amy", at=datetime(2026, 11, 20, 12, 0, tzinfo=UTC))
    selection = services.history.select(GiftFilter(first=date(2026, 11, 20), last=date(2026, 11, 20)))
    assert selection.totals.gifts == 1
    with pytest.raises(ValidationError):
        services.history.select(GiftFilter(first=date(2026, 11, 21), last=date(2026, 11, 20)))
