"""Import gifts from a file: a preview of the first rows, column mapping for CSVs with other column names,
progress with cancel, and every problem listed by line when a file is refused (nothing is imported then).

The import runs off the GUI thread through `tasks.run`; its progress comes back through a queued signal."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from companion.domain.errors import ImportRejected
from companion.services import Services
from companion.services.context import ProfileContext
from companion.services.import_preview import COLUMNS, REQUIRED, event_preview, guess_mapping, read_preview
from companion.services.importing import ImportCancelled, ImportResult
from companion.ui.format import local_time
from companion.ui.tasks import CATALOG, GIFTS, STREAMS, TaskRunner
from companion.ui.widgets.time_reading_box import TimeReadingBox

MAX_SHOWN = 200
_NUMBER = re.compile(r"[0-9][0-9,]*")
PREVIEW_ROWS = 20
_NOT_MAPPED = "— not in the file —"
_STAGES = {"reading": (0, 40, "Reading"), "checking": (40, 50, "Checking"), "saving": (50, 100, "Saving")}
_LABELS = {
    "received_at": "Time received *", "sender": "Sender *", "gift": "Gift *",
    "coins_each": "Coins each", "count": "Count *", "stream": "Stream title",
}  # fmt: skip


def ask_and_import(
    parent: QWidget, services: Services, tasks: TaskRunner, on_imported: Callable[[], None] | None = None
) -> None:
    name, _ = QFileDialog.getOpenFileName(
        parent, "Import gifts", "", "Gift files (*.csv *.jsonl *.log);;Gift CSV (*.csv);;Event log (*.jsonl);;All (*)"
    )
    if name:
        dialog = ImportDialog(services, tasks, Path(name), parent)
        if on_imported is not None:
            dialog.imported.connect(on_imported)
        dialog.open()


class _Progress(QObject):
    """Carries the worker's progress calls to the GUI thread (a queued connection)."""

    changed = Signal(int, int, str)


