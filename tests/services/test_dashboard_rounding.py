"""Cash in the display currency is rounded once, the same on every page: the unrounded US-dollar amount is
converted and rounded in the display currency (never rounded to the cent first)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from companion.services import Services
from tests.services.test_reports import _set_profile


@pytest.mark.parametrize(
    ("diamonds", "currency", "rate", "shown"),
    [
        (3, "EUR", "0.9", "0.01"),  # €0.0135; rounded twice it showed €0.02
        (1, "KRW", "1350", "7"),  # ₩6.75; rounded twice it showed ₩0
        (3, "JPY", "150", "2"),  # ¥2.25; twice: ¥3
        (1, "KWD", "0.3075", "0.002"),  # 0.0015375; twice: 0.000
    ],
)
def test_every_page_shows_the_once_rounded_figure(
    services: Services, diamonds: int, currency: str, rate: str, shown: str
) -> None:
    _set_profile(services, currency=currency)
    services.economics.set_rate(currency, rate, date(2026, 11, 1))
    services.gifts.log("Rose", diamonds, "a", at=datetime(2026, 11, 20, 12, 0, tzinfo=UTC))
    expected = Decimal(shown)
    board = services.dashboard.overview()  # Dashboard and Streams
    assert board.rate.currency == currency
    assert {p.key: p.cash for p in board.periods} == {k: expected for k in ("today", "week", "month", "all")}
    balance = services.payouts.balance()  # Payouts
    assert (balance.currency, balance.shown) == (currency, expected)
    assert balance.usd == Decimal(diamonds * 5).scaleb(-3).quantize(Decimal("0.01"))  # the US$ figure on its own
    month = services.projections.month(with_path=True)
    assert month.earned == expected and month.earned_path[-1] == expected
    statement = services.exports.statement("2026-11")
    assert statement.cash == expected


def test_a_goal_counts_its_earnings_once_rounded(services: Services) -> None:
    _set_profile(services, currency="KRW")
    services.economics.set_rate("KRW", "1350", date(2026, 11, 1))
    services.payouts.add_goal("Mic", "100000", date(2026, 12, 20), "KRW")
    services.gifts.log("Rose", 1, "a", at=datetime(2026, 11, 20, 12, 0, tzinfo=UTC))
    (goal,) = services.payouts.goals()
    assert goal.earned_shown == Decimal(7)  # was ₩0: US$0.005 → US$0.00 → ₩0
