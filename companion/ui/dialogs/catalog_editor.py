"""Edit the gift catalog: add custom gifts, change a gift's price from now on (the history is kept, so gifts
already logged keep the price they had). Every call goes through `tasks.run`; nothing here runs SQL."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal, Slot
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from companion.domain.catalog import PricePoint
from companion.domain.economics import MAX_COINS
from companion.domain.errors import CompanionError
from companion.domain.models import CatalogGift
from companion.services import Services
from companion.ui.format import local_time, whole
from companion.ui.models.base import RecordTableModel
from companion.ui.tasks import CATALOG, TaskRunner

STREAK = 2
CENTER = int(Qt.AlignmentFlag.AlignCenter)


class CatalogModel(RecordTableModel[CatalogGift]):
    HEADERS = ("Gift", "Coins", "Streak", "Source")
    NUMERIC = frozenset({1})

    def display(self, record: CatalogGift, column: int) -> str:
        if column == 0:
            return record.name
        if column == 1:
            return whole(record.coins)
        if column == 2:
            return "yes" if record.streakable else "—"
        return "custom" if record.custom else "catalog"

    def extra(self, record: CatalogGift, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and column == STREAK:
            return CENTER  # "yes" / "—" centred, clear of the right-aligned coins beside it
        return None


class CatalogEditor(QDialog):
    """Emits `changed` after a gift was added or repriced (so pickers can reload)."""

    changed = Signal()

    def __init__(self, services: Services, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.setWindowTitle("Gift catalog")
        self.resize(900, 600)

        self.model = CatalogModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(0)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search gifts…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._selected)

        self.gift_title = QLabel("Choose a gift")
        self.gift_title.setObjectName("sectionTitle")
        self.history = QListWidget()
        self.history.setMaximumHeight(150)
        self.price_edit = QLineEdit()
        self.price_edit.setValidator(QIntValidator(0, MAX_COINS, self))
        self.price_edit.setPlaceholderText("coins")
        self.price_button = QPushButton("Set price from now on")
        self.price_button.clicked.connect(self.set_price)
        price_note = QLabel("Gifts already logged keep the price they had.")
        price_note.setObjectName("muted")
        price_note.setWordWrap(True)
        price_box = QGroupBox("Price")
        price_layout = QVBoxLayout(price_box)
        price_layout.addWidget(self.gift_title)
        price_layout.addWidget(QLabel("Price history"))
        price_layout.addWidget(self.history)
        row = QHBoxLayout()
        row.addWidget(self.price_edit, 1)
        row.addWidget(self.price_button)
        price_layout.addLayout(row)
        price_layout.addWidget(price_note)

        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("e.g. Golden Mic")
        self.coins_edit = QLineEdit()
        self.coins_edit.setValidator(QIntValidator(0, MAX_COINS, self))
        self.coins_edit.setPlaceholderText("coins")
        self.streak_check = QCheckBox("Can be sent in a streak")
        self.add_button = QPushButton("Add gift")
        self.add_button.setObjectName("primary")
        self.add_button.clicked.connect(self.add_gift)
        add_box = QGroupBox("Add a custom gift")
        add_form = QFormLayout(add_box)
        add_form.addRow("Name", self.name_edit)
        add_form.addRow("Coins", self.coins_edit)
        add_form.addRow("", self.streak_check)
        add_form.addRow("", self.add_button)

        self.message = QLabel("")
        self.message.setWordWrap(True)
        side = QVBoxLayout()
        side.addWidget(price_box)
        side.addWidget(add_box)
        side.addWidget(self.message)
        side.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.search)
        left.addWidget(self.table, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addLayout(side, 2)
        self._set_gift_enabled(False)
        self.reload()

    # ---- loading -----------------------------------------------------------------------------------------

    def reload(self, select_id: int | None = None) -> None:
        def loaded(gifts: list[CatalogGift]) -> None:
            gifts = sorted(gifts, key=lambda g: g.name.casefold())
            self.model.set_rows(gifts)
            if select_id is not None:
                self.select(select_id)

        self.tasks.run(self.services.catalog.all, loaded)

    def select(self, gift_id: int) -> None:
        for row, gift in enumerate(self.model.records()):
            if gift.id == gift_id:
                self.search.clear()
                self.table.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())
                return

    def current_gift(self) -> CatalogGift | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.model.record_at(self.proxy.mapToSource(index).row())

    @Slot()
    def _selected(self) -> None:
        gift = self.current_gift()
        self._set_gift_enabled(gift is not None)
        self.history.clear()
        if gift is None:
            self.gift_title.setText("Choose a gift")
            return
        self.gift_title.setText(f"{gift.name} — {whole(gift.coins)} coins now")
        self.price_edit.setText(str(gift.coins))
        gift_id = gift.id

        def shown(points: list[PricePoint]) -> None:
            current = self.current_gift()
            if current is None or current.id != gift_id:
                return  # another gift was chosen meanwhile
            self.history.clear()
            context = self.services.context
            for point in reversed(points):
                self.history.addItem(f"{whole(point.coins)} coins  from {local_time(point.valid_from, context, True)}")

        self.tasks.run(lambda: self.services.catalog.price_history(gift_id), shown)

    def _set_gift_enabled(self, enabled: bool) -> None:
        self.price_edit.setEnabled(enabled)
        self.price_button.setEnabled(enabled)

    # ---- editing -----------------------------------------------------------------------------------------

    @Slot()
    def set_price(self) -> None:
        gift = self.current_gift()
        if gift is None:
            return
        if not self.price_edit.text().strip():
            self._say("Type the new price in coins.", error=True)
            return
        coins = int(self.price_edit.text())
        gift_id, name = gift.id, gift.name

        def done(updated: CatalogGift) -> None:
            self._say(f"{name} costs {whole(updated.coins)} coins from now on.")
            self.changed.emit()
            self.reload(select_id=gift_id)

        self.tasks.write(lambda: self.services.catalog.set_price(gift_id, coins), done, (CATALOG,), self._refused)

    @Slot()
    def add_gift(self) -> None:
        name, coins_text = self.name_edit.text(), self.coins_edit.text().strip()
        if not coins_text:
            self._say("Give the gift's price in coins.", error=True)
            return
        coins, streakable = int(coins_text), self.streak_check.isChecked()

        def done(added: CatalogGift) -> None:
            self._say(f"Added {added.name} at {whole(added.coins)} coins.")
            self.name_edit.clear()
            self.coins_edit.clear()
            self.streak_check.setChecked(False)
            self.changed.emit()
            self.reload(select_id=added.id)

        add = self.services.catalog.add_custom
        self.tasks.write(lambda: add(name, coins, streakable), done, (CATALOG,), self._refused)

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, CompanionError):
            self._say(str(exc), error=True)
        else:
            self.tasks.report_error(exc)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet("color: #b3261e;" if error else "color: #1b7f3b;")
        self.message.setText(text)
