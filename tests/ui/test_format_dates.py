"""Short dates keep the year when it is not this year (27 Nov 2025 and 27 Nov 2026 must not look the same); "this
year" is the profile's, by its clock, not the computer's."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from companion.services.context import ProfileContext
from companion.ui.format import local_short
from tests.conftest import FakeClock


def test_short_dates_name_another_year_but_not_this_one() -> None:
    context = ProfileContext(1, ZoneInfo("UTC"), 5000, clock=FakeClock(datetime(2026, 11, 20, 19, 0, tzinfo=UTC)))
    assert local_short(datetime(2025, 11, 27, 21, 0, tzinfo=UTC), context) == "27 Nov 2025, 21:00"
    assert local_short(datetime(2026, 1, 1, 0, 0, tzinfo=UTC), context) == "01 Jan, 00:00"


def test_this_year_is_the_profiles_year() -> None:
    """New Year's Eve 20:00 UTC is already 1 January 2027 in Tokyo: a date of 2026 then names its year."""
    context = ProfileContext(1, ZoneInfo("Asia/Tokyo"), 5000, clock=FakeClock(datetime(2026, 12, 31, 20, tzinfo=UTC)))
    assert local_short(datetime(2026, 12, 1, 3, 0, tzinfo=UTC), context) == "01 Dec 2026, 12:00"
