"""Streams: one live stream per profile, ending it, listing streams."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from companion.domain.economics import GiftTotals
from companion.domain.errors import NotFound, StateError, ValidationError
from companion.domain.text import MAX_TITLE
from companion.services import Services
from tests.conftest import FakeClock


def test_go_live_starts_a_stream_now(services: Services, clock: FakeClock) -> None:
    stream = services.streams.go_live("  Friday   night ")
    assert stream.title == "Friday night"
    assert stream.started_at == clock.now
    assert stream.is_live
    assert services.streams.live() == stream


def test_go_live_without_title_names_it_by_date(services: Services) -> None:
    assert services.streams.go_live().title == "Live 2026-11-20"


def test_go_live_twice_is_a_state_error(services: Services, clock: FakeClock) -> None:
    first = services.streams.go_live("one")
    clock.advance(minutes=5)
    with pytest.raises(StateError, match="already live"):
        services.streams.go_live("two")
    assert services.streams.live() == first
    assert [s.id for s in services.streams.recent()] == [first.id]


def test_end_with_nothing_live_is_a_state_error(services: Services) -> None:
    with pytest.raises(StateError, match="no stream is live"):
        services.streams.end()


def test_end_stops_the_live_stream_at_the_clock(services: Services, clock: FakeClock) -> None:
    stream = services.streams.go_live("x")
    clock.advance(minutes=90)
    ended = services.streams.end()
    assert ended.id == stream.id
    assert ended.ended_at == clock.now
    assert ended.duration(clock.now + timedelta(hours=5)) == timedelta(minutes=90)
    assert services.streams.live() is None
    assert services.streams.get(stream.id) == ended


def test_ending_an_ended_stream_is_a_state_error(services: Services, clock: FakeClock) -> None:
    stream = services.streams.go_live("x")
    clock.advance(minutes=1)
    services.streams.end()
    with pytest.raises(StateError, match="already ended"):
        services.streams.end(stream.id)


def test_end_unknown_stream_is_not_found(services: Services) -> None:
    with pytest.raises(NotFound):
        services.streams.end(12345)
    with pytest.raises(NotFound):
        services.streams.get(12345)


def test_can_go_live_again_after_ending(services: Services, clock: FakeClock) -> None:
    first = services.streams.go_live("one")
    clock.advance(hours=1)
    services.streams.end()
    clock.advance(hours=1)
    second = services.streams.go_live("two")
    assert second.id != first.id
    assert [s.id for s in services.streams.recent()] == [second.id, first.id]
    assert [s.id for s in services.streams.recent(limit=1)] == [second.id]


def test_live_duration_grows_with_the_clock(services: Services, clock: FakeClock) -> None:
    stream = services.streams.go_live("x")
    assert stream.duration(clock.advance(minutes=7, seconds=3)) == timedelta(minutes=7, seconds=3)
    assert stream.duration(datetime(2000, 1, 1, tzinfo=UTC)) == timedelta(0)


def test_title_too_long_is_refused(services: Services) -> None:
    assert services.streams.go_live("x" * MAX_TITLE).title == "x" * MAX_TITLE
    services.streams.end()
    with pytest.raises(ValidationError) as info:
        services.streams.go_live("x" * (MAX_TITLE + 1))
    assert info.value.field == "title"
    assert services.streams.live() is None


def test_overview_lists_recent_streams_with_their_totals(services: Services, clock: FakeClock) -> None:
    first = services.streams.go_live("one")
    services.gifts.log("Rose", 3, "a")
    services.gifts.log("Lion", 1, "b")
    clock.advance(hours=1)
    services.streams.end()
    clock.advance(hours=1)
    services.gifts.log("Galaxy", 1, "outside")  # in no stream
    second = services.streams.go_live("two")  # no gifts yet
    overview = services.streams.overview()
    assert [o.stream.id for o in overview] == [second.id, first.id]
    assert overview[0].totals == GiftTotals()
    assert overview[1].totals == GiftTotals(gifts=2, items=4, coins=30002, diamonds=30002)
    assert [o.stream.id for o in services.streams.overview(limit=1)] == [second.id]
