"""Short dates keep the year when it is not this year (27 Nov 2025 and 27 Nov 2026 must not look the same)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from companion.ui.format import local_short, set_display_zone


def test_short_dates_name_another_year_but_not_this_one() -> None:
    set_display_zone("UTC")
    try:
        now = datetime.now(UTC).replace(microsecond=0)
        last_year = now.replace(year=now.year - 1, month=11, day=27, hour=21, minute=0)
        assert local_short(last_year) == f"27 Nov {now.year - 1}, 21:00"
        this_year = now - timedelta(minutes=1) if now.month > 1 or now.day > 1 else now
        assert str(now.year) not in local_short(this_year)
    finally:
        set_display_zone("")
