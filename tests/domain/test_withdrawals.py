"""Withdrawal planner: daily cap, minimum, processing days, method fees and tax set-aside, to the cent."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from companion.domain.errors import ValidationError
from companion.domain.withdrawals import MethodFee, WithdrawalRules, check_cents, plan_withdrawals

DAY = date(2026, 11, 20)


def test_a_balance_over_the_daily_cap_is_spread_over_days() -> None:
    rules = WithdrawalRules(min_withdrawal_cents=1_000, daily_cap_cents=100_000, processing_days=15)
    fee = MethodFee(percent_bps=200, fixed_cents=25)  # 2 % + US$0.25
    plan = plan_withdrawals(250_050, rules, fee, DAY)  # US$2,500.50
    assert [(s.requested.day, s.arrives.day, s.gross_cents, s.fee_cents) for s in plan.steps] == [
        (20, 5, 100_000, 2_025),  # 2 % of 1,000.00 = 20.00, + 0.25
        (21, 6, 100_000, 2_025),
        (22, 7, 50_050, 1_026),  # 2 % of 500.50 = 10.01, + 0.25
    ]
    assert plan.steps[0].arrives == date(2026, 12, 5)
    assert plan.net_cents == 250_050 - 5_076 and plan.left_cents == 0


def test_tax_set_aside_comes_off_what_arrives_rounded_half_even() -> None:
    rules = WithdrawalRules(tax_set_aside_bps=2_500, processing_days=0)
    fee = MethodFee(percent_bps=0, fixed_cents=1)
    plan = plan_withdrawals(1_003, rules, fee, DAY)  # US$10.03 less 1 cent = 10.02; 25 % = 2.505 → 2.50
    (step,) = plan.steps
    assert (step.fee_cents, step.set_aside_cents, step.net_cents) == (1, 250, 752)
    assert step.arrives == DAY


def test_a_rest_below_the_minimum_stays_in_the_balance() -> None:
    rules = WithdrawalRules(min_withdrawal_cents=10_000, daily_cap_cents=100_000)
    plan = plan_withdrawals(105_000, rules, MethodFee(), DAY)
    assert [s.gross_cents for s in plan.steps] == [100_000]
    assert plan.left_cents == 5_000 and "below the minimum" in plan.message


def test_a_balance_below_the_minimum_plans_nothing_and_says_why() -> None:
    plan = plan_withdrawals(999, WithdrawalRules(min_withdrawal_cents=1_000), MethodFee(), DAY)
    assert plan.steps == () and plan.left_cents == 999
    assert plan.message == "the balance is below the minimum withdrawal of US$10.00"
    assert plan_withdrawals(0, WithdrawalRules(), MethodFee(), DAY).message == "nothing to withdraw yet"


def test_a_fee_never_exceeds_the_withdrawal() -> None:
    assert MethodFee(percent_bps=0, fixed_cents=500).on(300) == 300


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: check_cents(-1, "withdrawal"), "withdrawal"),
        (lambda: plan_withdrawals(-500, WithdrawalRules(), MethodFee(), DAY), "balance"),
        (lambda: WithdrawalRules(daily_cap_cents=0).checked(), "daily cap"),
        (lambda: WithdrawalRules(min_withdrawal_cents=-5).checked(), "minimum withdrawal"),
        (lambda: WithdrawalRules(min_withdrawal_cents=5_000, daily_cap_cents=4_000).checked(), "daily cap"),
        (lambda: WithdrawalRules(processing_days=-1).checked(), "processing days"),
        (lambda: WithdrawalRules(tax_set_aside_bps=10_001).checked(), "tax set-aside"),
        (lambda: MethodFee(percent_bps=-1).checked(), "fee percentage"),
        (lambda: MethodFee(fixed_cents=-1).checked(), "fixed fee"),
    ],
)
def test_bad_rules_are_refused_with_the_field(make: object, field: str) -> None:
    with pytest.raises(ValidationError) as info:
        make()  # type: ignore[operator]
    assert info.value.field == field


def test_negative_withdrawal_message_reads_as_money() -> None:
    with pytest.raises(ValidationError, match=r"withdrawal cannot be negative \(got US\$-12.50\)"):
        check_cents(-1250, "withdrawal")


@given(
    st.integers(min_value=0, max_value=10**9),
    st.integers(min_value=0, max_value=50_000),
    st.integers(min_value=1, max_value=200_000),
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=0, max_value=2_000),
    st.integers(min_value=0, max_value=10_000),
)
def test_plan_accounts_for_every_cent(
    balance: int, minimum: int, cap: int, fee_bps: int, fixed: int, tax_bps: int
) -> None:
    rules = WithdrawalRules(minimum, cap, 15, tax_bps)
    if cap < minimum:
        with pytest.raises(ValidationError, match="below the minimum"):
            plan_withdrawals(balance, rules, MethodFee(fee_bps, fixed), DAY)
        return
    plan = plan_withdrawals(balance, rules, MethodFee(fee_bps, fixed), DAY)
    assert plan.gross_cents + plan.left_cents == balance
    for step in plan.steps:
        assert max(minimum, 1) <= step.gross_cents <= cap
        assert 0 <= step.net_cents <= step.gross_cents
        assert step.fee_cents + step.set_aside_cents + step.net_cents == step.gross_cents
