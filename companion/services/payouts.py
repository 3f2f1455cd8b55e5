"""Payouts: the ledger of withdrawals, the balance not yet withdrawn, reconciliation with TikTok's own figure,
the withdrawal planner and goals. Ledger amounts are US cents (TikTok pays out in US dollars)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal

from sqlmodel import Session

from companion.domain.currency import DisplayRate, check_currency, convert_to_usd, rate_on
from companion.domain.economics import cash_for_diamonds, usd_per_diamond
from companion.domain.errors import ValidationError
from companion.domain.goals import Goal, GoalNeeds, check_goal, goal_needs
from companion.domain.money import C_NUMBERS, NumberSymbols, from_minor, parse_amount, quantize, to_minor
from companion.domain.projection import project
from companion.domain.text import clean_text
from companion.domain.timeutil import local_midnight_utc, to_local, zone
from companion.domain.withdrawals import (
    MAX_CENTS,
    BalanceCheck,
    Payout,
    WithdrawalPlan,
    check_cents,
    check_status,
    plan_withdrawals,
)
from companion.services.economics import EconomicsService
from companion.services.projections import CashBand, ProjectionService, cash_band
from companion.services.shares import load_book, priced_between
from companion.store.db import Database
from companion.store.economics_repo import GoalRepo, PayoutRepo, RateRepo
from companion.store.methods_repo import MethodRepo
from companion.store.repositories import GiftRepo, ProfileRepo, StreamRepo

MAX_NOTES = 500
MAX_DIAMONDS = 10**15


@dataclass(frozen=True)
class Balance:
    """Not withdrawn, in money: cash earned (each gift at the share it earned) minus the US dollars of payouts
    requested or paid. Diamonds are beside it for information only: a payout never re-prices history."""

    earned_diamonds: int
    withdrawn_diamonds: int
    share_bps: int  # today's share (what-if and projections), not what the balance was priced at
    usd: Decimal  # cash not withdrawn in US dollars, rounded once (0 when payouts exceed what the app tracked)
    shown: Decimal  # the same in the display currency
    currency: str
    earned_usd: Decimal = Decimal(0)  # all gifts, each at its own share, rounded once
    withdrawn_usd: Decimal = Decimal(0)  # payouts not failed (their gross amount)

    @property
    def diamonds(self) -> int:
        return self.earned_diamonds - self.withdrawn_diamonds


@dataclass(frozen=True)
class Reconciliation:
    """TikTok's balance against ours at the same moment; `gap` > 0: TikTok shows more than the app tracked."""

    check: BalanceCheck
    tracked_diamonds: int
    share_bps: int
    #: The app's balance now. When it differs from `tracked_diamonds`, gifts or payouts came in since the check
    #: and TikTok's figure describes an older state: the check is stale until TikTok's balance is typed again.
    tracked_now: int | None = None

    @property
    def gap_diamonds(self) -> int:
        return self.check.diamonds_shown - self.tracked_diamonds

    @property
    def stale(self) -> bool:
        return self.tracked_now is not None and self.tracked_now != self.tracked_diamonds

    def causes(self) -> str:
        """What can explain the gap, both ways: each cause moves it in one direction, so one can hide another."""
        return gap_causes(self.gap_diamonds)

    @property
    def gap_usd(self) -> Decimal:
        gap = self.gap_diamonds
        cash = cash_for_diamonds(abs(gap), self.share_bps)
        return cash if gap >= 0 else -cash


def gap_causes(gap_diamonds: int) -> str:
    """The reconciliation's explanation: gifts not logged raise TikTok's balance above the app's; withdrawals
    not recorded lower it below. Both are named whichever way the gap goes."""
    if gap_diamonds == 0:
        return "No gap: the app's balance matches TikTok's."
    find_gifts = (
        "the per-LIVE check on the Streams page (File → Import TikTok data download…) shows which LIVEs miss gifts"
    )
    if gap_diamonds < 0:
        return (
            "Withdrawals not recorded here lower TikTok's balance but not the app's: record each one with "
            "“Record payout…”. Gifts not logged here pull the other way and can hide part of that gap — "
            f"{find_gifts}. Gifts logged twice, or not credited by TikTok yet, also make TikTok show less."
        )
    return (
        f"Gifts not logged here raise TikTok's balance but not the app's — {find_gifts}. Withdrawals not recorded "
        "here pull the other way and can hide part of that gap; a payout recorded here that TikTok did not make "
        "also makes TikTok show more."
    )


