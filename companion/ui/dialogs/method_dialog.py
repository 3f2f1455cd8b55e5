"""Add or edit a payment method. Secret fields are typed masked; they go straight to the service (and the
keyring) and are cleared from the dialog when it closes."""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from companion.domain.errors import CompanionError
from companion.domain.payment_methods import KIND_TITLES, KINDS, PaymentMethod, bank_countries, fields_for
from companion.services import Services
from companion.ui.tasks import METHODS, TaskRunner

OTHER_ROWS = 4


class MethodDialog(QDialog):
    """`MethodDialog(services, tasks, method=None)`: add when `method` is None, else edit it.
    `saved(method)` fires after the service saved it; the dialog then closes."""

    saved = Signal(object)

    def __init__(
        self, services: Services, tasks: TaskRunner, method: PaymentMethod | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.method = method
        self.setWindowTitle("Edit payment method" if method else "Add payment method")
        self.setMinimumWidth(580)
        self.edits: dict[str, QLineEdit] = {}
        self.other_rows: list[tuple[QLineEdit, QLineEdit]] = []

        self.kind_box = QComboBox()
        for kind in KINDS:
            self.kind_box.addItem(KIND_TITLES[kind], kind)
        self.label_edit = QLineEdit()
        self.label_edit.setPlaceholderText("Your name for it, e.g. PayPal main")
        # A bank's fields follow its country (CLABE in Mexico, sort code in the UK, IBAN in Germany...).
        self.country_box = QComboBox()
        self.country_box.addItem("Any country (IBAN or account number)", "")
        for code, name in bank_countries(QLocale().name()):
            self.country_box.addItem(f"{name} ({code})", code)
        self.replace_box = QCheckBox("Replace the saved details (type all of them again)")
        # One form for everything, so labels and fields line up; field rows follow the fixed rows.
        self.fields_form = QFormLayout()
        self.fields_form.addRow("Kind", self.kind_box)
        self.fields_form.addRow("Label", self.label_edit)
        self.fields_form.addRow("Bank country", self.country_box)
        if method is not None:
            self.fields_form.addRow("", self.replace_box)
        self._fixed_rows = self.fields_form.rowCount()
        self.show_box = QCheckBox("Show what I type")
        note = QLabel("These details are saved in your system keyring only — never in the app's files or logs.")
        note.setObjectName("muted")
        note.setWordWrap(True)
        self.error_label = QLabel("")
        self.error_label.setObjectName("error")
        self.error_label.setStyleSheet("color: #c62828;")
        self.error_label.setWordWrap(True)
        self.error_label.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(self.fields_form)
        options = QHBoxLayout()
        options.addWidget(self.show_box)
        options.addStretch(1)
        layout.addLayout(options)
        layout.addWidget(note)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        self.kind_box.currentIndexChanged.connect(self._build_fields)
        self.country_box.currentIndexChanged.connect(self._build_fields)
        self.show_box.toggled.connect(self._set_echo)
        self.replace_box.toggled.connect(self._enable_fields)
        if method is not None:
            self.kind_box.setCurrentIndex(KINDS.index(method.kind))
            self.kind_box.setEnabled(False)
            self.label_edit.setText(method.label)
        self._build_fields()

    # ---- fields ----------------------------------------------------------------------------------------

    @property
    def kind(self) -> str:
        return str(self.kind_box.currentData())

    @property
    def country(self) -> str:
        return str(self.country_box.currentData() or "") if self.kind == "bank" else ""

    def _secret_edit(self, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setEchoMode(QLineEdit.EchoMode.Normal if self.show_box.isChecked() else QLineEdit.EchoMode.Password)
        edit.setPlaceholderText("saved — unchanged" if self.method else placeholder)
        edit.setMinimumWidth(280)
        return edit

    @Slot()
    def _build_fields(self) -> None:
        self._clear_secrets()
        while self.fields_form.rowCount() > self._fixed_rows:
            self.fields_form.removeRow(self._fixed_rows)
        self.edits = {}
        self.other_rows = []
        self.fields_form.setRowVisible(self.country_box, self.kind == "bank")
        if self.kind == "other":
            names = list(self.method.fields) if self.method else []
            for row in range(OTHER_ROWS):
                name = QLineEdit(names[row] if row < len(names) else "")
                name.setPlaceholderText("Field name")
                value = self._secret_edit("Secret value")
                value.setMinimumWidth(200)
                pair = QHBoxLayout()
                pair.addWidget(name, 1)
                pair.addWidget(value, 1)
                self.fields_form.addRow(f"Field {row + 1}", pair)
                self.other_rows.append((name, value))
            self._enable_fields(self.method is None)
            return
        for spec in fields_for(self.kind, self.country):
            if spec.name == "country":
                continue  # the picker above
            edit = self._secret_edit(spec.placeholder)
            self.edits[spec.name] = edit
            self.fields_form.addRow(spec.title + ("" if spec.required else " (optional)"), edit)
        self._enable_fields(self.method is None)

    @Slot(bool)
    def _enable_fields(self, enabled: bool) -> None:
        for edit in self._value_edits() + [name for name, _ in self.other_rows]:
            edit.setEnabled(enabled)
        self.country_box.setEnabled(enabled)

    @Slot(bool)
    def _set_echo(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        for edit in self._value_edits():
            edit.setEchoMode(mode)

    def _value_edits(self) -> list[QLineEdit]:
        return list(self.edits.values()) + [value for _, value in self.other_rows]

    def values(self) -> dict[str, str]:
        if self.kind == "other":
            return {name.text(): value.text() for name, value in self.other_rows if name.text().strip()}
        values = {name: edit.text() for name, edit in self.edits.items()}
        return values | {"country": self.country} if self.country else values

    def _clear_secrets(self) -> None:
        for edit in self._value_edits():
            edit.clear()

    # ---- saving ----------------------------------------------------------------------------------------

    @Slot()
    def submit(self) -> None:
        label = self.label_edit.text()
        methods = self.services.methods
        if self.method is None:
            kind, values = self.kind, self.values()
            work = lambda: methods.add(kind, label, values)  # noqa: E731
        else:
            method_id = self.method.id
            replacing = self.replace_box.isChecked()
            new_values = self.values() if replacing else None
            work = lambda: methods.edit(method_id, label, new_values)  # noqa: E731
        self.buttons.setEnabled(False)
        self.error_label.setVisible(False)
        self.tasks.write(work, self._saved, (METHODS,), self._refused, self.parent())

    def _saved(self, method: PaymentMethod) -> None:
        self.buttons.setEnabled(True)
        self._clear_secrets()
        self.saved.emit(method)
        self.accept()

    def _refused(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        if not isinstance(exc, CompanionError):
            self.tasks.report_error(exc)
            return
        field = getattr(exc, "field", None)
        title = self._field_title(field)
        self.error_label.setText(f"{title}: {exc}" if title else str(exc))
        self.error_label.setVisible(True)
        target = self.edits.get(field or "") or {"label": self.label_edit, "country": self.country_box}.get(field or "")
        if target is None and self.other_rows and field:
            target = next((v for n, v in self.other_rows if n.text().strip() == field), self.other_rows[0][0])
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _field_title(self, field: str | None) -> str:
        if field is None:
            return ""
        if field == "label":
            return "Label"
        spec = next((s for s in fields_for(self.kind, self.country) if s.name == field), None)
        return spec.title if spec else field

    def done(self, result: int) -> None:
        self._clear_secrets()
        super().done(result)
