"""Reward schemes and levels: the bundled presets, validation, cash at every level to the cent."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from companion.domain.economics import GiftTotals, cash_for_diamonds
from companion.domain.errors import ValidationError
from companion.domain.schemes import Level, check_levels, find_level, parse_schemes
from tests.conftest import ROOT

PRESETS = ROOT / "resources" / "reward_schemes.json"


def _presets() -> dict[str, object]:
    return json.loads(PRESETS.read_text(encoding="utf-8"))


def test_bundled_presets_parse_with_the_three_schemes() -> None:
    schemes = {s.key: s for s in parse_schemes(_presets())}
    assert [lv.share_bps for lv in schemes["classic"].levels] == [5000]
    us = schemes["us-scaled-2025-02"]
    assert us.name == "US scaled LIVE rewards (Feb 2025)"
    assert min(lv.share_bps for lv in us.levels) == 2000
    assert max(lv.share_bps for lv in us.levels) == 5300
    assert len(us.levels) >= 5
    assert "TikTok changes" in us.note and "Creator Academy" in us.note
    assert schemes["custom"].editable and not us.editable


@pytest.mark.parametrize(
    ("level", "diamonds", "cash"),
    [
        ("Short LIVE (under 5 min)", 12_345, "24.69"),  # 12,345 × 0.002 = 24.69
        ("Per-LIVE 25+ min", 12_345, "46.91"),  # × 0.0038 = 46.911 → 46.91
        ("Per-LIVE full", 12_345, "49.38"),  # × 0.004 = 49.38
        ("maximum", 12_345, "65.43"),  # × 0.0053 = 65.4285 → 65.43
        ("Maximum", 50, "0.26"),  # 50 × 0.0053 = 0.265 → half-even 0.26
        ("Maximum", 150, "0.80"),  # 0.795 → half-even 0.80
    ],
)
def test_cash_at_preset_levels_hand_computed(level: str, diamonds: int, cash: str) -> None:
    us = next(s for s in parse_schemes(_presets()) if s.key == "us-scaled-2025-02")
    assert cash_for_diamonds(diamonds, us.level(level).share_bps) == Decimal(cash)


def test_unknown_level_names_the_known_ones() -> None:
    levels = (Level("Bronze", 3000), Level("Gold", 5000))
    with pytest.raises(ValidationError, match=r"unknown level 'Silver'.*'Bronze', 'Gold'") as info:
        find_level(levels, "Silver")
    assert info.value.field == "level"
    assert find_level(levels, "  gold ").name == "Gold"


@pytest.mark.parametrize(
    ("levels", "message"),
    [
        ([], "at least one level"),
        ([Level("A", 10_001)], "between 0 % and 100 %"),
        ([Level("A", -1)], "between 0 % and 100 %"),
        ([Level("A", 1000), Level(" a ", 2000)], "used twice"),
        ([Level("  ", 1000)], "has no name"),
    ],
)
def test_bad_levels_are_refused(levels: list[Level], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        check_levels(levels)


def test_levels_come_back_sorted_by_share() -> None:
    assert [lv.name for lv in check_levels([Level("Top", 6000), Level("Base", 2000)])] == ["Base", "Top"]


def test_a_malformed_preset_file_says_where() -> None:
    document = {"schemes": [{"key": "x", "name": "X", "levels": [{"name": "L", "share_percent": "120"}]}]}
    with pytest.raises(ValidationError, match="scheme 1 \\('X'\\), level 'L'"):
        parse_schemes(document)


gift_diamonds = st.lists(st.integers(min_value=1, max_value=45_000 * 99), min_size=0, max_size=60)
shares = st.integers(min_value=0, max_value=10_000)


@given(gift_diamonds, st.randoms(use_true_random=False))
def test_totals_equal_the_sum_of_parts_in_diamonds(parts: list[int], rnd: object) -> None:
    totals = sum((GiftTotals(1, 1, d, d) for d in parts), GiftTotals())
    assert totals.diamonds == sum(parts)
    split = len(parts) // 2
    left = sum((GiftTotals(1, 1, d, d) for d in parts[:split]), GiftTotals())
    right = sum((GiftTotals(1, 1, d, d) for d in parts[split:]), GiftTotals())
    assert (left + right).diamonds == totals.diamonds and (left + right).gifts == len(parts)


@given(gift_diamonds, shares, st.randoms(use_true_random=False))
def test_cash_never_drifts_with_the_order_of_gifts(parts: list[int], share: int, rnd: object) -> None:
    shuffled = list(parts)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    forward = sum((GiftTotals(1, 1, d, d) for d in parts), GiftTotals()).cash(share)
    backward = sum((GiftTotals(1, 1, d, d) for d in shuffled), GiftTotals()).cash(share)
    assert forward == backward
    # rounded once: never further than half a cent from the exact value
    exact = Decimal(sum(parts)) * Decimal("0.01") * share / 10_000
    assert abs(forward - exact) <= Decimal("0.005")
