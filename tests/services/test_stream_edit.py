"""Editing and deleting streams: every field, every refusal names its field and changes nothing; live favourites."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from companion.domain.errors import StateError, ValidationError
from companion.domain.models import Stream
from companion.services import Services
from companion.services.history import NO_STREAM, GiftFilter
from companion.services.tracking import DEFAULT_FAVOURITES, StreamEdit, diamonds_per_hour
from tests.conftest import FakeClock


def _past(services: Services, clock: FakeClock, title: str = "Past", minutes: int = 90) -> Stream:
    services.streams.go_live(title)
    clock.advance(minutes=5)
    services.gifts.log("Rose", 3, "amy")
    clock.advance(minutes=minutes - 5)
    stream = services.streams.end()
    clock.advance(hours=3)
    return stream


def _edit_of(stream: Stream) -> StreamEdit:
    return StreamEdit(stream.title, stream.started_at, stream.ended_at, stream.peak_viewers, stream.new_followers,
                      stream.notes)  # fmt: skip


def test_every_field_of_a_past_stream_can_be_changed(services: Services, clock: FakeClock) -> None:
    stream = _past(services, clock)
    change = StreamEdit(
        "  Sunday   special ", stream.started_at - timedelta(minutes=10), stream.ended_at, 1200, 45, " notes\nhere "
    )
    edited = services.streams.edit(stream.id, change)
    assert edited.title == "Sunday special"
    assert edited.started_at == stream.started_at - timedelta(minutes=10)
    assert (edited.peak_viewers, edited.new_followers, edited.notes) == (1200, 45, "notes\nhere")
    assert services.streams.get(stream.id) == edited
    assert len(services.gifts.for_stream(stream.id)) == 1  # its gifts stay with it


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda s: {"title": "   "}, "title"),
        (lambda s: {"ended_at": s.started_at - timedelta(minutes=1)}, "ended_at"),
        (lambda s: {"ended_at": None}, "ended_at"),
        (lambda s: {"started_at": s.started_at + timedelta(days=2)}, "started_at"),
        (lambda s: {"peak_viewers": -1}, "peak_viewers"),
        (lambda s: {"new_followers": -5}, "new_followers"),
        (lambda s: {"notes": "x" * 2001}, "notes"),
        (lambda s: {"started_at": s.started_at.replace(tzinfo=None)}, "started_at"),
    ],
)
def test_bad_edits_are_refused_with_the_field_and_change_nothing(
    services: Services, clock: FakeClock, change, field  # type: ignore[no-untyped-def]
) -> None:
    stream = _past(services, clock)
    with pytest.raises(ValidationError) as refused:
        services.streams.edit(stream.id, replace(_edit_of(stream), **change(stream)))
    assert refused.value.field == field
    assert services.streams.get(stream.id) == stream


def test_an_end_in_the_future_is_refused(services: Services, clock: FakeClock) -> None:
    stream = _past(services, clock)
    with pytest.raises(ValidationError) as refused:
        services.streams.edit(stream.id, replace(_edit_of(stream), ended_at=clock.now + timedelta(hours=1)))
    assert refused.value.field == "ended_at"


def test_times_may_not_overlap_another_stream_or_the_live_one(services: Services, clock: FakeClock) -> None:
    older = _past(services, clock, "Older")
    newer = _past(services, clock, "Newer")
    with pytest.raises(ValidationError, match="Older") as refused:
        services.streams.edit(newer.id, replace(_edit_of(newer), started_at=older.ended_at - timedelta(minutes=1)))
    assert refused.value.field == "started_at"
    live = services.streams.go_live("Now")
    clock.advance(minutes=30)
    with pytest.raises(ValidationError, match="live now"):
        services.streams.edit(newer.id, replace(_edit_of(newer), ended_at=live.started_at + timedelta(minutes=1)))
    assert services.streams.get(newer.id) == newer
    # touching end to start is not an overlap
    services.streams.edit(newer.id, replace(_edit_of(newer), started_at=older.ended_at))


def test_the_live_stream_can_be_renamed_but_not_ended_by_editing(services: Services, clock: FakeClock) -> None:
    live = services.streams.go_live("Live")
    clock.advance(minutes=10)
    renamed = services.streams.edit(live.id, replace(_edit_of(live), title="Renamed", peak_viewers=30))
    assert renamed.title == "Renamed" and renamed.is_live
    with pytest.raises(ValidationError) as refused:
        services.streams.edit(live.id, replace(_edit_of(live), ended_at=clock.now))
    assert refused.value.field == "ended_at"


def test_delete_with_its_gifts(services: Services, clock: FakeClock) -> None:
    stream = _past(services, clock)
    assert services.streams.delete(stream.id, with_gifts=True) == 1
    assert services.streams.recent() == []
    assert services.reports.summary().totals.gifts == 0


def test_delete_keeping_its_gifts_leaves_them_unassigned(services: Services, clock: FakeClock) -> None:
    stream = _past(services, clock)
    assert services.streams.delete(stream.id, with_gifts=False) == 0
    assert services.streams.recent() == []
    assert services.reports.summary().totals.diamonds == 3
    assert services.history.select(GiftFilter(stream_id=NO_STREAM)).totals.diamonds == 3


def test_the_live_stream_cannot_be_deleted(services: Services) -> None:
    live = services.streams.go_live("Live")
    with pytest.raises(StateError, match="end it"):
        services.streams.delete(live.id, with_gifts=True)
    assert services.streams.live() == live


def test_overview_has_cash_and_diamonds_per_live_hour(services: Services, clock: FakeClock) -> None:
    _past(services, clock, minutes=30)  # 3 diamonds in half an hour
    overview = services.streams.overview()[0]
    assert overview.per_hour == 6
    assert str(overview.cash) == "0.02"  # 3 × $0.005 = 0.015 → 0.02 half-even
    assert diamonds_per_hour(100, timedelta(minutes=14, seconds=59)) is None  # too short to say
    assert diamonds_per_hour(5, timedelta(hours=2)) == 2  # 2.5 → 2, half-even


def test_favourites_default_then_stored_in_order_without_duplicates(services: Services) -> None:
    assert services.streams.favourites() == list(DEFAULT_FAVOURITES)
    assert services.streams.set_favourites(["Lion", " rose ", "Rose", "Galaxy"]) == ["Lion", "rose", "Galaxy"]
    assert services.streams.favourites() == ["Lion", "rose", "Galaxy"]
    with pytest.raises(ValidationError) as refused:
        services.streams.set_favourites([f"Gift {n}" for n in range(10)])
    assert refused.value.field == "favourites"
    assert services.streams.favourites() == ["Lion", "rose", "Galaxy"]


def test_default_title_and_overlap_message_use_the_profiles_zone_not_the_computers(
    services: Services, clock: FakeClock, computer_zone
) -> None:
    """Issue 13: the computer in New York, the profile in Tokyo: 19:00 UTC on 20 Nov is 04:00 on the 21st."""
    computer_zone("America/New_York")
    services.profiles.update(services.profile_id, "My channel", "USD", "Asia/Tokyo")
    older = _past(services, clock, "")
    assert older.title == "Live 2026-11-21"
    newer = _past(services, clock, "Newer")
    with pytest.raises(ValidationError, match="of 2026-11-21 04:00"):
        services.streams.edit(newer.id, replace(_edit_of(newer), started_at=older.ended_at - timedelta(minutes=1)))


def test_the_overlap_check_is_one_range_query(services: Services, clock: FakeClock, monkeypatch) -> None:
    """It once loaded up to 100,000 streams into Python for every edit."""
    from companion.store.repositories import StreamRepo

    older = _past(services, clock, "Older")
    newer = _past(services, clock, "Newer")
    monkeypatch.setattr(StreamRepo, "recent", lambda *_: pytest.fail("every stream was read"))
    with pytest.raises(ValidationError, match="Older"):
        services.streams.edit(newer.id, replace(_edit_of(newer), started_at=older.ended_at - timedelta(minutes=1)))
    services.streams.edit(newer.id, replace(_edit_of(newer), started_at=older.ended_at))
