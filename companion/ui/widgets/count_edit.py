"""A whole-number field for a gift count: type it, or Up/Down and the wheel to step it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QIntValidator, QKeyEvent, QWheelEvent
from PySide6.QtWidgets import QLineEdit, QWidget

from companion.domain.economics import MAX_COUNT


class CountEdit(QLineEdit):
    """Styled like every other field (a QSpinBox without arrows draws no text under our style sheet)."""

    valueChanged = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("1", parent)
        self.setValidator(QIntValidator(1, MAX_COUNT, self))
        self.setPlaceholderText("1")
        self.textChanged.connect(self._text_changed)

    def value(self) -> int:
        """The count typed, or 1 while the field is empty."""
        text = self.text().strip()
        return max(1, min(int(text), MAX_COUNT)) if text.isdigit() else 1

    def setValue(self, value: int) -> None:
        self.setText(str(max(1, min(value, MAX_COUNT))))

    @Slot(str)
    def _text_changed(self, _text: str) -> None:
        self.valueChanged.emit(self.value())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        step = {Qt.Key.Key_Up: 1, Qt.Key.Key_Down: -1}.get(Qt.Key(event.key()))
        if step is None:
            super().keyPressEvent(event)
        else:
            self.setValue(self.value() + step)

    def wheelEvent(self, event: QWheelEvent) -> None:
        self.setValue(self.value() + (1 if event.angleDelta().y() > 0 else -1))