@dataclass(frozen=True)
class PaymentMethodChoice:
    """A payment method as the payout dialog lists it (read-only: methods are managed elsewhere)."""

    id: int
    kind: str
    label: str
    hint: str


@dataclass(frozen=True)
class GoalProgress:
    goal: Goal
    target_usd: Decimal
    earned_usd: Decimal  # since the local day the goal was set, at the current share
    needs: GoalNeeds
    by_due: CashBand | None  # earned + the band of the days left, in the goal's currency (None: past due)
    earned_shown: Decimal = Decimal(0)  # `earned_usd` in the goal's currency

    @property
    def fraction(self) -> Decimal:
        return min(self.earned_usd / self.target_usd, Decimal(1)) if self.target_usd else Decimal(1)


def parse_usd(text: str | Decimal, field: str, symbols: NumberSymbols = C_NUMBERS) -> int:
    """Typed dollars as cents, in the locale's number format (`symbols`; the command line's: '1250.50', no
    grouping); negatives, words, ambiguous text ('12,50') and fractions of a cent refused."""
    return check_cents(int(parse_amount(text, symbols, "USD", field=field) * 100), field)


class PayoutService:
    def __init__(
        self,
        db: Database,
        profile_id: int,
        clock: Callable[[], datetime],
        economics: EconomicsService,
        projections: ProjectionService,
    ) -> None:
        self.db = db
        self.profile_id = profile_id
        self.clock = clock
        self.economics = economics
        self.projections = projections

    # ---- ledger -----------------------------------------------------------------------------------------

    def ledger(self, first: date | None = None, last: date | None = None) -> list[Payout]:
        """Payouts requested on local dates `first`..`last` (both inclusive; None leaves a side open), newest
        first, each with its method's label ("" when none)."""
        with self.db.session() as s:
            tz = zone(ProfileRepo(s).get(self.profile_id).time_zone)
            start = local_midnight_utc(first, tz) if first is not None else None
            end = local_midnight_utc(last + timedelta(days=1), tz) if last is not None else None
            return PayoutRepo(s).list(self.profile_id, start, end)

    def methods(self) -> list[PaymentMethodChoice]:
        """This profile's payment methods (id, kind, label, masked hint) to pick from."""
        with self.db.session() as s:
            return [PaymentMethodChoice(m.id, m.kind, m.label, m.hint) for m in MethodRepo(s).all(self.profile_id)]

    def record(
        self,
        gross_usd: str | Decimal,
        requested_at: datetime | None = None,
        status: str = "requested",
        method_id: int | None = None,
        fee_usd: str | Decimal | None = None,
        diamonds: int | None = None,
        paid_at: datetime | None = None,
        notes: str = "",
        payout_id: int = 0,
    ) -> Payout:
        """Add a payout (or change the one with `payout_id`). Without `fee_usd` the method kind's fee applies;
        without `diamonds`, the amount at the current share (rounded half-even). Refused whole on bad input."""
        gross = parse_usd(gross_usd, "amount")
        if gross == 0:
            raise ValidationError("a withdrawal needs an amount above 0", field="amount")
        check_status(status)
        when = requested_at if requested_at is not None else self.clock()
        if when.tzinfo is None:
            raise ValidationError("the request time has no time zone", field="requested")
        if status == "paid":
            paid_at = paid_at if paid_at is not None else self.clock()
            if paid_at < when:
                raise ValidationError("a payout cannot be paid before it was requested", field="paid")
        else:
            paid_at = None
        cleaned = clean_text(notes, "notes", MAX_NOTES)
        with self.db.session() as s:  # informational diamonds at the share in force that day, not today's
            book = load_book(s, self.profile_id, self.clock(), when.date(), when.date())
            share = book.loose_share(book.period_on(to_local(when, book.zone).date()))
        if diamonds is None:
            per = usd_per_diamond(share)
            if per == 0:
                raise ValidationError("at a 0 % share the diamonds of a payout must be given", field="diamonds")
            exact = Decimal(gross) / 100 / per
            diamonds = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
        if isinstance(diamonds, bool) or not isinstance(diamonds, int) or not 0 <= diamonds <= MAX_DIAMONDS:
            raise ValidationError(f"diamonds must be a whole number, 0 or more (got {diamonds!r})", field="diamonds")
        with self.db.session(write=True) as s:
            repo = PayoutRepo(s)
            kind = repo.method_kind(self.profile_id, method_id) if method_id is not None else None
            if fee_usd is not None:
                fee = parse_usd(fee_usd, "fee")
            else:
                fee = self.economics.fees()[kind].on(gross) if kind is not None else 0
            if fee > gross:
                raise ValidationError("the fee is larger than the withdrawal", field="fee")
            saved = repo.save(
                self.profile_id,
                Payout(payout_id, when, paid_at, status, diamonds, gross, fee, method_id, "", cleaned),
            )
            s.commit()
            return repo.get(self.profile_id, saved)

    def set_status(self, payout_id: int, status: str, paid_at: datetime | None = None) -> Payout:
        """Mark a payout requested, paid (now, or `paid_at`) or failed (its diamonds return to the balance)."""
        check_status(status)
        with self.db.session(write=True) as s:
            repo = PayoutRepo(s)
            payout = repo.get(self.profile_id, payout_id)
            # marked paid "now" but requested later the same day (a date typed as noon): paid when requested
            paid = (paid_at or max(self.clock(), payout.requested_at)) if status == "paid" else None
            if paid is not None and paid < payout.requested_at:
                raise ValidationError("a payout cannot be paid before it was requested", field="paid")
            repo.save(self.profile_id, replace(payout, status=status, paid_at=paid))
            s.commit()
            return repo.get(self.profile_id, payout_id)

    def remove(self, payout_id: int) -> None:
        with self.db.session(write=True) as s:
            PayoutRepo(s).delete(self.profile_id, payout_id)
            s.commit()

    # ---- balance and reconciliation ---------------------------------------------------------------------

    def balance(self) -> Balance:
        """Cash earned (each gift at the share in force for it) minus payouts not failed, in US dollars; the
        diamonds received and taken by payouts beside it."""
        with self.db.session() as s:
            repo = PayoutRepo(s)
            withdrawn, withdrawn_cents = repo.withdrawn_diamonds(self.profile_id), repo.withdrawn_cents(self.profile_id)
            priced = priced_between(s, load_book(s, self.profile_id, self.clock()), None, None)
        share = self.economics.share_bps()
        display = self.economics.display()
        earned_usd, withdrawn_usd = quantize(priced.usd, "USD"), from_minor(withdrawn_cents, "USD")
        left = max(priced.usd - withdrawn_usd, Decimal(0))
        return Balance(
            priced.totals.diamonds, withdrawn, share, quantize(left, "USD"), display.from_usd(left), display.currency,
            earned_usd, withdrawn_usd,
        )  # fmt: skip

    def reconcile(self, diamonds_shown: int, at: datetime | None = None) -> Reconciliation:
        """Store the diamond balance TikTok shows now and compare it with the app's balance at that moment."""
        if isinstance(diamonds_shown, bool) or not isinstance(diamonds_shown, int) or diamonds_shown < 0:
            raise ValidationError(
                f"TikTok's balance must be a whole number of diamonds, 0 or more (got {diamonds_shown!r})",
                field="balance",
            )
        when = at if at is not None else self.clock()
        with self.db.session(write=True) as s:
            check = PayoutRepo(s).add_check(self.profile_id, when, diamonds_shown)
            tracked = self._tracked(s, when)
            now = self._tracked(s, max(when, self.clock()))
            s.commit()
        return Reconciliation(check, tracked, self.economics.share_bps(), now)

    def _tracked(self, s: Session, when: datetime) -> int:
        """The app's balance at `when`, the moment itself included (a gift logged in that very millisecond
        was in TikTok's figure too)."""
        until = when + timedelta(milliseconds=1)
        repo = PayoutRepo(s)
        return repo.earned_diamonds(self.profile_id, until) - repo.withdrawn_diamonds(self.profile_id, until)

    def last_reconciliation(self) -> Reconciliation | None:
        with self.db.session() as s:
            check = PayoutRepo(s).latest_check(self.profile_id)
            if check is None:
                return None
            tracked = self._tracked(s, check.checked_at)
            now = self._tracked(s, max(check.checked_at, self.clock()))
        return Reconciliation(check, tracked, self.economics.share_bps(), now)

    # ---- planner ----------------------------------------------------------------------------------------

    def plan(self, kind: str = "other", start: date | None = None) -> WithdrawalPlan:
        """What the unwithdrawn balance allows to withdraw, day by day from `start` (default today), net of
        the `kind` method's fee and the tax set-aside."""
        fees = self.economics.fees()
        if kind not in fees:
            raise ValidationError(f"method kind must be one of {', '.join(fees)} (got '{kind}')", field="kind")
        cents = min(to_minor(self.balance().usd, "USD"), MAX_CENTS)
        return plan_withdrawals(cents, self.economics.rules(), fees[kind], start or self.economics.today())

    # ---- goals ------------------------------------------------------------------------------------------

    def add_goal(self, title: str, target: str | Decimal, due: date, currency: str | None = None) -> Goal:
        """A goal of `target` in `currency` (default: the display currency) by local date `due`. Text is read by
        the command line's rule; the GUI parses in the person's locale and hands over a Decimal."""
        code = currency or self.economics.display().currency
        minor = to_minor(parse_amount(target, C_NUMBERS, check_currency(code), field="target"), code)
        cleaned = clean_text(title, "title", 80)
        check_goal(cleaned, minor, due, self.economics.today())
        with self.db.session(write=True) as s:
            if code != "USD" and rate_on(RateRepo(s).all(), code, due) is None:
                raise ValidationError(f"enter a {code} exchange rate first", field="currency")
            goal_id = GoalRepo(s).add(self.profile_id, cleaned, minor, code, due, self.clock())
            s.commit()
        return next(g for g in self.goals_raw() if g.id == goal_id)

    def goals_raw(self) -> list[Goal]:
        with self.db.session() as s:
            return GoalRepo(s).all(self.profile_id)

    def remove_goal(self, goal_id: int) -> None:
        with self.db.session(write=True) as s:
            GoalRepo(s).delete(self.profile_id, goal_id)
            s.commit()

    def goals(self) -> list[GoalProgress]:
        """Every goal with its progress, what it still needs and the band of where it will probably land."""
        today = self.economics.today()
        share = self.economics.share_bps()
        with self.db.session() as s:
            tz = zone(ProfileRepo(s).get(self.profile_id).time_zone)
            goals = GoalRepo(s).all(self.profile_id)
            rates = RateRepo(s).all()
            average = self._stream_average(s)
            earned_by_goal = {
                g.id: GiftRepo(s)
                .totals(self.profile_id, local_midnight_utc(to_local(g.created_at, tz).date(), tz), None)
                .diamonds
                for g in goals
            }
        history = self.projections.history(today - timedelta(days=1)) if goals else None
        progress = []
        for goal in goals:
            rate = rate_on(rates, goal.currency, goal.due)
            per_usd = rate.per_usd if rate is not None else Decimal(1)
            target_usd = convert_to_usd(from_minor(goal.target_minor, goal.currency), per_usd, goal.currency)
            earned = earned_by_goal[goal.id]
            earned_usd = cash_for_diamonds(earned, share)
            needs = goal_needs(target_usd, earned_usd, share, today, goal.due, average)
            band = None
            shown = DisplayRate(goal.currency, per_usd)
            if goal.due > today and history is not None:
                rest = project(history, today + timedelta(days=1), (goal.due - today).days).total.plus(earned)
                band = cash_band(rest, share, shown)
            progress.append(GoalProgress(goal, target_usd, earned_usd, needs, band, shown.cash(earned, share)))
        return progress

    def _stream_average(self, s: Session) -> int | None:
        """Average diamonds of the last 50 ended streams (None without any)."""
        streams = [st for st in StreamRepo(s).recent(self.profile_id, 50) if not st.is_live]
        if not streams:
            return None
        totals = GiftRepo(s).totals_by_stream([st.id for st in streams])
        return sum(t.diamonds for t in totals.values()) // len(streams) or None
