"""Withdrawal rules, method fees and the planner: what can be withdrawn when, net of fees and tax set-aside.
Amounts are integer US cents (TikTok pays out in USD); percentages are basis points."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

from companion.domain.errors import ValidationError

DEFAULT_DAILY_CAP_CENTS = 100_000  # US$1,000 a day
DEFAULT_PROCESSING_DAYS = 15
MAX_CENTS = 10**13  # US$100 billion: far above any balance, far inside 64-bit integers
MAX_PLAN_ROWS = 366
METHOD_KINDS = ("paypal", "bank", "payoneer", "other")


def check_cents(value: int, field: str, allow_zero: bool = True) -> int:
    """A non-negative whole number of cents (a withdrawal, a fee, a minimum)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"{field} must be a whole number of cents (got {value!r})", field=field)
    if value < 0:
        raise ValidationError(f"{field} cannot be negative (got {_usd(value)})", field=field)
    if value == 0 and not allow_zero:
        raise ValidationError(f"{field} must be more than 0", field=field)
    if value > MAX_CENTS:
        raise ValidationError(f"{field} is implausibly large", field=field)
    return value


def _usd(cents: int) -> str:
    return f"US${Decimal(cents).scaleb(-2):,.2f}"


def check_bps(value: int, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10_000:
        raise ValidationError(f"{field} must be between 0 % and 100 % (got {value!r} bps)", field=field)
    return value


def percent_of(cents: int, bps: int) -> int:
    """`bps` basis points of `cents`, rounded once, half-even, to the cent."""
    exact = Decimal(cents) * bps / 10_000
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


@dataclass(frozen=True)
class WithdrawalRules:
    min_withdrawal_cents: int = 0
    daily_cap_cents: int = DEFAULT_DAILY_CAP_CENTS
    processing_days: int = DEFAULT_PROCESSING_DAYS
    tax_set_aside_bps: int = 0

    def checked(self) -> WithdrawalRules:
        """The same rules, or a ValidationError naming the first bad field."""
        check_cents(self.min_withdrawal_cents, "minimum withdrawal")
        check_cents(self.daily_cap_cents, "daily cap", allow_zero=False)
        if self.daily_cap_cents < self.min_withdrawal_cents:
            raise ValidationError(
                "the daily cap is below the minimum withdrawal: nothing could be withdrawn", field="daily cap"
            )
        if isinstance(self.processing_days, bool) or not isinstance(self.processing_days, int):
            raise ValidationError("processing days must be a whole number", field="processing days")
        if not 0 <= self.processing_days <= 365:
            raise ValidationError(
                f"processing days must be 0 to 365 (got {self.processing_days})", field="processing days"
            )
        check_bps(self.tax_set_aside_bps, "tax set-aside")
        return self


@dataclass(frozen=True)
class MethodFee:
    """What a method kind charges per withdrawal: a percentage plus a fixed amount."""

    percent_bps: int = 0
    fixed_cents: int = 0

    def checked(self) -> MethodFee:
        check_bps(self.percent_bps, "fee percentage")
        check_cents(self.fixed_cents, "fixed fee")
        return self

    def on(self, gross_cents: int) -> int:
        """The fee on one withdrawal of `gross_cents`, never more than the withdrawal itself."""
        check_cents(gross_cents, "withdrawal")
        return min(gross_cents, percent_of(gross_cents, self.percent_bps) + self.fixed_cents)


@dataclass(frozen=True)
class PlannedWithdrawal:
    requested: date
    arrives: date
    gross_cents: int
    fee_cents: int
    set_aside_cents: int

    @property
    def net_cents(self) -> int:
        """What lands in the account and may be spent: gross less the fee less the tax set-aside."""
        return self.gross_cents - self.fee_cents - self.set_aside_cents


@dataclass(frozen=True)
class WithdrawalPlan:
    steps: tuple[PlannedWithdrawal, ...]
    left_cents: int  # below the minimum (or beyond the plan's horizon): stays in the balance
    message: str

    @property
    def gross_cents(self) -> int:
        return sum(s.gross_cents for s in self.steps)

    @property
    def fee_cents(self) -> int:
        return sum(s.fee_cents for s in self.steps)

    @property
    def set_aside_cents(self) -> int:
        return sum(s.set_aside_cents for s in self.steps)

    @property
    def net_cents(self) -> int:
        return sum(s.net_cents for s in self.steps)


def plan_withdrawals(balance_cents: int, rules: WithdrawalRules, fee: MethodFee, start: date) -> WithdrawalPlan:
    """Withdraw the balance as fast as the rules allow: one request a day from `start`, each at most the daily
    cap and at least the minimum; each arrives after the processing days. The tax set-aside is taken from what
    arrives (gross less fee). A rest below the minimum stays in the balance."""
    check_cents(balance_cents, "balance")
    rules.checked()
    fee.checked()
    minimum = max(rules.min_withdrawal_cents, 1)
    steps: list[PlannedWithdrawal] = []
    left = balance_cents
    day = start
    while left >= minimum and len(steps) < MAX_PLAN_ROWS:
        gross = min(left, rules.daily_cap_cents)
        charged = fee.on(gross)
        set_aside = percent_of(gross - charged, rules.tax_set_aside_bps)
        steps.append(PlannedWithdrawal(day, day + timedelta(days=rules.processing_days), gross, charged, set_aside))
        left -= gross
        day += timedelta(days=1)
    if not steps:
        message = (
            "nothing to withdraw yet"
            if balance_cents == 0
            else f"the balance is below the minimum withdrawal of {_usd(rules.min_withdrawal_cents)}"
        )
    elif left >= minimum:
        message = f"{len(steps)} daily withdrawals shown; the rest follows in the same way"
    elif left:
        message = "the rest is below the minimum withdrawal and stays in the balance"
    else:
        message = ""
    return WithdrawalPlan(tuple(steps), left, message)


PAYOUT_STATUSES = ("requested", "paid", "failed")


@dataclass(frozen=True)
class Payout:
    """A withdrawal in the ledger. A failed one gives its diamonds back to the balance."""

    id: int
    requested_at: datetime
    paid_at: datetime | None
    status: str  # requested | paid | failed
    diamonds: int
    gross_cents: int
    fee_cents: int
    method_id: int | None
    method_label: str  # "" when no method was picked (or it was removed)
    notes: str = ""

    @property
    def net_cents(self) -> int:
        return self.gross_cents - self.fee_cents


@dataclass(frozen=True)
class BalanceCheck:
    """What TikTok showed the creator as their diamond balance at a moment."""

    id: int
    checked_at: datetime
    diamonds_shown: int


def check_status(status: str) -> str:
    if status not in PAYOUT_STATUSES:
        raise ValidationError(f"status must be one of {', '.join(PAYOUT_STATUSES)} (got '{status}')", field="status")
    return status
