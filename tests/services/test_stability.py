"""Income stability: week-to-week variation in words, concentration on top gifters, spending jumps."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from companion.services import Services
from companion.services.stability import describe_concentration, describe_weeks, find_jumps

NOW = datetime(2026, 11, 20, 19, 0, tzinfo=UTC)  # the conftest clock


def _weeks(values: list[int]) -> list[tuple[date, int]]:
    return [(date(2026, 8, 24) + timedelta(weeks=i), v) for i, v in enumerate(values)]


def test_steady_and_uneven_weeks_in_plain_words() -> None:
    steady = describe_weeks(_weeks([1000, 1100, 900, 1000]))
    assert steady.variation_percent == 7 and "steady" in steady.words and "900 to 1,100" in steady.words
    uneven = describe_weeks(_weeks([100, 5000, 0, 200]))
    assert uneven.variation_percent is not None and uneven.variation_percent > 60
    assert "very uneven" in uneven.words
    assert describe_weeks(_weeks([0, 0, 500, 0])).variation_percent is None


def test_concentration_on_top_gifters() -> None:
    senders = [("luna", 600), ("", 100), ("mike", 100), ("a", 50), ("b", 50), ("c", 50), ("d", 50)]
    found = describe_concentration(senders, 90)
    assert (found.total, found.top1, found.top1_percent, found.top5_percent) == (1000, ("luna", 600), 60, 85)
    assert "luna gave 60 %" in found.words and "one person carries most" in found.words


def test_spending_jump_against_the_gifters_own_history() -> None:
    windows = [
        *[("whale", i, 1000) for i in (2, 5, 8, 11)],
        ("whale", 12, 8000),  # 8× their usual week: flagged
        *[("regular", i, 2000) for i in (3, 6, 9)],
        ("regular", 12, 6000),  # 3× usual: not flagged
        ("newcomer", 12, 20000),  # no history to compare with: not flagged
        *[("small", i, 10) for i in (1, 2, 3)],
        ("small", 12, 900),  # 90× but tiny: not flagged
    ]
    jumps = find_jumps(windows, 12)
    assert [(j.sender, j.recent, j.usual) for j in jumps] == [("whale", 8000, 1000)]
    assert "whale sent 8,000 diamonds in the last 7 days" in jumps[0].words


def test_overview_from_the_database(services: Services) -> None:
    log = services.gifts.log
    for weeks_ago in range(1, 13):
        log("Rose", 1000 + 10 * weeks_ago, "luna", at=NOW - timedelta(weeks=weeks_ago, days=1))
        if weeks_ago % 3 == 0:
            log("Rose", 500, "whale", at=NOW - timedelta(weeks=weeks_ago, days=2))
    log("Rose", 9000, "whale", at=NOW - timedelta(days=1))
    found = services.stability.overview()
    assert len(found.week_to_week.weeks) == 12
    assert found.week_to_week.weeks[-1][0] == date(2026, 11, 9)  # the last complete week
    assert [j.sender for j in found.jumps] == ["whale"]
    assert found.concentration.top1 is not None


def test_a_top_five_of_forty_percent_is_not_called_spread_out() -> None:
    senders = [("luna", 150), ("mike", 100), ("a", 60), ("b", 50), ("c", 50), *[(f"fan{i}", 10) for i in range(59)]]
    found = describe_concentration(senders, 90)
    assert found.top5_percent == 41
    assert "a few regulars give a large part" in found.words and "spread over many" not in found.words


def test_the_jump_note_names_the_biggest_three_and_counts_the_rest() -> None:
    from companion.services.stability import Stability

    windows = [(f"fan{n}", i, 1000) for n in range(5) for i in (2, 5, 8, 11)]
    windows += [(f"fan{n}", 12, 8000 + n) for n in range(5)]
    jumps = find_jumps(windows, 12)
    assert len(jumps) == 5
    words = Stability(describe_weeks(_weeks([1, 2])), describe_concentration([], 90), jumps).jumps_words
    assert words.count("•") == 4 and "and 2 more gifters" in words and "fan4 sent" in words and "fan0 sent" not in words
