"""Repositories for the money side: reward schemes and levels, the profile's economics, method fees, exchange
rates, the payouts ledger, balance checks and goals. They take a Session and return domain records."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import func
from sqlmodel import Session, col, select

from companion.domain.currency import ExchangeRate
from companion.domain.errors import NotFound
from companion.domain.goals import Goal
from companion.domain.schemes import Level, Scheme
from companion.domain.withdrawals import BalanceCheck, MethodFee, Payout, WithdrawalRules
from companion.store.tables import (
    BalanceCheckRow,
    ExchangeRateRow,
    GiftEventRow,
    GoalRow,
    MethodFeeRow,
    PaymentMethodRow,
    PayoutRow,
    ProfileEconomicsRow,
    RewardLevelRow,
    RewardSchemeRow,
)
from companion.store.types import from_millis


class SchemeRepo:
    """Schemes with their levels; `ids` maps (scheme key, level name) to row ids for the profile's choice."""

    def __init__(self, session: Session) -> None:
        self.s = session

    def _levels(self, scheme_id: int) -> list[RewardLevelRow]:
        query = (
            select(RewardLevelRow)
            .where(RewardLevelRow.scheme_id == scheme_id)
            .order_by(col(RewardLevelRow.position), col(RewardLevelRow.share_bps), col(RewardLevelRow.id))
        )
        return list(self.s.exec(query))

    def _scheme(self, row: RewardSchemeRow) -> Scheme:
        assert row.id is not None
        levels = tuple(Level(lv.name, lv.share_bps, lv.note) for lv in self._levels(row.id))
        return Scheme(row.key, row.name, levels, row.note, editable=not row.preset)

    def all(self) -> list[Scheme]:
        return [self._scheme(r) for r in self.s.exec(select(RewardSchemeRow).order_by(col(RewardSchemeRow.id)))]

    def row(self, key: str) -> RewardSchemeRow:
        found = self.s.exec(select(RewardSchemeRow).where(RewardSchemeRow.key == key)).first()
        if found is None:
            raise NotFound(f"reward scheme '{key}' does not exist")
        return found

    def get(self, key: str) -> Scheme:
        return self._scheme(self.row(key))

    def by_id(self, scheme_id: int) -> Scheme | None:
        row = self.s.get(RewardSchemeRow, scheme_id)
        return self._scheme(row) if row is not None else None

    def level_row(self, level_id: int) -> RewardLevelRow | None:
        return self.s.get(RewardLevelRow, level_id)

    def level_id(self, scheme_key: str, level_name: str) -> tuple[int, int]:
        """(scheme id, level id) of a level, by the level's exact (validated) name."""
        scheme = self.row(scheme_key)
        assert scheme.id is not None
        for level in self._levels(scheme.id):
            if level.name == level_name:
                assert level.id is not None
                return scheme.id, level.id
        raise NotFound(f"level '{level_name}' is not in '{scheme.name}'")

    def upsert(self, scheme: Scheme, replace_levels: bool) -> bool:
        """Create the scheme, or bring its name and note up to date; its levels are replaced only when
        `replace_levels` (presets) or when it is new. Returns whether anything changed."""
        row = self.s.exec(select(RewardSchemeRow).where(RewardSchemeRow.key == scheme.key)).first()
        new = row is None
        if row is None:
            row = RewardSchemeRow(key=scheme.key, name=scheme.name, note=scheme.note, preset=not scheme.editable)
        changed = new or (row.name, row.note) != (scheme.name, scheme.note)
        row.name, row.note = scheme.name, scheme.note
        self.s.add(row)
        self.s.flush()
        if new or replace_levels:
            assert row.id is not None
            changed = self.set_levels(row.id, scheme.levels) or changed
        return changed

    def set_levels(self, scheme_id: int, levels: Sequence[Level]) -> bool:
        """Make the scheme's levels exactly `levels` (already validated). Levels keep their row by name, so a
        profile on a level that stays keeps it; a level that goes is deleted (the profile's choice is cleared)."""
        existing = {lv.name: lv for lv in self._levels(scheme_id)}
        changed = False
        for position, level in enumerate(levels):
            row = existing.pop(level.name, None)
            if row is None:
                row = RewardLevelRow(scheme_id=scheme_id, name=level.name, share_bps=level.share_bps)
                changed = True
            elif (row.share_bps, row.note, row.position) != (level.share_bps, level.note, position):
                changed = True
            row.share_bps, row.note, row.position = level.share_bps, level.note, position
            self.s.add(row)
        for gone in existing.values():
            self.s.delete(gone)
            changed = True
        self.s.flush()
        return changed


