"""Goal solver: what "US$X by date D" takes, in diamonds a day and streams at the average."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from companion.domain.errors import ValidationError
from companion.domain.goals import check_goal, goal_needs

TODAY = date(2026, 11, 20)


def test_goal_needs_diamonds_a_day_and_streams() -> None:
    # US$100 still missing at 50 % (US$0.005 a diamond) = 20,000 diamonds; 11 days from 20 to 30 Nov.
    needs = goal_needs(Decimal("150"), Decimal("50"), 5000, TODAY, date(2026, 11, 30), 3000)
    assert (needs.diamonds, needs.days_left, needs.per_day, needs.streams) == (20_000, 11, 1819, 7)
    assert needs.describe("US$150.00", date(2026, 11, 30)) == (
        "20,000 more diamonds: 1,819 a day for 11 days; about 7 more streams at your average"
    )


def test_a_part_diamond_rounds_up() -> None:
    # US$0.01 at 53 %: 0.01 / 0.0053 = 1.88… → 2 diamonds
    assert goal_needs(Decimal("0.01"), Decimal(0), 5300, TODAY, TODAY, None).diamonds == 2


def test_reached_goal_and_impossible_goals() -> None:
    assert goal_needs(Decimal("10"), Decimal("10.01"), 5000, TODAY, TODAY, None).reached
    past = goal_needs(Decimal("10"), Decimal("1"), 5000, TODAY, date(2026, 11, 19), None)
    assert not past.possible and past.per_day is None
    assert "can no longer be reached" in past.describe("US$10.00", date(2026, 11, 19))
    zero = goal_needs(Decimal("10"), Decimal("1"), 0, TODAY, date(2026, 12, 1), None)
    assert not zero.possible and "0 % share" in zero.describe("US$10.00", date(2026, 12, 1))


@pytest.mark.parametrize(
    ("target", "due", "field"),
    [(0, date(2026, 12, 1), "target"), (-500, date(2026, 12, 1), "target"), (100, date(2026, 11, 19), "due")],
)
def test_bad_goals_are_refused(target: int, due: date, field: str) -> None:
    with pytest.raises(ValidationError) as info:
        check_goal("Rent", target, due, TODAY)
    assert info.value.field == field
