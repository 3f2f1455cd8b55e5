"""Per-LIVE shares under the US scaled LIVE rewards, hand-computed."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from companion.domain.live_rewards import LiveInput, WeekExtras, lifts, parse_live_rules, week_shares

ROOT = Path(__file__).resolve().parents[2]
MONDAY = datetime(2026, 11, 16, 18, 0, tzinfo=UTC)


def us_rules():  # type: ignore[no-untyped-def]
    document = json.loads((ROOT / "resources" / "reward_schemes.json").read_text(encoding="utf-8"))
    scheme = next(s for s in document["schemes"] if s["key"] == "us-scaled-2025-02")
    return parse_live_rules(scheme["rules"])


def live(key: int, day: int, minutes: int, followers: int | None, breach: int = 0) -> LiveInput:
    start = MONDAY + timedelta(days=day)
    return LiveInput(key, start, start + timedelta(minutes=minutes), followers, breach)


def test_a_week_of_4_26_and_40_minutes_with_0_5_and_9_new_followers() -> None:
    shares = week_shares(us_rules(), [live(1, 0, 4, 0), live(2, 2, 26, 5), live(3, 4, 40, 9)], UTC)
    # 4 min: 20 % base, no follower bonus; two LIVEs of 25+ min this week: +8 % for every LIVE of the week
    assert shares[1].share_bps == 2800
    assert shares[2].share_bps == 4800  # 38 + 2 + 8
    assert shares[3].share_bps == 4800
    assert list(shares[1].reasons) == ["4 min → 20 %", "week: 2 LIVEs of 25+ min → +8 % = 28 %"]
    assert shares[3].explanation == "40 min → 38 %; 9 new followers → +2 %; week: 2 LIVEs of 25+ min → +8 % = 48 %"


def test_one_long_live_in_the_week_gives_6_percent_and_weeks_start_on_monday() -> None:
    sunday_before = LiveInput(9, MONDAY - timedelta(hours=20), MONDAY - timedelta(hours=19), 0)
    shares = week_shares(us_rules(), [live(1, 0, 31, 7), sunday_before], UTC)
    assert shares[1].explanation == "31 min → 38 %; 7 new followers → +2 %; week: 1 LIVE of 25+ min → +6 % = 46 %"
    assert shares[9].share_bps == 3800 + 600  # its own week: one LIVE of 60 min


def test_the_week_zone_decides_which_week_a_live_is_in() -> None:
    # Monday 02:00 UTC is still Sunday in New York: a different week there
    early = LiveInput(1, MONDAY.replace(hour=2), MONDAY.replace(hour=3), 0)
    other = live(2, 1, 30, 0)
    assert week_shares(us_rules(), [early, other], UTC)[1].share_bps == 3800 + 800
    assert week_shares(us_rules(), [early, other], ZoneInfo("America/New_York"))[1].share_bps == 3800 + 600


def test_between_5_and_25_minutes_the_share_is_a_marked_estimate() -> None:
    shares = week_shares(us_rules(), [live(1, 0, 15, 0)], UTC)
    assert shares[1].share_bps == 2900  # 20 % + 18 % × 10/20
    assert shares[1].reasons[0] == "15 min → 29 % (estimate) = 29 %"


def test_team_league_cap_and_breach() -> None:
    extras = WeekExtras(team_bps=200, league_bps=300)
    shares = week_shares(us_rules(), [live(1, 0, 30, 5), live(2, 1, 30, 5, breach=500)], UTC, extras)
    assert shares[1].share_bps == 5300  # 38 + 2 + 8 + 2 + 3, the cap
    assert shares[2].share_bps == 4800
    assert shares[2].reasons[-1] == "guideline breach → −5 % = 48 %"


def test_lifts_say_what_more_would_earn() -> None:
    now = live(1, 0, 13, 3)
    assert lifts(us_rules(), now, [], UTC) == [
        "12 more minutes → 38 %",
        "2 more new followers → +2 %",
        "25 min makes this week's bonus +6 %",
    ]
    done = live(1, 0, 40, 6)
    assert lifts(us_rules(), done, [], UTC) == []