class ProfileEconomicsRepo:
    def __init__(self, session: Session) -> None:
        self.s = session

    def row(self, profile_id: int) -> ProfileEconomicsRow:
        """The profile's economics row, created with the defaults when missing."""
        row = self.s.get(ProfileEconomicsRow, profile_id)
        if row is None:
            row = ProfileEconomicsRow(profile_id=profile_id)
            self.s.add(row)
            self.s.flush()
        return row

    def existing(self, profile_id: int) -> ProfileEconomicsRow | None:
        return self.s.get(ProfileEconomicsRow, profile_id)

    def rules(self, profile_id: int) -> WithdrawalRules:
        row = self.s.get(ProfileEconomicsRow, profile_id) or ProfileEconomicsRow(profile_id=profile_id)
        return WithdrawalRules(
            row.min_withdrawal_cents, row.daily_cap_cents, row.processing_days, row.tax_set_aside_bps
        )

    def set_rules(self, profile_id: int, rules: WithdrawalRules) -> None:
        row = self.row(profile_id)
        row.min_withdrawal_cents = rules.min_withdrawal_cents
        row.daily_cap_cents = rules.daily_cap_cents
        row.processing_days = rules.processing_days
        row.tax_set_aside_bps = rules.tax_set_aside_bps
        self.s.add(row)
        self.s.flush()

    def fees(self, profile_id: int) -> dict[str, MethodFee]:
        rows = self.s.exec(select(MethodFeeRow).where(MethodFeeRow.profile_id == profile_id))
        return {r.kind: MethodFee(r.percent_bps, r.fixed_cents) for r in rows}

    def set_fee(self, profile_id: int, kind: str, fee: MethodFee) -> None:
        row = self.s.get(MethodFeeRow, (profile_id, kind)) or MethodFeeRow(profile_id=profile_id, kind=kind)
        row.percent_bps, row.fixed_cents = fee.percent_bps, fee.fixed_cents
        self.s.add(row)
        self.s.flush()


class RateRepo:
    def __init__(self, session: Session) -> None:
        self.s = session

    def all(self) -> list[ExchangeRate]:
        query = select(ExchangeRateRow).order_by(col(ExchangeRateRow.currency), col(ExchangeRateRow.as_of))
        return [ExchangeRate(r.currency, Decimal(r.per_usd), date.fromisoformat(r.as_of)) for r in self.s.exec(query)]

    def set(self, rate: ExchangeRate) -> None:
        """Add a rate, or replace the one of the same currency and date."""
        as_of = rate.as_of.isoformat()
        row = self.s.exec(
            select(ExchangeRateRow).where(ExchangeRateRow.currency == rate.currency, ExchangeRateRow.as_of == as_of)
        ).first() or ExchangeRateRow(currency=rate.currency, per_usd="", as_of=as_of)
        row.per_usd = f"{rate.per_usd:f}"
        self.s.add(row)
        self.s.flush()

    def delete(self, currency: str, as_of: date) -> None:
        row = self.s.exec(
            select(ExchangeRateRow).where(
                ExchangeRateRow.currency == currency, ExchangeRateRow.as_of == as_of.isoformat()
            )
        ).first()
        if row is None:
            raise NotFound(f"no {currency} rate dated {as_of}")
        self.s.delete(row)
        self.s.flush()


def _payout(row: PayoutRow, label: str | None) -> Payout:
    assert row.id is not None
    return Payout(
        row.id, row.requested_at, row.paid_at, row.status, row.diamonds, row.gross_cents, row.fee_cents,
        row.method_id, label or "", row.notes,
    )  # fmt: skip


