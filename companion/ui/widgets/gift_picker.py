"""Pick a gift fast: search the catalog, count, sender, Enter to log."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QStringListModel, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QCompleter,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from companion.domain.catalog import gift_key
from companion.domain.models import CatalogGift
from companion.ui.format import whole
from companion.ui.widgets.count_edit import CountEdit


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
    #: Ctrl+Z inside the picker means "undo the last gift", not "undo my typing" (the fields are tiny).
    undo_requested = Signal()

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
        self.price_label.setText(" ")

        self.count_edit = CountEdit()
        self.count_edit.setAccessibleName("Count")
        self.count_edit.setToolTip("How many (Up/Down to change)")
        self.count_edit.setFixedWidth(80)

        self.sender_edit = QLineEdit()
        self.sender_edit.setPlaceholderText("Sender (optional)")
        self.sender_edit.setAccessibleName("Sender")
        self.sender_edit.setMinimumWidth(150)
        sender_completer, self._sender_names = _completer(self)
        self.sender_edit.setCompleter(sender_completer)

        self.log_button = QPushButton("Log gift")
        self.log_button.setObjectName("primary")
        self.log_button.setToolTip("Log this gift (Enter)")
        self.log_button.setEnabled(False)

        self.gift_edit.setMinimumWidth(200)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setVerticalSpacing(4)
        layout.addWidget(self.gift_edit, 0, 0)
        layout.addWidget(self.count_edit, 0, 1)
        layout.addWidget(self.sender_edit, 0, 2)
        layout.addWidget(self.log_button, 0, 3)
        layout.addWidget(self.price_label, 1, 0, 1, 4)
        layout.setColumnStretch(0, 3)
        layout.setColumnStretch(2, 2)

        self.gift_edit.textChanged.connect(self._update)
        self.count_edit.valueChanged.connect(self._update)
        for field in (self.gift_edit, self.sender_edit):
            field.returnPressed.connect(self.submit)
        self.count_edit.returnPressed.connect(self.submit)
        self.log_button.clicked.connect(self.submit)
        for editor in (self.gift_edit, self.sender_edit, self.count_edit):
            editor.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        is_key = event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)
        if is_key and isinstance(event, QKeyEvent) and event.matches(QKeySequence.StandardKey.Undo):
            event.accept()
            if event.type() == QEvent.Type.KeyPress:
                self.undo_requested.emit()
            return True
        return super().eventFilter(watched, event)

    def set_catalog(self, gifts: Sequence[CatalogGift]) -> None:
        self._gifts = {gift_key(g.name): g for g in gifts}
        self._gift_names.setStringList([g.name for g in gifts])
        self._update()

    def set_senders(self, senders: Sequence[str]) -> None:
        self._sender_names.setStringList(list(senders))

    def add_sender(self, sender: str) -> None:
        known = self._sender_names.stringList()
        if sender and sender not in known:
            self._sender_names.setStringList([*known, sender])

    def matches(self) -> list[CatalogGift]:
        needle = gift_key(self.gift_edit.text())
        return [g for key, g in self._gifts.items() if needle and needle in key]

    def selected_gift(self) -> CatalogGift | None:
        """The exact gift typed, or the only gift whose name contains what was typed."""
        exact = self._gifts.get(gift_key(self.gift_edit.text()))
        if exact is not None:
            return exact
        found = self.matches()
        return found[0] if len(found) == 1 else None

    @Slot()
    def _update(self) -> None:
        gift = self.selected_gift()
        self.log_button.setEnabled(gift is not None)
        if gift is None:
            found = len(self.matches())
            if not self.gift_edit.text().strip():
                self.price_label.setText("Type part of a gift's name; Enter logs it, Ctrl+Z undoes the last one.")
            else:
                self.price_label.setText(f"{found} matches: pick one" if found else "not in the catalog")
            return
        diamonds = gift.coins * self.count_edit.value()
        coin_word = "coin" if gift.coins == 1 else "coins"
        price = f"{whole(gift.coins)} {coin_word} · {whole(diamonds)} diamonds"
        exact = gift_key(self.gift_edit.text()) == gift_key(gift.name)
        self.price_label.setText(price if exact else f"{gift.name}: {price}")

    @Slot()
    def submit(self) -> None:
        gift = self.selected_gift()
        if gift is None:
            self.gift_edit.setFocus()
            return
        self.submitted.emit(gift.name, self.count_edit.value(), self.sender_edit.text().strip())
        self.count_edit.setValue(1)
        self.sender_edit.clear()
        self.gift_edit.setFocus()
        self.gift_edit.selectAll()
