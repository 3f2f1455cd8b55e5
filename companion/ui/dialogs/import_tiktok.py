"""File → Import TikTok data download…: choose the .zip or JSON, see each LIVE and what importing does with it
(matched to a stream, a new past stream, already imported), choose what unit TotalEarning counts, then import
all or nothing. Nothing is written before “Import”."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from companion.domain.errors import CompanionError
from companion.services import Services
from companion.services.tiktok_import import (
    ALREADY,
    EARNING_UNITS,
    MATCHED,
    NEW_STREAM,
    UPDATED,
    TikTokExport,
    TikTokImportResult,
    TikTokPlan,
    suggested_unit,
)
from companion.ui.format import local_short, plural, whole
from companion.ui.tasks import STREAMS, TaskRunner

HEADERS = ("Started", "Title on TikTok", "TotalEarning", "Diamonds", "What happens")
MAX_ROWS = 500  # the preview shows the newest; the import takes them all


class ImportTikTokDialog(QDialog):
    imported = Signal(object)  # TikTokImportResult

    def __init__(
        self, services: Services, tasks: TaskRunner, parent: QWidget | None = None, path: Path | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.export: TikTokExport | None = None
        self.plan: TikTokPlan | None = None
        self.setWindowTitle("Import TikTok data download")
        self.resize(860, 560)

        intro = QLabel(
            "In TikTok: Settings → Account → Download your data, choose <b>JSON</b>. Each LIVE in it is matched to "
            "your stream that started within 10 minutes of it, or becomes a past stream without gifts. TikTok's "
            "total is kept beside it, so the Streams page can show which LIVEs miss gifts."
        )
        intro.setWordWrap(True)
        self.file_label = QLabel("No file chosen")
        self.file_label.setObjectName("muted")
        self.choose_button = QPushButton("Choose file…")
        self.choose_button.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.choose_button)
        file_row.addWidget(self.file_label, 1)

        self.unit_combo = QComboBox()
        for key, text in EARNING_UNITS.items():
            self.unit_combo.addItem(text, key)
        self.unit_combo.setEnabled(False)
        self.unit_combo.currentIndexChanged.connect(self._unit_changed)
        self.unit_label = QLabel("")
        self.unit_label.setWordWrap(True)
        unit_row = QHBoxLayout()
        unit_row.addWidget(QLabel("TotalEarning counts:"))
        unit_row.addWidget(self.unit_combo)
        unit_row.addStretch(1)

        self.summary_label = QLabel("")
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextFormat(Qt.TextFormat.PlainText)  # keys and titles come from the file
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.error_label = QLabel("")
        self.error_label.setStyleSheet("color: #c8102e;")
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)

        self.import_button = QPushButton("Import")
        self.import_button.setObjectName("primary")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.run_import)
        close = QPushButton("Close")
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        buttons.addWidget(self.import_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(file_row)
        layout.addLayout(unit_row)
        layout.addWidget(self.unit_label)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        if path is not None:
            self.load(path)

    @Slot()
    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "TikTok data download", "", "TikTok data (*.zip *.json);;All (*)")
        if name:
            self.load(Path(name))

    def load(self, path: Path) -> None:
        """Read the file and preview it with the unit its totals suggest (off the GUI thread; nothing written)."""
        self.file_label.setText(str(path))
        self._busy("Reading…")
        tiktok = self.services.tiktok

        def work() -> TikTokPlan:
            export = tiktok.read(path)
            return tiktok.preview(export, suggested_unit(export))

        self.tasks.run(work, self._show_plan, self._refused)

    @Slot()
    def _unit_changed(self) -> None:
        if self.export is None or self.plan is None or self.unit_combo.currentData() == self.plan.unit:
            return
        export, unit, tiktok = self.export, self.unit_combo.currentData(), self.services.tiktok
        self._busy("Checking…")
        self.tasks.run(lambda: tiktok.preview(export, unit), self._show_plan, self._refused)

    def _busy(self, text: str) -> None:
        self.import_button.setEnabled(False)
        self.error_label.setText("")
        self.summary_label.setText(text)

    def _show_plan(self, plan: TikTokPlan) -> None:
        self.export, self.plan = plan.export, plan
        self.unit_combo.blockSignals(True)
        self.unit_combo.setCurrentIndex(self.unit_combo.findData(plan.unit))
        self.unit_combo.blockSignals(False)
        self.unit_combo.setEnabled(True)
        self.unit_label.setText(f"{plan.unit_note()}. TikTok does not say which; change it above if that is wrong.")
        lives = len(plan.lives)
        parts = [
            f"{plural(lives, 'LIVE')} in {plan.export.member}: {plan.count(MATCHED)} matched to your streams",
            f"{plural(plan.count(NEW_STREAM), 'new past stream')}",
            f"{plan.count(ALREADY)} already imported",
        ]
        if plan.count(UPDATED):
            parts.append(f"{plural(plan.count(UPDATED), 'total')} updated (the file or the unit differs)")
        text = ", ".join(parts) + "."
        if plan.export.unknown_keys:
            text += f"\nKeys not read (kept out of the app): {', '.join(plan.export.unknown_keys)}."
        for note in plan.export.notes:
            text += f"\n{note[0].upper()}{note[1:]}."
        self.summary_label.setText(text)
        self._fill(plan)
        self.import_button.setEnabled(any(p.action != ALREADY for p in plan.lives))

    def _fill(self, plan: TikTokPlan) -> None:
        shown = list(reversed(plan.lives))[:MAX_ROWS]  # newest first, as TikTok lists them
        self.table.setRowCount(len(shown))
        for row, planned in enumerate(shown):
            live = planned.live
            what = f"{planned.action}: “{planned.stream_title}”" if planned.action == MATCHED else planned.action
            cells = (
                local_short(live.started_at, self.services.context),
                live.title,
                "–" if live.earning is None else f"{live.earning:,}",
                "–" if planned.diamonds is None else whole(planned.diamonds),
                what,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (2, 3):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

    def _refused(self, exc: BaseException) -> None:
        if not isinstance(exc, CompanionError):
            self.tasks.report_error(exc)
            return
        problems = getattr(exc, "problems", None)
        self.error_label.setText("\n".join(problems[:20]) if problems else str(exc))
        self.summary_label.setText("Nothing was imported.")
        self.import_button.setEnabled(False)
        if self.plan is None:
            self.table.setRowCount(0)

    @Slot()
    def run_import(self) -> None:
        if self.export is None or self.plan is None:
            return
        export, unit, tiktok = self.export, self.plan.unit, self.services.tiktok
        self._busy("Importing…")
        self.tasks.write(lambda: tiktok.import_export(export, unit), self._done, (STREAMS,), self._refused)

    def _done(self, result: TikTokImportResult) -> None:
        self.summary_label.setText(f"Imported: {result.describe()}.")
        self.error_label.setText("")
        self.imported.emit(result)
        self.plan = None  # a second press would only find them all imported