class PayoutRepo:
    def __init__(self, session: Session) -> None:
        self.s = session

    def _row(self, profile_id: int, payout_id: int) -> PayoutRow:
        row = self.s.get(PayoutRow, payout_id)
        if row is None or row.profile_id != profile_id:
            raise NotFound(f"payout {payout_id} does not exist")
        return row

    def list(self, profile_id: int, start: datetime | None = None, end: datetime | None = None) -> list[Payout]:
        """Payouts requested in [start, end), newest first, with their method's label."""
        query = (
            select(PayoutRow, PaymentMethodRow.label)
            .join(PaymentMethodRow, col(PaymentMethodRow.id) == col(PayoutRow.method_id), isouter=True)
            .where(PayoutRow.profile_id == profile_id)
        )
        if start is not None:
            query = query.where(PayoutRow.requested_at >= start)
        if end is not None:
            query = query.where(PayoutRow.requested_at < end)
        query = query.order_by(col(PayoutRow.requested_at).desc(), col(PayoutRow.id).desc())
        return [_payout(row, label) for row, label in self.s.exec(query)]

    def get(self, profile_id: int, payout_id: int) -> Payout:
        row = self._row(profile_id, payout_id)
        label = self.s.get(PaymentMethodRow, row.method_id).label if row.method_id else None  # type: ignore[union-attr]
        return _payout(row, label)

    def save(self, profile_id: int, payout: Payout) -> int:
        """Insert (`payout.id == 0`) or update a payout; returns its id."""
        row = (
            PayoutRow(profile_id=profile_id, requested_at=payout.requested_at, gross_cents=0)
            if payout.id == 0
            else self._row(profile_id, payout.id)
        )
        row.requested_at, row.paid_at, row.status = payout.requested_at, payout.paid_at, payout.status
        row.diamonds, row.gross_cents, row.fee_cents = payout.diamonds, payout.gross_cents, payout.fee_cents
        row.method_id, row.notes, row.currency = payout.method_id, payout.notes, "USD"
        self.s.add(row)
        self.s.flush()
        assert row.id is not None
        return row.id

    def delete(self, profile_id: int, payout_id: int) -> None:
        self.s.delete(self._row(profile_id, payout_id))
        self.s.flush()

    def withdrawn_diamonds(self, profile_id: int, until: datetime | None = None) -> int:
        """Diamonds taken off the balance by payouts requested before `until` (failed ones give theirs back)."""
        query = select(func.coalesce(func.sum(PayoutRow.diamonds), 0)).where(
            PayoutRow.profile_id == profile_id, PayoutRow.status != "failed"
        )
        if until is not None:
            query = query.where(PayoutRow.requested_at < until)
        return int(self.s.exec(query).one())

    def withdrawn_cents(self, profile_id: int) -> int:
        """US cents taken off the balance by payouts not failed (their gross amount)."""
        query = select(func.coalesce(func.sum(PayoutRow.gross_cents), 0)).where(
            PayoutRow.profile_id == profile_id, PayoutRow.status != "failed"
        )
        return int(self.s.exec(query).one())

    def method_kind(self, profile_id: int, method_id: int) -> str:
        row = self.s.get(PaymentMethodRow, method_id)
        if row is None or row.profile_id != profile_id:
            raise NotFound(f"payment method {method_id} does not exist")
        return row.kind

    def earned_diamonds(self, profile_id: int, until: datetime | None = None) -> int:
        query = select(func.coalesce(func.sum(GiftEventRow.diamonds), 0)).where(GiftEventRow.profile_id == profile_id)
        if until is not None:
            query = query.where(GiftEventRow.received_at < until)
        return int(self.s.exec(query).one())

    def first_gift(self, profile_id: int) -> datetime | None:
        query = select(func.min(GiftEventRow.received_at)).where(GiftEventRow.profile_id == profile_id)
        value = self.s.exec(query).one()
        if value is None:
            return None
        # min() over the millisecond column may come back raw, depending on how the type is carried
        return value if isinstance(value, datetime) else from_millis(int(value))

    # ---- reconciliation -----------------------------------------------------------------------------------

    def add_check(self, profile_id: int, at: datetime, diamonds_shown: int) -> BalanceCheck:
        row = BalanceCheckRow(profile_id=profile_id, checked_at=at, diamonds_shown=diamonds_shown)
        self.s.add(row)
        self.s.flush()
        assert row.id is not None
        return BalanceCheck(row.id, row.checked_at, row.diamonds_shown)

    def latest_check(self, profile_id: int) -> BalanceCheck | None:
        row = self.s.exec(
            select(BalanceCheckRow)
            .where(BalanceCheckRow.profile_id == profile_id)
            .order_by(col(BalanceCheckRow.checked_at).desc(), col(BalanceCheckRow.id).desc())
        ).first()
        return BalanceCheck(row.id, row.checked_at, row.diamonds_shown) if row and row.id is not None else None


class GoalRepo:
    def __init__(self, session: Session) -> None:
        self.s = session

    def all(self, profile_id: int) -> list[Goal]:
        query = select(GoalRow).where(GoalRow.profile_id == profile_id).order_by(col(GoalRow.due), col(GoalRow.id))
        return [self._goal(r) for r in self.s.exec(query)]

    @staticmethod
    def _goal(row: GoalRow) -> Goal:
        assert row.id is not None
        return Goal(row.id, row.title, row.target_minor, row.currency, date.fromisoformat(row.due), row.created_at)

    def add(self, profile_id: int, title: str, target_minor: int, currency: str, due: date, now: datetime) -> int:
        row = GoalRow(
            profile_id=profile_id, title=title, target_minor=target_minor, currency=currency, due=due.isoformat(),
            created_at=now,
        )  # fmt: skip
        self.s.add(row)
        self.s.flush()
        assert row.id is not None
        return row.id

    def delete(self, profile_id: int, goal_id: int) -> None:
        row = self.s.get(GoalRow, goal_id)
        if row is None or row.profile_id != profile_id:
            raise NotFound(f"goal {goal_id} does not exist")
        self.s.delete(row)
        self.s.flush()

