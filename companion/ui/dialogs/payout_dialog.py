"""Dialogs of the Payouts page that write one thing: a payout in the ledger, a goal.

A dialog only collects text; the page hands it to a service off the GUI thread and, if the service refuses it,
shows the reason in the dialog (`show_error`) so the creator can fix it without retyping everything."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from companion.domain.errors import ValidationError
from companion.domain.withdrawals import PAYOUT_STATUSES
from companion.services.context import ProfileContext
from companion.services.payouts import PaymentMethodChoice
from companion.ui.money_input import amount_text, parse_typed


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day(edit: QDateEdit) -> date:
    value = edit.date()
    return date(value.year(), value.month(), value.day())


def picked_instant(day: date, context: ProfileContext) -> datetime:
    """A date picked in a dialog as an instant: now for today, else noon that day in the profile's zone (clear
    of DST edges) — never later than now, so "requested today, paid today" stays in order."""
    now = context.now()
    noon = context.at_local(day, 12, 0)
    return min(noon, now) if day >= context.today() else noon


class _FormDialog(QDialog):
    """A form with an error line and OK/Cancel; OK emits `submitted` with the values instead of closing."""

    submitted = Signal(dict)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(420)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.error_label = QLabel("")
        self.error_label.setObjectName("formError")
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def values(self) -> dict[str, Any]:
        raise NotImplementedError

    def read_amounts(self, values: dict[str, Any]) -> dict[str, Any]:
        """`values` with the money typed read in the person's locale (QLocale), as Decimals the services take."""
        return values

    def _submit(self) -> None:
        # what cannot be read in the person's locale is said here, and nothing is sent
        try:
            values = self.read_amounts(self.values())
        except ValidationError as exc:
            self.show_error(str(exc))
            return
        self.submitted.emit(values)

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        self.buttons.setEnabled(True)

    def set_busy(self) -> None:
        self.error_label.hide()
        self.buttons.setEnabled(False)


class PayoutDialog(_FormDialog):
    """Record a withdrawal: amount (US$), status, method (optional), fee (empty: the method kind's fee), dates,
    notes. `values()` matches `PayoutService.record`'s keywords."""

    def __init__(
        self, methods: list[PaymentMethodChoice], context: ProfileContext, parent: QWidget | None = None
    ) -> None:
        super().__init__("Record a payout", parent)
        self.context = context
        today = context.today()
        self.amount = QLineEdit()
        self.amount.setPlaceholderText(f"e.g. {amount_text(250, 'USD')}")
        self.status = QComboBox()
        self.status.addItems(list(PAYOUT_STATUSES))
        self.method = QComboBox()
        self.method.addItem("No method", None)
        for m in methods:
            self.method.addItem(f"{m.label} ({m.kind}{', ' + m.hint if m.hint else ''})", m.id)
        if not methods:
            self.method.setToolTip("Add payment methods on the Payment methods page to pick one here")
        self.fee = QLineEdit()
        self.fee.setPlaceholderText("empty: the method's usual fee")
        self.requested = QDateEdit(_qdate(today))
        self.requested.setCalendarPopup(True)
        self.requested.setDisplayFormat("yyyy-MM-dd")
        self.paid = QDateEdit(_qdate(today))
        self.paid.setCalendarPopup(True)
        self.paid.setDisplayFormat("yyyy-MM-dd")
        self.notes = QLineEdit()
        self.form.addRow("Amount (US$)", self.amount)
        self.form.addRow("Status", self.status)
        self.form.addRow("Method", self.method)
        self.form.addRow("Fee (US$)", self.fee)
        self.form.addRow("Requested on", self.requested)
        self.form.addRow("Paid on", self.paid)
        self.form.addRow("Notes", self.notes)
        hint = QLabel("Diamonds taken off the balance: the amount at your current share.")
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        self.form.addRow(hint)
        self.status.currentTextChanged.connect(self._status_changed)
        self._status_changed(self.status.currentText())

    def read_amounts(self, values: dict[str, Any]) -> dict[str, Any]:
        fee = values["fee_usd"]
        return {
            **values,
            "gross_usd": parse_typed(values["gross_usd"], "USD", "amount"),
            "fee_usd": parse_typed(fee, "USD", "fee") if fee else None,
        }

    def _status_changed(self, status: str) -> None:
        self.paid.setEnabled(status == "paid")

    def values(self) -> dict[str, Any]:
        status = self.status.currentText()
        fee = self.fee.text().strip()
        return {
            "gross_usd": self.amount.text().strip(),
            "status": status,
            "method_id": self.method.currentData(),
            "fee_usd": fee or None,
            "requested_at": picked_instant(_day(self.requested), self.context),
            "paid_at": picked_instant(_day(self.paid), self.context) if status == "paid" else None,
            "notes": self.notes.text(),
        }


class GoalDialog(_FormDialog):
    """A goal: a title, an amount in the display currency, a due date. `values()` matches `add_goal`."""

    def __init__(self, currency: str, today: date, parent: QWidget | None = None) -> None:
        super().__init__("New goal", parent)
        self.currency = currency
        self.title = QLineEdit()
        self.title.setPlaceholderText("e.g. New camera")
        self.target = QLineEdit()
        self.target.setPlaceholderText(f"e.g. {amount_text(500)}")
        self.due = QDateEdit(_qdate(today).addDays(30))
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        self.due.setMinimumDate(_qdate(today))
        self.form.addRow("Goal", self.title)
        self.form.addRow(f"Amount ({currency})", self.target)
        self.form.addRow("By", self.due)
        note = QLabel("Earnings from today on count toward it, at your current level.")
        note.setObjectName("muted")
        note.setAlignment(Qt.AlignmentFlag.AlignLeft)
        self.form.addRow(note)

    def values(self) -> dict[str, Any]:
        return {"title": self.title.text(), "target": self.target.text().strip(), "due": _day(self.due),
                "currency": self.currency}  # fmt: skip

    def read_amounts(self, values: dict[str, Any]) -> dict[str, Any]:
        return {**values, "target": parse_typed(values["target"], self.currency, "target")}
