"""A currency picker: every ISO 4217 currency in use, each named in the UI language ("KZT — Kazakhstani Tenge")."""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QComboBox, QWidget

from companion.domain.iso4217 import currency_choices


class CurrencyBox(QComboBox):
    """Items show code and name, carry the code; typing the first letters of a code jumps to it."""

    def __init__(self, parent: QWidget | None = None, locale: str | None = None) -> None:
        super().__init__(parent)
        for code, name in currency_choices(locale or QLocale().name()):
            self.addItem(f"{code} — {name}" if name != code else code, code)

    def code(self) -> str:
        return str(self.currentData() or "")

    def set_code(self, code: str) -> None:
        """Select `code`; one the list lacks (a currency retired since it was saved) is added, so it still shows."""
        index = self.findData(code.upper())
        if index < 0:
            self.addItem(code.upper(), code.upper())
            index = self.count() - 1
        self.setCurrentIndex(index)