class ImportDialog(QDialog):
    imported = Signal()

    def __init__(self, services: Services, tasks: TaskRunner, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.path = path
        self.cancel_event = threading.Event()
        self.running = False
        self.needs_mapping = False
        self.setWindowTitle(f"Import gifts — {path.name}")
        self.resize(860, 640)

        self.format_combo = QComboBox()
        self.format_combo.addItem("Gift CSV", "csv")
        self.format_combo.addItem("Event log (live capture, one JSON event a line)", "events")
        self.format_combo.setCurrentIndex(1 if path.suffix.lower() in (".jsonl", ".log", ".ndjson") else 0)
        self.format_combo.currentIndexChanged.connect(self._load_preview)
        self.preview = QTableWidget()
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.preview.setAlternatingRowColors(True)
        self.preview.verticalHeader().setDefaultSectionSize(26)
        self.preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.preview_note = QLabel()
        self.preview_note.setObjectName("muted")

        self.mapping_box = QGroupBox("Columns — which column of the file holds what (* needed)")
        mapping_grid = QGridLayout(self.mapping_box)
        mapping_grid.setHorizontalSpacing(12)
        self.mapping: dict[str, QComboBox] = {}
        for i, column in enumerate(COLUMNS):
            combo = QComboBox()
            combo.setMinimumWidth(230)
            combo.currentIndexChanged.connect(self._check_ready)
            self.mapping[column] = combo
            row, pair = i % 3, i // 3
            mapping_grid.addWidget(QLabel(_LABELS[column]), row, pair * 2, Qt.AlignmentFlag.AlignVCenter)
            mapping_grid.addWidget(combo, row, pair * 2 + 1)
        mapping_grid.setColumnStretch(1, 1)
        mapping_grid.setColumnStretch(3, 1)
        self.unused_note = QLabel("")
        self.unused_note.setObjectName("muted")
        mapping_grid.addWidget(self.unused_note, 3, 0, 1, 4)
        self.times_box = TimeReadingBox(services.context)  # issue 15: date format and zone, seen and changeable
        self.times_box.changed.connect(self._check_ready)
        self._preview: tuple[list[str], list[list[str]]] = ([], [])

        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setVisible(False)
        self.status = QLabel("")
        self.status.setWordWrap(True)
        self.errors = QPlainTextEdit()
        self.errors.setReadOnly(True)
        self.errors.setVisible(False)
        self.errors.setMaximumHeight(150)
        self.errors.setStyleSheet("color: #b3261e;")
        self.import_button = QPushButton("Import")
        self.import_button.setObjectName("primary")
        self.import_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)

        top = QHBoxLayout()
        top.addWidget(QLabel(f"<b>{path.name}</b>"), 1)
        top.addWidget(QLabel("Format"))
        top.addWidget(self.format_combo)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.preview_note)
        layout.addWidget(self.preview, 3)
        layout.addWidget(self.mapping_box)
        layout.addWidget(self.times_box)
        layout.addWidget(self.errors, 2)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)

        self._progress = _Progress(self)
        self._progress.changed.connect(self._show_progress)
        self._load_preview()

    # ---- preview and mapping -----------------------------------------------------------------------------

    @property
    def file_format(self) -> str:
        return str(self.format_combo.currentData())

    @Slot()
    def _load_preview(self) -> None:
        self.errors.setVisible(False)
        if self.file_format == "events":
            header, rows = _event_preview(self.path, self.services.context)
            line_numbers = [row.pop(0) for row in rows]
            header = header[1:]
            self.needs_mapping = False
            self.mapping_box.setVisible(False)
            self._preview = ([], [])
        else:
            try:
                header, rows = read_preview(self.path, PREVIEW_ROWS)
                line_numbers = [str(i + 2) for i in range(len(rows))]  # the header is line 1
            except ImportRejected as exc:
                header, rows, line_numbers = [], [], []
                self._show_errors(exc)
            self._fill_mapping(header)
            self._preview = (header, rows)
        self.times_box.setVisible(self.file_format != "events")  # an event log's times are instants
        self.preview.clear()
        self.preview.setColumnCount(len(header))
        self.preview.setRowCount(len(rows))
        self.preview.setHorizontalHeaderLabels(header)
        self.preview.setVerticalHeaderLabels(line_numbers)  # file lines, as the error messages count them
        for r, record in enumerate(rows):
            for c, cell in enumerate(record[: len(header)]):
                item = QTableWidgetItem(cell)
                if _NUMBER.fullmatch(cell.strip()):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.preview.setItem(r, c, item)
        self.preview.resizeColumnsToContents()
        for c in range(len(header)):
            self.preview.setColumnWidth(c, min(max(self.preview.columnWidth(c), 70), 260))
        shown = f"the first {len(rows)} rows" if len(rows) >= PREVIEW_ROWS else f"all {len(rows)} rows"
        note = f"Preview — {shown}, numbered by file line" if rows else "The file shows no rows to import."
        self.preview_note.setText(note)
        self._check_ready()

    def _fill_mapping(self, header: list[str]) -> None:
        guessed = guess_mapping(header)
        native = sorted(h.strip().lower() for h in header) == sorted(COLUMNS)
        for column, combo in self.mapping.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(_NOT_MAPPED, "")
            for name in header:
                combo.addItem(name, name)
            combo.setCurrentIndex(max(combo.findData(guessed.get(column, "")), 0))
            combo.blockSignals(False)
        # the native header needs no mapping; anything else shows what was matched, to check or change
        self.needs_mapping = bool(header) and not native
        self.mapping_box.setVisible(self.needs_mapping)

    def chosen_mapping(self) -> dict[str, str] | None:
        """Our column → the file's column, or None for a native CSV (or an event log)."""
        if not self.needs_mapping:
            return None
        return {column: combo.currentData() for column, combo in self.mapping.items() if combo.currentData()}

    @Slot()
    def _check_ready(self) -> None:
        mapping = self.chosen_mapping()
        self.times_box.set_preview(*self._preview, mapping)  # the time column may have changed
        if mapping is not None:
            used = set(mapping.values())
            unused = [self.mapping["gift"].itemText(i) for i in range(1, self.mapping["gift"].count())]
            unused = [name for name in unused if name not in used]
            self.unused_note.setText(f"Not imported: {', '.join(unused)}" if unused else "")
        missing = [_LABELS[c].rstrip(" *") for c in REQUIRED if mapping is not None and c not in mapping]
        no_zone = self.file_format != "events" and self.times_box.reading() is None
        ready = not self.running and not missing and not no_zone
        self.import_button.setEnabled(ready)
        if missing and not self.running:
            self.status.setText(f"Choose the column for: {', '.join(missing)}")
        elif no_zone and not self.running:
            self.status.setText("Choose the time zone of the file's times")
        elif not self.running:
            self.status.setText("")

    # ---- running -----------------------------------------------------------------------------------------

    @Slot()
    def start(self) -> None:
        self.running = True
        self.cancel_event.clear()
        self.errors.setVisible(False)
        self.import_button.setEnabled(False)
        self.format_combo.setEnabled(False)
        self.mapping_box.setEnabled(False)
        self.times_box.setEnabled(False)
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.status.setText("Reading…")
        path, mapping, file_format, cancel = self.path, self.chosen_mapping(), self.file_format, self.cancel_event
        gifts, report, times = self.services.gifts, self._progress.changed.emit, self.times_box.reading()

        def work() -> ImportResult:
            if file_format == "events":
                return gifts.import_events(path, report, cancel)
            return gifts.import_csv(path, mapping, report, cancel, times)

        self.tasks.write(work, self._done, (GIFTS, STREAMS, CATALOG), self._failed)

    @Slot(int, int, str)
    def _show_progress(self, done: int, total: int, what: str) -> None:
        low, high, label = _STAGES.get(what, (0, 100, what))
        share = min(done / total, 1.0) if total else 1.0
        self.progress.setValue(int(low + (high - low) * share))
        self.status.setText(f"{label}… {done:,} of {total:,}" if total > 1 else f"{label}…")

    @Slot()
    def cancel(self) -> None:
        if self.running:
            self.cancel_event.set()
            self.status.setText("Cancelling… nothing will be imported")
        else:
            self.reject()

    def _finish(self) -> None:
        self.running = False
        self.format_combo.setEnabled(True)
        self.mapping_box.setEnabled(True)
        self.times_box.setEnabled(True)

    def _done(self, result: ImportResult) -> None:
        self._finish()
        self.progress.setValue(100)
        self.status.setText(f"Done: {result.describe()}.")
        self.import_button.setEnabled(False)
        self.cancel_button.setText("Close")
        self.imported.emit()

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        self.progress.setVisible(False)
        self._check_ready()
        if isinstance(exc, ImportCancelled):
            self.status.setText("Import cancelled — nothing was imported.")
        elif isinstance(exc, ImportRejected):
            self._show_errors(exc)
        else:
            self.tasks.report_error(exc)

    def _show_errors(self, exc: ImportRejected) -> None:
        lines = [str(e) for e in exc.errors[:MAX_SHOWN]]
        if len(exc.errors) > MAX_SHOWN:
            lines.append(f"… and {len(exc.errors) - MAX_SHOWN} more")
        self.errors.setPlainText("\n".join(lines))
        self.errors.setVisible(True)
        n = len(exc.errors)
        self.status.setText(
            f"<b>Nothing was imported.</b> {self.path.name} has {n} problem{'s' if n != 1 else ''}; "
            "fix them and import again."
        )
        self.status.setTextFormat(Qt.TextFormat.RichText)


def _event_preview(path: Path, context: ProfileContext) -> tuple[list[str], list[list[str]]]:
    """The first events of a log as a table (time, sender, gift, coins, count, streak), read without the DB."""
    header = ["Line", "Time", "Sender", "Gift", "Coins each", "Count", "Streak"]
    rows: list[list[str]] = []
    for event in event_preview(path, PREVIEW_ROWS):
        line = str(event.line) if event.line else ""
        if event.problem or event.at is None:
            rows.append([line, "", "", event.problem, "", "", ""])
            continue
        coins = "" if event.coins_each is None else f"{event.coins_each:,}"
        rows.append(
            [line, local_time(event.at, context, True), event.sender, event.gift, coins, f"{event.count:,}",
             event.streak]
        )  # fmt: skip
    return header, rows
