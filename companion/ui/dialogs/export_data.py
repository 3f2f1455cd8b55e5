"""Export dialog: native CSV, QIF, or the monthly PDF statement, written off the GUI thread with a progress bar
and a Cancel button (a cancelled export leaves no file behind)."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QDate, QObject, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion.domain.errors import CompanionError
from companion.services import Services
from companion.services.exports import ExportCancelled
from companion.ui.tasks import TaskRunner

FORMATS = (
    ("csv", "Gifts as CSV (opens in spreadsheets, re-imports exactly)", "Gift CSV (*.csv)"),
    ("qif", "QIF for GnuCash, HomeBank or KMyMoney", "QIF (*.qif)"),
    ("pdf", "Monthly statement (PDF)", "PDF (*.pdf)"),
)


class _Progress(QObject):
    """Carries progress from the worker thread to the dialog (queued signal)."""

    moved = Signal(int, int)


class ExportDialog(QDialog):
    def __init__(self, services: Services, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.setMinimumWidth(460)
        self.services = services
        self.tasks = tasks
        self.cancel_event = threading.Event()
        self.running = False
        self.written: Path | None = None

        self.format_box = QComboBox()
        for key, text, _ in FORMATS:
            self.format_box.addItem(text, key)
        self.format_box.currentIndexChanged.connect(self._format_changed)
        self.one_month = QCheckBox("Only one month")
        self.month_edit = QDateEdit(QDate(services.context.today()))  # the profile's month, not the computer's
        self.month_edit.setDisplayFormat("MMMM yyyy")
        self.month_edit.setCalendarPopup(False)
        self.one_month.toggled.connect(self.month_edit.setEnabled)
        self.month_edit.setEnabled(False)
        form = QFormLayout()
        form.addRow("What", self.format_box)
        form.addRow(self.one_month, self.month_edit)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status = QLabel("")
        self.status.setObjectName("muted")
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.export_button = QPushButton("Export…")
        self.export_button.setObjectName("primary")
        self.buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.export_button.clicked.connect(self.choose_and_export)
        self.close_button.clicked.connect(self.cancel_or_close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self._relay = _Progress(self)
        self._relay.moved.connect(self._moved)

    def month(self) -> str | None:
        if self.format_box.currentData() == "pdf" or self.one_month.isChecked():
            return self.month_edit.date().toString("yyyy-MM")
        return None

    @Slot(int)
    def _format_changed(self, _index: int) -> None:
        pdf = self.format_box.currentData() == "pdf"
        self.one_month.setChecked(pdf or self.one_month.isChecked())
        self.one_month.setEnabled(not pdf)

    @Slot()
    def choose_and_export(self) -> None:
        key = self.format_box.currentData()
        pattern = next(p for k, _, p in FORMATS if k == key)
        suffix = f"-{self.month()}" if self.month() else ""
        name, _ = QFileDialog.getSaveFileName(self, "Export to", f"creator-companion{suffix}.{key}", pattern)
        if name:
            self.export_to(Path(name))

    def export_to(self, path: Path) -> None:
        key, month = self.format_box.currentData(), self.month()
        exports, relay, cancel = self.services.exports, self._relay, self.cancel_event
        cancel.clear()
        self.running = True
        self.export_button.setEnabled(False)
        self.close_button.setText("Cancel")
        self.progress.setRange(0, 0)  # busy until the first progress report
        self.status.setText(f"Writing {path.name}…")

        def work() -> object:
            if key == "csv":
                exports.export_csv(path, month, progress=relay.moved.emit, cancelled=cancel.is_set)
            elif key == "qif":
                exports.export_qif(path, month)
            else:
                return exports.statement(month or "")  # drawn on the GUI thread: QTextDocument wants it there
            return path

        def done(result: object) -> None:
            if key == "pdf":
                from companion.render.statement_pdf import write_statement_pdf

                try:
                    result = write_statement_pdf(result, path)  # type: ignore[arg-type]
                except Exception as exc:  # shown like any other failure
                    self._failed(exc)
                    return
            self._finish(Path(str(result)))

        self.tasks.run(work, done, self._failed)

    def _finish(self, written: Path) -> None:
        self.running = False
        self.written = written
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.status.setText(f"Saved {written}")
        self.export_button.setEnabled(True)
        self.close_button.setText("Close")

    def _failed(self, exc: BaseException) -> None:
        self.running = False
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.export_button.setEnabled(True)
        self.close_button.setText("Close")
        if isinstance(exc, ExportCancelled | CompanionError):
            self.status.setText(str(exc))
        else:
            self.status.setText("The export failed; nothing was written.")
            self.tasks.report_error(exc)

    @Slot(int, int)
    def _moved(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.status.setText(f"{done:,} of {total:,} gifts written…")

    @Slot()
    def cancel_or_close(self) -> None:
        if self.running:
            self.cancel_event.set()
            self.status.setText("Cancelling…")
        else:
            self.reject()
