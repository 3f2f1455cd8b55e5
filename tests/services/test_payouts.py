"""Payouts ledger, balance, reconciliation, planner and goals; bad input refused with nothing changed."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from companion.domain.errors import NotFound, ValidationError
from companion.domain.withdrawals import MethodFee, WithdrawalRules
from companion.services import Services
from companion.store.tables import PaymentMethodRow
from tests.conftest import FakeClock


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _method(services: Services, kind: str = "paypal", label: str = "PayPal main") -> int:
    """A payment-method row as the methods feature stores it (its secrets would be in the keyring)."""
    with services.db.session() as s:
        row = PaymentMethodRow(
            profile_id=services.profile_id, kind=kind, label=label, hint="p•••@example.com",
            keyring_service="io.creatorcompanion.test", keyring_ref="ref", fields="email",
            created_at=_at("2026-11-01T00:00:00+00:00"),
        )  # fmt: skip
        s.add(row)
        s.commit()
        assert row.id is not None
        return row.id


def _ledger_and_balance(services: Services) -> tuple[object, object]:
    return services.payouts.ledger(), services.payouts.balance()


def test_balance_is_earned_minus_payouts_that_did_not_fail(services: Services) -> None:
    services.gifts.log("Rose", 30_001, "a", at=_at("2026-11-10T20:00:00+00:00"))
    balance = services.payouts.balance()
    assert (balance.diamonds, balance.usd) == (30_001, Decimal("150.00"))  # 150.005 → half-even 150.00
    first = services.payouts.record("100.00", requested_at=_at("2026-11-12T10:00:00+00:00"))
    assert first.diamonds == 20_000 and first.status == "requested"
    assert services.payouts.balance().usd == Decimal("50.00")  # 10,001 × 0.005 = 50.005 → 50.00
    services.payouts.set_status(first.id, "failed")
    assert services.payouts.balance().diamonds == 30_001  # a failed payout gives its diamonds back
    paid = services.payouts.set_status(first.id, "paid")
    assert paid.paid_at is not None and services.payouts.balance().diamonds == 10_001


def test_method_fee_applies_by_kind_and_the_ledger_names_the_method(services: Services) -> None:
    method = _method(services)
    services.economics.set_fee("paypal", MethodFee(percent_bps=250, fixed_cents=30))
    payout = services.payouts.record("200.50", method_id=method, notes="November")
    # 2.5 % of 200.50 = 5.0125 → 5.01 (half-even), + 0.30
    assert (payout.gross_cents, payout.fee_cents, payout.net_cents) == (20_050, 531, 19_519)
    assert payout.method_label == "PayPal main"
    assert [p.notes for p in services.payouts.ledger()] == ["November"]
    assert [m.label for m in services.payouts.methods()] == ["PayPal main"]


def test_ledger_by_local_dates_newest_first(services: Services) -> None:
    for day in ("2026-10-31T12:00", "2026-11-01T12:00", "2026-11-15T12:00"):
        services.payouts.record("5", requested_at=_at(day + ":00+00:00"), diamonds=0)
    assert [p.requested_at.day for p in services.payouts.ledger(date(2026, 11, 1), date(2026, 11, 30))] == [15, 1]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"gross_usd": "-10"}, "amount"),
        ({"gross_usd": "0"}, "amount"),
        ({"gross_usd": "ten"}, "amount"),
        ({"gross_usd": "10.005"}, "amount"),
        ({"gross_usd": "10", "fee_usd": "-1"}, "fee"),
        ({"gross_usd": "10", "fee_usd": "11"}, "fee"),
        ({"gross_usd": "10", "status": "lost"}, "status"),
        ({"gross_usd": "10", "diamonds": -5}, "diamonds"),
        ({"gross_usd": "10", "status": "paid", "paid_at": _at("2026-11-01T00:00:00+00:00")}, "paid"),
    ],
)
def test_bad_payouts_are_refused_and_nothing_changes(services: Services, kwargs: dict[str, object], field: str) -> None:
    services.gifts.log("Rose", 5000, "a")
    before = _ledger_and_balance(services)
    with pytest.raises(ValidationError) as info:
        services.payouts.record(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field and str(info.value)
    assert _ledger_and_balance(services) == before


def test_unknown_method_and_payout_are_refused(services: Services) -> None:
    with pytest.raises(NotFound):
        services.payouts.record("10", method_id=999)
    with pytest.raises(NotFound):
        services.payouts.set_status(999, "paid")
    assert services.payouts.ledger() == []


def test_reconciliation_shows_the_gap_to_tiktoks_balance(services: Services, clock: FakeClock) -> None:
    services.gifts.log("Rose", 10_000, "a")  # at the clock's "now"
    services.payouts.record("20.00")  # 4,000 diamonds
    result = services.payouts.reconcile(6_250)
    assert (result.tracked_diamonds, result.gap_diamonds, result.gap_usd) == (6_000, 250, Decimal("1.25"))
    clock.advance(hours=1)
    services.gifts.log("Rose", 100, "a")  # after the check: not part of it
    last = services.payouts.last_reconciliation()
    assert last is not None and last.gap_diamonds == 250
    assert services.payouts.reconcile(5_999).gap_usd == Decimal("-0.50")  # 6,100 tracked now: 101 × 0.005
    with pytest.raises(ValidationError):
        services.payouts.reconcile(-1)


def test_planner_spreads_the_balance_over_days_net_of_fee_and_set_aside(services: Services) -> None:
    services.gifts.log("Big one", 10, "whale", coins_each=44_999)  # 449,990 diamonds = US$2,249.95
    services.economics.set_rules(WithdrawalRules(min_withdrawal_cents=10_000, daily_cap_cents=100_000,
                                                 processing_days=15, tax_set_aside_bps=2_000))  # fmt: skip
    services.economics.set_fee("bank", MethodFee(percent_bps=0, fixed_cents=500))
    plan = services.payouts.plan("bank")
    assert [(s.requested, s.gross_cents) for s in plan.steps] == [
        (date(2026, 11, 20), 100_000), (date(2026, 11, 21), 100_000), (date(2026, 11, 22), 24_995),
    ]  # fmt: skip
    assert plan.steps[0].arrives == date(2026, 12, 5)
    # last step: 249.95 − 5.00 fee = 244.95; 20 % set aside = 48.99; net 195.96
    assert (plan.steps[2].fee_cents, plan.steps[2].set_aside_cents, plan.steps[2].net_cents) == (500, 4_899, 19_596)
    with pytest.raises(ValidationError):
        services.payouts.plan("crypto")


def test_goal_progress_and_what_it_needs(services: Services, clock: FakeClock) -> None:
    services.gifts.log("Rose", 4_000, "a", at=clock.now - timedelta(days=3))  # before the goal: not counted
    stream = services.streams.go_live("Friday")
    services.gifts.log("Rose", 6_000, "a")
    services.streams.end(stream.id)
    goal = services.payouts.add_goal("New camera", "250", date(2026, 11, 29))
    (progress,) = services.payouts.goals()
    assert progress.goal == goal and progress.earned_usd == Decimal("30.00")
    # US$220 more at 0.005 = 44,000 diamonds over 10 days (20–29 Nov); average stream 6,000 → 8 streams
    assert (progress.needs.diamonds, progress.needs.per_day, progress.needs.streams) == (44_000, 4_400, 8)
    assert progress.by_due is not None and progress.by_due.p10 <= progress.by_due.p90
    assert progress.fraction == Decimal("0.12")
    services.payouts.remove_goal(goal.id)
    assert services.payouts.goals() == []


@pytest.mark.parametrize(
    ("target", "due", "currency", "field"),
    [("0", date(2026, 12, 1), None, "target"), ("-5", date(2026, 12, 1), None, "target"),
     ("12.345", date(2026, 12, 1), None, "target"), ("100", date(2026, 11, 1), None, "due"),
     ("100", date(2026, 12, 1), "EUR", "currency")],
)  # fmt: skip
def test_bad_goals_are_refused(services: Services, target: str, due: date, currency: str | None, field: str) -> None:
    with pytest.raises(ValidationError) as info:
        services.payouts.add_goal("x", target, due, currency)
    assert info.value.field == field
    assert services.payouts.goals() == []


def test_a_goal_in_another_currency_converts_once_each_way(services: Services) -> None:
    services.economics.set_rate("EUR", "0.9", date(2026, 11, 1))
    services.gifts.log("Rose", 2_000, "a")  # US$10.00 at 50 %
    services.payouts.add_goal("Trip", "90", date(2026, 12, 20), "EUR")
    (progress,) = services.payouts.goals()
    assert progress.target_usd == Decimal("100.00")  # €90 / 0.9
    assert (progress.earned_usd, progress.earned_shown) == (Decimal("10.00"), Decimal("9.00"))
    assert progress.needs.diamonds == 18_000


def test_marking_paid_a_payout_dated_later_today_keeps_the_order(services: Services, clock: FakeClock) -> None:
    # requested "today" from a date picker (noon), marked paid in the morning: paid when requested, not refused
    later_today = clock.now + timedelta(hours=3)
    payout = services.payouts.record("10", requested_at=later_today, diamonds=0)
    paid = services.payouts.set_status(payout.id, "paid")
    assert paid.paid_at == later_today
