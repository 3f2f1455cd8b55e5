"""Economics settings: reward scheme and level from a date (the share history: earlier days keep their share;
per-LIVE rules for schemes that have them), the user's own levels, withdrawal rules and method fees, exchange
rates for the display currency. The dialog only collects values; the page saves them through the
services off the GUI thread, all or nothing, and shows a refusal here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QDate, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from companion.domain.currency import parse_rate
from companion.domain.economics import parse_share_percent
from companion.domain.errors import ValidationError
from companion.domain.money import from_minor, to_minor
from companion.domain.schemes import CUSTOM_SCHEME_KEY, Level
from companion.domain.share_history import SharePeriod
from companion.domain.withdrawals import METHOD_KINDS, MethodFee, WithdrawalRules
from companion.services.economics import EconomicsState
from companion.services.shares import RewardSettings
from companion.ui.format import keep_percent, percent
from companion.ui.money_input import amount_text, locale_numbers, parse_typed, percent_text
from companion.ui.widgets.currency_box import CurrencyBox


def _cents(text: str, field: str) -> int:
    return to_minor(parse_typed(text.strip() or "0", "USD", field), "USD")


def _bps(text: str, field: str) -> int:
    try:
        return parse_share_percent(text or "0", locale_numbers())
    except ValidationError as exc:
        raise ValidationError(str(exc).replace("share", field), field=field) from None


def _dollars(cents: int) -> str:
    return amount_text(from_minor(cents, "USD"), "USD")


class EconomicsDialog(QDialog):
    """`save_requested(dict)` carries `EconomicsService.save_settings` keywords; `rate_requested(currency, rate,
    day)` asks to note a rate."""

    save_requested = Signal(dict)
    rate_requested = Signal(str, str, object)

    def __init__(self, state: EconomicsState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Payout settings")
        self.setMinimumSize(620, 480)
        self.state = state
        tabs = QTabWidget()
        tabs.addTab(self._level_tab(), "Reward level")
        tabs.addTab(self._withdrawal_tab(), "Withdrawals and fees")
        tabs.addTab(self._rates_tab(), "Currency")
        self.error_label = QLabel("")
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    # ---- level ------------------------------------------------------------------------------------------

    def _level_tab(self) -> QWidget:
        tab = QWidget()
        self.scheme_combo = QComboBox()
        for scheme in self.state.schemes:
            self.scheme_combo.addItem(scheme.name, scheme.key)
        self.level_combo = QComboBox()
        self.scheme_note = QLabel("")
        self.scheme_note.setObjectName("muted")
        self.scheme_note.setWordWrap(True)
        self.custom_table = QTableWidget(0, 2)
        self.custom_table.setHorizontalHeaderLabels(["Level name", "Share %"])
        self.custom_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.custom_table.verticalHeader().setVisible(False)
        self.custom_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        custom = next((s for s in self.state.schemes if s.key == CUSTOM_SCHEME_KEY), None)
        for level in custom.levels if custom else ():
            self._add_custom_row(level.name, percent_text(level.share_bps))
        self.add_level_button = QPushButton("Add level")
        self.remove_level_button = QPushButton("Remove level")
        self.add_level_button.clicked.connect(lambda: self._add_custom_row("", ""))
        self.remove_level_button.clicked.connect(self._remove_custom_row)
        self.custom_box = QWidget()
        custom_layout = QVBoxLayout(self.custom_box)
        custom_layout.setContentsMargins(0, 0, 0, 0)
        custom_layout.addWidget(QLabel("Your own levels (e.g. what your agency agreed):"))
        custom_layout.addWidget(self.custom_table)
        row = QHBoxLayout()
        row.addWidget(self.add_level_button)
        row.addWidget(self.remove_level_button)
        row.addStretch(1)
        custom_layout.addLayout(row)
        today = self.state.today
        self.from_edit = QDateEdit(QDate(today.year, today.month, today.day))
        self.from_edit.setCalendarPopup(True)
        self.from_edit.setDisplayFormat("yyyy-MM-dd")
        self.from_edit.setToolTip("The first day this scheme and level apply; days before it keep their share")
        self.rules_box = self._rules_box()
        form = QFormLayout()
        form.addRow("Scheme", self.scheme_combo)
        form.addRow("Your level", self.level_combo)
        form.addRow("From", self.from_edit)
        layout = QVBoxLayout(tab)
        layout.addLayout(form)
        layout.addWidget(self.scheme_note)
        layout.addWidget(self.rules_box)
        layout.addWidget(self._history_box(), 2)
        layout.addWidget(self.custom_box, 3)
        layout.addStretch(1)  # takes the room when the custom levels are hidden
        self.scheme_combo.currentIndexChanged.connect(self._scheme_changed)
        self.custom_table.itemChanged.connect(lambda _item: self._scheme_changed())
        current = self.state.scheme.key if self.state.scheme else "classic"
        self.scheme_combo.setCurrentIndex(max(self.scheme_combo.findData(current), 0))
        self._scheme_changed()
        if self.state.level is not None:
            self.level_combo.setCurrentIndex(max(self.level_combo.findData(self.state.level.name), 0))
        return tab

    def _rules_box(self) -> QWidget:
        """Per-LIVE settings: the zone weeks are counted in and the weekly bonuses the creator ticks."""
        reward = self.state.reward_settings
        self.week_zone_edit = QLineEdit(reward.week_zone)
        self.week_zone_edit.setToolTip("TikTok credits weekly missions per week starting Monday; UTC is assumed")
        self.team_edit = QLineEdit(percent_text(reward.team_bps) if reward.team_bps else "")
        self.team_edit.setPlaceholderText("0")
        self.league_edit = QLineEdit(percent_text(reward.league_bps) if reward.league_bps else "")
        self.league_edit.setPlaceholderText("0")
        box = QWidget()
        form = QFormLayout(box)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Weeks (Monday) in zone", self.week_zone_edit)
        form.addRow("Weekly team-size bonus %", self.team_edit)
        form.addRow("Weekly league bonus %", self.league_edit)
        return box

    def _history_box(self) -> QWidget:
        """The share history: one row per "from DATE: scheme / level"; Add puts the choice above in, Remove drops
        the selected row. Saved with the other settings."""
        self.history_table = QTableWidget(0, 3)
        self.history_table.setHorizontalHeaderLabels(["From", "Scheme", "Level / share"])
        self.history_table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.history_table.verticalHeader().setVisible(False)
        self.history_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.history_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history: list[SharePeriod] = list(self.state.history)
        self._show_history()
        self.add_period_button = QPushButton("Add “from” entry")
        self.add_period_button.setToolTip("Put the scheme, level and date above into the history")
        self.remove_period_button = QPushButton("Remove entry")
        self.add_period_button.clicked.connect(self.add_period)
        self.remove_period_button.clicked.connect(self.remove_period)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Share history (each gift is paid at the share in force on its day):"))
        layout.addWidget(self.history_table)
        row = QHBoxLayout()
        row.addWidget(self.add_period_button)
        row.addWidget(self.remove_period_button)
        row.addStretch(1)
        layout.addLayout(row)
        return box

    def _scheme_name(self, key: str) -> str:
        return next((s.name for s in self.state.schemes if s.key == key), key)

    def _show_history(self) -> None:
        self.history_table.setRowCount(0)
        for period in self.history:
            row = self.history_table.rowCount()
            self.history_table.insertRow(row)
            if period.share_bps is None:
                level = "Per-LIVE rules"
            else:
                level = f"{period.level_name} — {percent(period.share_bps)}" if period.level_name else percent(
                    period.share_bps)  # fmt: skip
            cells = (period.effective_from.isoformat(), self._scheme_name(period.scheme_key), level)
            for column, text in enumerate(cells):
                self.history_table.setItem(row, column, QTableWidgetItem(text))

    def _chosen_period(self) -> SharePeriod:
        value = self.from_edit.date()
        day = date(value.year(), value.month(), value.day())
        level = self.level_combo.currentData()
        if level is None:
            raise ValidationError("choose a level (a custom scheme needs at least one)", field="level")
        return SharePeriod(day, self.scheme_combo.currentData(), level or None, None)

    @Slot()
    def add_period(self) -> None:
        try:
            period = self._chosen_period()
        except ValidationError as exc:
            self.show_error(str(exc))
            return
        self.history = sorted(
            [p for p in self.history if p.effective_from != period.effective_from] + [period],
            key=lambda p: p.effective_from,
        )
        self._show_history()

    @Slot()
    def remove_period(self) -> None:
        rows = {i.row() for i in self.history_table.selectedIndexes()}
        if len(self.history) - len(rows) < 1:
            self.show_error("the share history needs at least one entry")
            return
        self.history = [p for i, p in enumerate(self.history) if i not in rows]
        self._show_history()

    def _add_custom_row(self, name: str, share: str) -> None:
        row = self.custom_table.rowCount()
        self.custom_table.insertRow(row)
        self.custom_table.setItem(row, 0, QTableWidgetItem(name))
        self.custom_table.setItem(row, 1, QTableWidgetItem(share))

    def _remove_custom_row(self) -> None:
        rows = sorted({i.row() for i in self.custom_table.selectedIndexes()}, reverse=True)
        for row in rows or [self.custom_table.rowCount() - 1]:
            if row >= 0:
                self.custom_table.removeRow(row)
        self._scheme_changed()

    def custom_levels(self) -> list[Level]:
        """The custom table as levels; a bad share names its row."""
        levels = []
        for row in range(self.custom_table.rowCount()):
            name_item, share_item = self.custom_table.item(row, 0), self.custom_table.item(row, 1)
            name = name_item.text() if name_item else ""
            share_text = share_item.text() if share_item else ""
            if not name.strip() and not share_text.strip():
                continue
            try:
                share = parse_share_percent(share_text, locale_numbers())
            except ValidationError as exc:
                raise ValidationError(f"custom level row {row + 1}: {exc}", field="share") from None
            levels.append(Level(name, share))
        return levels

    def _scheme_changed(self) -> None:
        key = self.scheme_combo.currentData()
        keep = self.level_combo.currentData()
        self.level_combo.blockSignals(True)
        self.level_combo.clear()
        if key == CUSTOM_SCHEME_KEY:
            try:
                levels = self.custom_levels()
            except ValidationError:
                levels = []
            note = "Edit the levels below; they are saved with the other settings."
        else:
            scheme = next(s for s in self.state.schemes if s.key == key)
            levels, note = list(scheme.levels), scheme.note
        if key in self.state.rule_schemes:
            # first, so choosing this scheme means "each LIVE earns its own share", never its lowest level
            self.level_combo.addItem("Per-LIVE rules — each LIVE earns its own share", "")
        for level in levels:
            self.level_combo.addItem(f"{level.name} — {percent(level.share_bps)}", level.name)
        index = self.level_combo.findData(keep)
        self.level_combo.setCurrentIndex(index if index >= 0 else 0)
        self.level_combo.blockSignals(False)
        self.scheme_note.setText(keep_percent(note))
        self.custom_box.setVisible(key == CUSTOM_SCHEME_KEY)
        if hasattr(self, "rules_box"):
            self.rules_box.setVisible(key in self.state.rule_schemes)

    # ---- withdrawals ------------------------------------------------------------------------------------

    def _withdrawal_tab(self) -> QWidget:
        tab = QWidget()
        rules = self.state.rules
        self.min_edit = QLineEdit(_dollars(rules.min_withdrawal_cents))
        self.cap_edit = QLineEdit(_dollars(rules.daily_cap_cents))
        self.days_edit = QLineEdit(str(rules.processing_days))
        self.tax_edit = QLineEdit(percent_text(rules.tax_set_aside_bps))
        form = QFormLayout()
        form.addRow("Minimum withdrawal (US$)", self.min_edit)
        form.addRow("Daily cap (US$)", self.cap_edit)
        form.addRow("Processing days", self.days_edit)
        form.addRow("Tax set-aside %", self.tax_edit)
        note = QLabel("TikTok no longer publishes a minimum; use the one your withdrawal screen shows.")
        note.setObjectName("muted")
        note.setWordWrap(True)
        grid = QGridLayout()
        grid.addWidget(QLabel("Method fees"), 0, 0)
        grid.addWidget(QLabel("Percent"), 0, 1)
        grid.addWidget(QLabel("Fixed (US$)"), 0, 2)
        self.fee_edits: dict[str, tuple[QLineEdit, QLineEdit]] = {}
        for row, kind in enumerate(METHOD_KINDS, start=1):
            fee = self.state.fees.get(kind, MethodFee())
            percent, fixed = QLineEdit(percent_text(fee.percent_bps)), QLineEdit(_dollars(fee.fixed_cents))
            grid.addWidget(QLabel(kind.capitalize() if kind != "paypal" else "PayPal"), row, 0)
            grid.addWidget(percent, row, 1)
            grid.addWidget(fixed, row, 2)
            self.fee_edits[kind] = (percent, fixed)
        layout = QVBoxLayout(tab)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addSpacing(8)
        layout.addLayout(grid)
        layout.addStretch(1)
        return tab

    def rules(self) -> WithdrawalRules:
        days = self.days_edit.text().strip()
        if not days.isdigit():
            raise ValidationError(f"processing days '{days}' is not a whole number", field="processing days")
        return WithdrawalRules(
            _cents(self.min_edit.text(), "minimum withdrawal"), _cents(self.cap_edit.text(), "daily cap"),
            int(days), _bps(self.tax_edit.text(), "tax set-aside"),
        )  # fmt: skip

    def fees(self) -> dict[str, MethodFee]:
        return {
            kind: MethodFee(_bps(p.text(), f"{kind} fee percentage"), _cents(f.text(), f"{kind} fixed fee"))
            for kind, (p, f) in self.fee_edits.items()
        }

    # ---- rates ------------------------------------------------------------------------------------------

    def _rates_tab(self) -> QWidget:
        tab = QWidget()
        currency = self.state.currency
        text = (
            f"Figures are shown in {currency} (the profile's currency). TikTok pays in US dollars: cash is "
            "worked out in US$ first, then converted at the newest rate you noted, rounded once."
            if currency != "USD"
            else "Figures are shown in US dollars (the profile's currency). To see another currency, change the "
            "profile's currency and note a rate here."
        )
        intro = QLabel(text + " A rate you note is kept right away, without Save.")
        intro.setWordWrap(True)
        self.rates_table = QTableWidget(0, 3)
        self.rates_table.setHorizontalHeaderLabels(["Currency", "Per US$1", "As of"])
        self.rates_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.rates_table.verticalHeader().setVisible(False)
        self.rates_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.set_rates(self.state)
        self.rate_currency = CurrencyBox()
        self.rate_currency.set_code(currency if currency != "USD" else "EUR")
        self.rate_currency.setMaximumWidth(260)
        self.rate_value = QLineEdit()
        self.rate_value.setPlaceholderText(f"e.g. {amount_text(Decimal('0.92'))}")
        today = self.state.today  # the profile's day, not the computer's
        self.rate_day = QDateEdit(QDate(today.year, today.month, today.day))
        self.rate_day.setCalendarPopup(True)
        self.rate_day.setDisplayFormat("yyyy-MM-dd")
        self.add_rate_button = QPushButton("Note rate")
        self.add_rate_button.clicked.connect(self._note_rate)
        row = QHBoxLayout()
        for widget in (self.rate_currency, self.rate_value, self.rate_day, self.add_rate_button):
            row.addWidget(widget)
        layout = QVBoxLayout(tab)
        layout.addWidget(intro)
        layout.addWidget(self.rates_table, 1)
        layout.addLayout(row)
        return tab

    def set_rates(self, state: EconomicsState) -> None:
        self.rates_table.setRowCount(0)
        for rate in sorted(state.rates, key=lambda r: (r.currency, r.as_of), reverse=True):
            row = self.rates_table.rowCount()
            self.rates_table.insertRow(row)
            for column, text in enumerate((rate.currency, amount_text(rate.per_usd), rate.as_of.isoformat())):
                self.rates_table.setItem(row, column, QTableWidgetItem(text))

    def _note_rate(self) -> None:
        value = self.rate_day.date()
        try:
            rate = parse_rate(self.rate_value.text(), locale_numbers())  # '1.350' is 1350 in de_DE, 1.35 in en_US
        except ValidationError as exc:
            self.show_error(str(exc))
            return
        self.error_label.hide()
        # handed on as plain digits ('1350'), which the service reads by the command line's rule
        self.rate_requested.emit(self.rate_currency.code(), f"{rate:f}", date(value.year(), value.month(), value.day()))

    # ---- saving -----------------------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """`save_settings` keywords; a value that cannot even be read raises ValidationError naming it."""
        key = self.scheme_combo.currentData()
        custom = self.custom_levels() if key == CUSTOM_SCHEME_KEY else None
        chosen = self._chosen_period()
        reward = RewardSettings(
            self.week_zone_edit.text().strip() or "UTC",
            _bps(self.team_edit.text(), "team bonus"),
            _bps(self.league_edit.text(), "league bonus"),
        )
        return {"scheme_key": key, "level_name": chosen.level_name, "rules": self.rules(), "fees": self.fees(),
                "custom_levels": custom, "effective_from": chosen.effective_from, "history": list(self.history),
                "reward_settings": reward}  # fmt: skip

    def _save(self) -> None:
        try:
            values = self.values()
        except ValidationError as exc:
            self.show_error(str(exc))
            return
        self.error_label.hide()
        self.buttons.setEnabled(False)
        self.save_requested.emit(values)

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        self.buttons.setEnabled(True)
