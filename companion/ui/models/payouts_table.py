"""Table models of the Payouts page: the ledger, the what-if by level, and the withdrawal plan."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont

from companion.domain.money import from_minor
from companion.domain.withdrawals import Payout, PlannedWithdrawal
from companion.services.projections import WhatIfRow
from companion.ui.format import local_short, money, percent, whole
from companion.ui.models.base import RecordTableModel

REQUESTED, STATUS, AMOUNT, FEE, NET, DIAMONDS, METHOD, PAID, NOTES = range(9)
_STATUS_COLOURS = {"requested": QColor("#b26b00"), "paid": QColor("#1a7f37"), "failed": QColor("#c62828")}


def usd(cents: int) -> str:
    return money(from_minor(cents, "USD"), "USD")


class PayoutTableModel(RecordTableModel[Payout]):
    HEADERS = ("Requested", "Status", "Amount", "Fee", "Net", "Diamonds", "Method", "Paid", "Notes")
    NUMERIC = frozenset({AMOUNT, FEE, NET, DIAMONDS})

    def display(self, payout: Payout, column: int) -> str:
        if column == REQUESTED:
            return local_short(payout.requested_at, self.context)
        if column == STATUS:
            return payout.status
        if column == AMOUNT:
            return usd(payout.gross_cents)
        if column == FEE:
            return usd(payout.fee_cents)
        if column == NET:
            return usd(payout.net_cents)
        if column == DIAMONDS:
            return whole(payout.diamonds)
        if column == METHOD:
            return payout.method_label or "–"
        if column == PAID:
            return local_short(payout.paid_at, self.context) if payout.paid_at else "–"
        return payout.notes

    def extra(self, payout: Payout, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == STATUS:
            return _STATUS_COLOURS.get(payout.status)
        if role == Qt.ItemDataRole.ToolTipRole and payout.status == "failed":
            return "Failed: its diamonds are back in the balance"
        return None


LEVEL, SHARE, THIS_MONTH, LAST_MONTH, LAST_90, MONTH_END = range(6)


class WhatIfTableModel(RecordTableModel[WhatIfRow]):
    """The same diamonds under every level; the current level in bold."""

    HEADERS = ("Level", "Share", "This month", "Last month", "Last 90 days", "Month end (likely range)")
    NUMERIC = frozenset({SHARE, THIS_MONTH, LAST_MONTH, LAST_90, MONTH_END})

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.currency = "USD"

    def display(self, row: WhatIfRow, column: int) -> str:
        if column == LEVEL:
            return f"{row.level.name} (yours)" if row.current else row.level.name
        if column == SHARE:
            return percent(row.level.share_bps)
        if column == THIS_MONTH:
            return money(row.this_month, self.currency)
        if column == LAST_MONTH:
            return money(row.last_month, self.currency)
        if column == LAST_90:
            return money(row.last_90_days, self.currency)
        return f"{money(row.month_end.p10, self.currency)} – {money(row.month_end.p90, self.currency)}"

    def extra(self, row: WhatIfRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.FontRole and row.current:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == MONTH_END:
                return f"Likely month end (p10–p90); middle {money(row.month_end.p50, self.currency)}"
            if row.level.note:
                return row.level.note
        return None


DAY, ARRIVES, GROSS, PLAN_FEE, SET_ASIDE, PLAN_NET = range(6)


class PlanTableModel(RecordTableModel[PlannedWithdrawal]):
    HEADERS = ("Request on", "Arrives about", "Withdraw", "Fee", "Set aside", "Net")
    NUMERIC = frozenset({GROSS, PLAN_FEE, SET_ASIDE, PLAN_NET})

    def display(self, step: PlannedWithdrawal, column: int) -> str:
        if column == DAY:
            return step.requested.strftime("%a %d %b")
        if column == ARRIVES:
            return step.arrives.strftime("%a %d %b")
        cents = {GROSS: step.gross_cents, PLAN_FEE: step.fee_cents, SET_ASIDE: step.set_aside_cents}
        return usd(cents.get(column, step.net_cents))
