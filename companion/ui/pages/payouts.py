"""Payouts page: the balance not yet withdrawn, this month and its likely end (a band, never a lone number), the
projection chart, what every level would pay, goals, the withdrawal planner, the ledger and reconciliation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from companion.domain.errors import CompanionError
from companion.domain.schemes import Level, Scheme
from companion.domain.withdrawals import METHOD_KINDS, Payout, WithdrawalPlan
from companion.services import Services
from companion.services.context import ProfileContext
from companion.services.payouts import Balance, GoalProgress, PaymentMethodChoice, Reconciliation
from companion.services.projections import MonthView, WhatIf, coverage_line
from companion.ui.format import local_short, money, percent, plural, whole
from companion.ui.models.payouts_table import PayoutTableModel, PlanTableModel, WhatIfTableModel, usd
from companion.ui.pages.base import Page
from companion.ui.tasks import ECONOMICS, GIFTS, PAYOUTS, STREAMS, TaskRunner
from companion.ui.widgets.cards import card_frame, muted
from companion.ui.widgets.goal_list import GoalList
from companion.ui.widgets.stat_card import StatCard
from companion.ui.widgets.tables import fit_rows, record_table

LUMPY = (
    "Gift income is lumpy: one big gift can make a month. Estimates are ranges from your own daily history, "
    "checked against it: the range aims to hold 8 in 10 outcomes, 1 in 10 landing below and 1 in 10 above."
)
KIND_TITLES = {"paypal": "PayPal", "bank": "Bank", "payoneer": "Payoneer", "other": "Other"}


@dataclass(frozen=True)
class _Snapshot:
    balance: Balance
    month: MonthView
    what_if: WhatIf
    goals: list[GoalProgress]
    plan: WithdrawalPlan
    ledger: list[Payout]
    reconciliation: Reconciliation | None
    scheme: Scheme | None
    level: Level | None
    methods: list[PaymentMethodChoice]


class PayoutsPage(Page):
    """Reads everything in one background task (`refresh`); writes go through dialogs and the services."""

    TITLE = "Payouts"
    WATCHES = frozenset({GIFTS, STREAMS, PAYOUTS})

    def __init__(
        self, services: Services, tasks: TaskRunner, context: ProfileContext, parent: QWidget | None = None
    ) -> None:
        super().__init__(services, tasks, context, parent)
        self.snapshot: _Snapshot | None = None
        self.chart: Any = None  # built with the first figures: QtCharts is imported only then
        self._dialog: Any = None

        title = self.title_label()
        self.level_label = muted()
        self.settings_button = QPushButton("Settings…")
        self.settings_button.setToolTip("Reward level, withdrawal rules, fees and exchange rates")
        self.record_button = QPushButton("Record payout…")
        self.record_button.setObjectName("primary")
        header = QHBoxLayout()
        header.addWidget(title)
        header.addSpacing(12)
        header.addWidget(self.level_label, 1)
        header.addWidget(self.settings_button)
        header.addWidget(self.record_button)

        self.balance_card = StatCard("not withdrawn yet")
        self.month_card = StatCard("earned this month so far")
        self.end_card = StatCard("likely month end")
        self.level_card = StatCard("your level")
        self.cards = QGridLayout()
        self.cards.setSpacing(12)
        for card in (self.balance_card, self.month_card, self.end_card, self.level_card):
            card.caption_label.setWordWrap(True)
            card.caption_label.setTextFormat(Qt.TextFormat.PlainText)  # level names are typed by the user
        self.lumpy_label = muted(LUMPY)
        self.coverage_label = muted()  # what the month-end range held in the creator's own past

        chart_frame, self.chart_layout = card_frame("This month: so far and where it will probably end")
        self.chart_placeholder = muted("Loading…")
        self.chart_layout.addWidget(self.chart_placeholder, 1, Qt.AlignmentFlag.AlignTop)
        chart_frame.setMinimumHeight(300)

        what_if_frame, what_if_layout = card_frame("What every level would pay for the same gifts")
        self.what_if_model = WhatIfTableModel(self)
        self.what_if_view = record_table(self.what_if_model, min_section=60, min_height=150)
        what_if_layout.addWidget(self.what_if_view)
        self.what_if_note = muted()
        what_if_layout.addWidget(self.what_if_note)

        goals_frame, goals_outer = card_frame("Goals")
        self.goal_list = GoalList()
        goals_outer.addWidget(self.goal_list)
        self.add_goal_button = QPushButton("Add goal…")
        goals_outer.addWidget(self.add_goal_button, 0, Qt.AlignmentFlag.AlignLeft)
        goals_outer.addStretch(1)

        plan_frame, plan_layout = card_frame("Withdrawal planner")
        self.kind_combo = QComboBox()
        for kind in METHOD_KINDS:
            self.kind_combo.addItem(KIND_TITLES[kind], kind)
        kind_row = QHBoxLayout()
        kind_row.addWidget(QLabel("Withdraw to"))
        kind_row.addWidget(self.kind_combo)
        kind_row.addStretch(1)
        plan_layout.addLayout(kind_row)
        self.plan_model = PlanTableModel(self)
        self.plan_view = record_table(self.plan_model, min_section=60, min_height=120)
        plan_layout.addWidget(self.plan_view)
        self.plan_label = muted()
        plan_layout.addWidget(self.plan_label)

        ledger_frame, ledger_layout = card_frame("Payouts ledger")
        self.ledger_model = PayoutTableModel(self)
        self.ledger_model.set_context(context)
        self.ledger_view = record_table(self.ledger_model, 8, min_section=60, min_height=120)
        self.ledger_empty = muted("No payouts recorded yet. “Record payout…” adds one you requested in TikTok.")
        self.paid_button = QPushButton("Mark paid")
        self.failed_button = QPushButton("Mark failed")
        self.delete_button = QPushButton("Delete")
        ledger_buttons = QHBoxLayout()
        for button in (self.paid_button, self.failed_button, self.delete_button):
            ledger_buttons.addWidget(button)
        ledger_buttons.addStretch(1)
        ledger_layout.addWidget(self.ledger_view)
        ledger_layout.addWidget(self.ledger_empty)
        ledger_layout.addLayout(ledger_buttons)
        self.ledger_message = QLabel("")
        self.ledger_message.setStyleSheet("color: #c62828;")
        self.ledger_message.setWordWrap(True)
        ledger_layout.addWidget(self.ledger_message)

        check_frame, check_layout = card_frame("Check against TikTok")
        check_layout.addWidget(muted("Type the diamond balance TikTok shows you now to see the gap to the app's."))
        self.check_edit = QLineEdit()
        self.check_edit.setPlaceholderText("Diamonds TikTok shows")
        self.check_button = QPushButton("Compare")
        check_row = QHBoxLayout()
        check_row.addWidget(self.check_edit, 1)
        check_row.addWidget(self.check_button)
        check_layout.addLayout(check_row)
        self.check_label = QLabel("")
        self.check_label.setWordWrap(True)
        check_layout.addWidget(self.check_label)
        check_layout.addStretch(1)

        content = QWidget()
        content.setObjectName("page")
        self.grid = grid = QGridLayout(content)
        grid.setContentsMargins(24, 20, 24, 20)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(14)
        grid.addLayout(header, 0, 0, 1, 2)
        grid.addLayout(self.cards, 1, 0, 1, 2)
        lumpy = QVBoxLayout()
        lumpy.setSpacing(2)
        lumpy.addWidget(self.lumpy_label)
        lumpy.addWidget(self.coverage_label)
        grid.addLayout(lumpy, 2, 0, 1, 2)
        self._pairs = ((chart_frame, goals_frame), (plan_frame, check_frame))
        self._singles = (what_if_frame, ledger_frame)
        self._wide: bool | None = None
        self._arrange(wide=True)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        self.settings_button.clicked.connect(self.open_settings)
        self.record_button.clicked.connect(self.record_payout)
        self.add_goal_button.clicked.connect(self.add_goal)
        self.goal_list.remove_requested.connect(self._remove_goal)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.paid_button.clicked.connect(lambda: self._set_status("paid"))
        self.failed_button.clicked.connect(lambda: self._set_status("failed"))
        self.delete_button.clicked.connect(self._delete_payout)
        self.check_button.clicked.connect(self.compare_balance)
        self.check_edit.returnPressed.connect(self.compare_balance)
        self.ledger_view.selectionModel().selectionChanged.connect(lambda *_: self._ledger_buttons())
        self._ledger_buttons()

    #: Below this page width the cards go two by two and the side-by-side cards one under the other, so nothing
    #: is cut off in the smallest window (900 × 560).
    NARROW = 1000

    def _arrange(self, wide: bool) -> None:
        if wide == self._wide:
            return
        self._wide = wide
        grid = self.grid
        columns = 4 if wide else 2
        for index, card in enumerate((self.balance_card, self.month_card, self.end_card, self.level_card)):
            self.cards.addWidget(card, index // columns, index % columns)
        for column in range(4):  # the month end is a range: give it room
            self.cards.setColumnStretch(column, (2 if column == 2 else 1) if wide else (1 if column < 2 else 0))
        (chart, goals), (plan, check) = self._pairs
        what_if, ledger = self._singles
        if wide:
            placed = ((chart, 3, 0, 1), (goals, 3, 1, 1), (what_if, 4, 0, 2), (ledger, 5, 0, 2), (plan, 6, 0, 1),
                      (check, 6, 1, 1))  # fmt: skip
        else:
            placed = ((chart, 3, 0, 2), (goals, 4, 0, 2), (what_if, 5, 0, 2), (ledger, 6, 0, 2), (plan, 7, 0, 2),
                      (check, 8, 0, 2))  # fmt: skip
        for widget, row, column, span in placed:
            grid.addWidget(widget, row, column, 1, span)
        grid.setColumnStretch(0, 3 if wide else 1)
        grid.setColumnStretch(1, 2 if wide else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._arrange(wide=event.size().width() >= self.NARROW)
        super().resizeEvent(event)

    # ---- loading ----------------------------------------------------------------------------------------

    def context_changed(self) -> None:
        self.ledger_model.set_context(self.context)

    def refresh(self) -> None:
        services, kind = self.services, self.kind_combo.currentData()

        def load() -> _Snapshot:
            return _Snapshot(
                services.payouts.balance(), services.projections.month(), services.projections.what_if(),
                services.payouts.goals(), services.payouts.plan(kind), services.payouts.ledger(),
                services.payouts.last_reconciliation(), services.economics.scheme(),
                services.economics.current_level(), services.payouts.methods(),
            )  # fmt: skip

        self.tasks.run(load, self._show)

    def _show(self, snap: _Snapshot) -> None:
        self.snapshot = snap
        cur = snap.month.currency
        balance = snap.balance
        self.balance_card.set_value(
            money(balance.shown, balance.currency), f"not withdrawn yet · {whole(balance.diamonds)} diamonds"
        )
        self.month_card.set_value(
            money(snap.month.earned, cur), f"this month so far · {whole(snap.month.earned_diamonds)} diamonds"
        )
        end = snap.month.end
        if snap.month.days_left == 0:
            self.end_card.set_value(money(end.p50, cur), "month end: today is the last day")
        elif snap.month.basis_days == 0:
            self.end_card.set_value("–", "month end: no full day of gifts to project from yet")
        else:
            self.end_card.set_value(
                f"{money(end.p10, cur)} – {money(end.p90, cur)}",
                f"likely month end · middle {money(end.p50, cur)} · {snap.month.days_left} days left",
            )
        self.coverage_label.setText(self._coverage_text(snap.month))
        self.coverage_label.setVisible(bool(self.coverage_label.text()))
        level_name = snap.level.name if snap.level else "custom share"
        self.level_card.set_value(percent(snap.month.share_bps), f"your level · {level_name}")
        scheme = snap.scheme.name if snap.scheme else "no reward scheme"
        note = f" · figures {snap.month.note}" if snap.month.note else ""
        self.level_label.setText(f"{scheme}{note}")
        self._show_chart(snap.month)
        self.what_if_model.currency = snap.what_if.currency
        self.what_if_model.set_rows(snap.what_if.rows)
        fit_rows(self.what_if_view, 12)
        wi = snap.what_if
        self.what_if_note.setText(
            f"Same diamonds under each level: {whole(wi.diamonds_this_month)} this month, "
            f"{whole(wi.diamonds_last_month)} last month, {whole(wi.diamonds_last_90_days)} in the last 90 days."
        )
        self.goal_list.set_goals(snap.goals)
        self._show_plan(snap.plan)
        self.ledger_model.set_rows(snap.ledger)
        fit_rows(self.ledger_view, 8)
        self.ledger_view.setVisible(bool(snap.ledger))
        self.ledger_empty.setVisible(not snap.ledger)
        self._ledger_buttons()
        self._show_reconciliation(snap.reconciliation)

    @staticmethod
    def _coverage_text(month: MonthView) -> str:
        """The month-end range's record in the creator's past, and what one big night can add."""
        if month.days_left == 0 or month.basis_days == 0:
            return ""
        line = coverage_line(month.calibration, month.coverage, month.basis_days)
        if month.biggest_day > month.end.p90 - month.end.p50:
            line += f" One big night can add {money(month.biggest_day, month.currency)} (your best day so far)."
        return line.strip()

    def _show_chart(self, month: MonthView) -> None:
        if month.earned_diamonds == 0 and month.basis_days == 0:
            self.chart_placeholder.setText(
                "No gifts yet. As you log or import gifts, this shows the month so far and the range it will "
                "probably end in."
            )
            self.chart_placeholder.show()
            if self.chart is not None:
                self.chart.hide()
            return
        self.chart_placeholder.hide()
        if self.chart is None:
            from companion.ui.widgets.projection_chart import ProjectionChart  # QtCharts: only now

            self.chart = ProjectionChart()
            self.chart_layout.addWidget(self.chart, 1)
        self.chart.show()
        earned, band = month.chart_points()
        self.chart.set_month(earned, band, month.currency)

    def _show_plan(self, plan: WithdrawalPlan) -> None:
        self.plan_model.set_rows(plan.steps)
        fit_rows(self.plan_view, 6)
        self.plan_view.setVisible(bool(plan.steps))
        parts = []
        if plan.steps:
            parts.append(
                f"In total {usd(plan.gross_cents)} in {plural(len(plan.steps), 'withdrawal')}: "
                f"fees {usd(plan.fee_cents)}, "
                f"set aside {usd(plan.set_aside_cents)}, net {usd(plan.net_cents)}."
            )
        if plan.message:
            parts.append(plan.message[0].upper() + plan.message[1:] + ".")
        self.plan_label.setText(" ".join(parts))

    def _show_reconciliation(self, rec: Reconciliation | None) -> None:
        if rec is None:
            self.check_label.setText("")
            return
        gap = rec.gap_diamonds
        verdict = rec.causes()
        if gap:
            more = "more" if gap > 0 else "less"
            verdict = (f"Gap: TikTok shows {whole(abs(gap))} diamonds {more} ({money(abs(rec.gap_usd), 'USD')}) than "
                       f"the app tracked. {verdict}")  # fmt: skip
        when = local_short(rec.check.checked_at, self.context)
        figures = f"TikTok {whole(rec.check.diamonds_shown)} · app {whole(rec.tracked_diamonds)}"
        if rec.stale and rec.tracked_now is not None:
            # the causes described the state back then: only the figures, and what to do now
            self.check_label.setText(
                f"Out of date — last check, {when}: {figures}. Gifts or payouts changed since (the app's balance is "
                f"{whole(rec.tracked_now)} now): type TikTok's balance again to compare."
            )
        else:
            self.check_label.setText(f"Last check, {when}: {figures}.\n{verdict}")
        self.check_label.setObjectName("muted" if rec.stale else "")
        self.check_label.style().polish(self.check_label)

    # ---- actions ----------------------------------------------------------------------------------------

    @Slot()
    def _kind_changed(self) -> None:
        kind = self.kind_combo.currentData()
        self.tasks.run(lambda: self.services.payouts.plan(kind), self._show_plan)

    def _selected_payout(self) -> Payout | None:
        rows = self.ledger_view.selectionModel().selectedRows()
        return self.ledger_model.record_at(rows[0].row()) if rows else None

    def _ledger_buttons(self) -> None:
        payout = self._selected_payout()
        self.paid_button.setEnabled(payout is not None and payout.status != "paid")
        self.failed_button.setEnabled(payout is not None and payout.status != "failed")
        self.delete_button.setEnabled(payout is not None)

    def _set_status(self, status: str) -> None:
        payout = self._selected_payout()
        if payout is not None:
            self._ledger_write(lambda: self.services.payouts.set_status(payout.id, status))

    def _delete_payout(self) -> None:
        payout = self._selected_payout()
        if payout is not None:
            self._ledger_write(lambda: self.services.payouts.remove(payout.id))

    def _ledger_write(self, work: Any) -> None:
        """A ledger change; a refusal is said under the ledger (no dialog in the way)."""

        def refused(exc: BaseException) -> None:
            if isinstance(exc, CompanionError):
                self.ledger_message.setText(str(exc))
            else:
                self.tasks.report_error(exc)

        self.ledger_message.setText("")
        self.tasks.write(work, None, (PAYOUTS,), refused)

    def _remove_goal(self, goal_id: int) -> None:
        self.tasks.write(lambda: self.services.payouts.remove_goal(goal_id), touches=(PAYOUTS,))

    @Slot()
    def compare_balance(self) -> None:
        text = self.check_edit.text().strip().replace(",", "")
        if not text.isdigit():
            self.check_label.setText("Type the diamonds as a whole number, e.g. 12500.")
            return
        reconcile = self.services.payouts.reconcile  # shown here at once; other pages hear of it
        self.tasks.write(lambda: reconcile(int(text)), self._compared, (PAYOUTS,), self._refused_inline, self)

    def _compared(self, rec: Reconciliation) -> None:
        self.check_edit.clear()
        self._show_reconciliation(rec)

    def _refused_inline(self, exc: BaseException) -> None:
        if isinstance(exc, CompanionError):
            self.check_label.setText(str(exc))
        else:
            self.tasks.report_error(exc)

    def _submit(self, dialog: Any, work: Any, touches: tuple[str, ...] = (PAYOUTS,)) -> None:
        """Run a dialog's write; on refusal the dialog stays open with the reason, on success it closes."""

        def failed(exc: BaseException) -> None:
            if isinstance(exc, CompanionError):
                dialog.show_error(str(exc))
            else:
                dialog.reject()
                self.tasks.report_error(exc)

        if hasattr(dialog, "set_busy"):
            dialog.set_busy()
        self.tasks.write(work, lambda _: dialog.accept(), touches, failed)

    @Slot()
    def record_payout(self) -> None:
        from companion.ui.dialogs.payout_dialog import PayoutDialog

        methods = self.snapshot.methods if self.snapshot else []
        dialog = PayoutDialog(methods, self.context, self)
        dialog.submitted.connect(lambda values: self._submit(dialog, lambda: self.services.payouts.record(**values)))
        self._dialog = dialog
        dialog.open()

    @Slot()
    def add_goal(self) -> None:
        from companion.ui.dialogs.payout_dialog import GoalDialog

        currency = self.snapshot.month.currency if self.snapshot else "USD"
        dialog = GoalDialog(currency, self.context.today(), self)
        dialog.submitted.connect(lambda values: self._submit(dialog, lambda: self.services.payouts.add_goal(**values)))
        self._dialog = dialog
        dialog.open()

    @Slot()
    def open_settings(self) -> None:
        self.tasks.run(self.services.economics.state, self._open_settings)

    def _open_settings(self, state: Any) -> None:
        from companion.ui.dialogs.economics_settings import EconomicsDialog

        dialog = EconomicsDialog(state, self)
        dialog.rate_day.setDate(self.context.today())  # a rate is noted for the profile's today
        economics = self.services.economics
        dialog.save_requested.connect(
            lambda values: self._submit(dialog, lambda: economics.save_settings(**values), (ECONOMICS,))
        )

        def note_rate(currency: str, rate: str, day: date) -> None:
            def work() -> Any:
                economics.set_rate(currency, rate, day)
                return economics.state()

            self.tasks.write(work, dialog.set_rates, (ECONOMICS,), lambda exc: dialog.show_error(str(exc)))

        dialog.rate_requested.connect(note_rate)
        self._dialog = dialog
        dialog.open()
