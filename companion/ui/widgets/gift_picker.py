"""Pick a gift fast: search the catalog, count, sender, Enter to log."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QStringListModel, Qt, Signal, Slot
from PySide6.QtWidgets import QCompleter, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QWidget

from companion.domain.catalog import gift_key
from companion.domain.models import CatalogGift
from companion.ui.format import whole


def _completer(parent: QWidget) -> tuple[QCompleter, QStringListModel]:
    model = QStringListModel(parent)
    completer = QCompleter(model, parent)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setMaxVisibleItems(12)
    return completer, model


class GiftPicker(QWidget):
    """Emits `submitted(gift name, count, sender)` when the user logs a gift from the catalog."""

    submitted = Signal(str, int, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._gifts: dict[str, CatalogGift] = {}

        self.gift_edit = QLineEdit()
        self.gift_edit.setPlaceholderText("Gift – type to search, e.g. Rose")
        self.gift_edit.setAccessibleName("Gift")
        gift_completer, self._gift_names = _completer(self)
        self.gift_edit.setCompleter(gift_completer)
        gift_completer.activated.connect(self._update)

        self.price_label = QLabel("")
        self.price_label.setObjectName("muted")
        self.price_label.setMinimumWidth(140)

        self.count_spin = QSpinBox()
        self.count_spin.setRange(1, 1_000_000)
        self.count_spin.setPrefix("× ")
        self.count_spin.setAccessibleName("Count")
        self.count_spin.setMinimumWidth(90)

        self.sender_edit = QLineEdit()
        self.sender_edit.setPlaceholderText("Sender (optional)")
        self.sender_edit.setAccessibleName("Sender")
        sender_completer, self._sender_names = _completer(self)
        self.sender_edit.setCompleter(sender_completer)

        self.log_button = QPushButton("Log gift")
        self.log_button.setObjectName("primary")
        self.log_button.setToolTip("Log this gift (Enter)")
        self.log_button.setEnabled(False)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.gift_edit, 3)
        layout.addWidget(self.price_label)
        layout.addWidget(self.count_spin)
        layout.addWidget(self.sender_edit, 2)
        layout.addWidget(self.log_button)

        self.gift_edit.textChanged.connect(self._update)
        self.count_spin.valueChanged.connect(self._update)
        for field in (self.gift_edit, self.sender_edit):
            field.returnPressed.connect(self.submit)
        self.count_spin.lineEdit().returnPressed.connect(self.submit)
        self.log_button.clicked.connect(self.submit)

    def set_catalog(self, gifts: Sequence[CatalogGift]) -> None:
        self._gifts = {gift_key(g.name): g for g in gifts}
        self._gift_names.setStringList([g.name for g in gifts])
        self._update()

    def set_senders(self, senders: Sequence[str]) -> None:
        self._sender_names.setStringList(list(senders))

    def selected_gift(self) -> CatalogGift | None:
        return self._gifts.get(gift_key(self.gift_edit.text()))

    @Slot()
    def _update(self) -> None:
        gift = self.selected_gift()
        self.log_button.setEnabled(gift is not None)
        if gift is None:
            self.price_label.setText("not in the catalog" if self.gift_edit.text().strip() else "")
            return
        diamonds = gift.coins * self.count_spin.value()
        coin_word = "coin" if gift.coins == 1 else "coins"
        self.price_label.setText(f"{whole(gift.coins)} {coin_word} · {whole(diamonds)} diamonds")

    @Slot()
    def submit(self) -> None:
        gift = self.selected_gift()
        if gift is None:
            self.gift_edit.setFocus()
            return
        self.submitted.emit(gift.name, self.count_spin.value(), self.sender_edit.text().strip())
        self.count_spin.setValue(1)
        self.sender_edit.clear()
        self.gift_edit.setFocus()
        self.gift_edit.selectAll()
