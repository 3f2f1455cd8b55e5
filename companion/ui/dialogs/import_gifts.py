"""Import gifts from a native CSV: pick a file, import it off the GUI thread, say exactly what happened."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from companion.domain.errors import ImportRejected
from companion.services import Services
from companion.services.gifts import ImportResult
from companion.ui.tasks import TaskRunner

MAX_SHOWN = 50


def ask_and_import(parent: QWidget, services: Services, tasks: TaskRunner, on_imported: object = None) -> None:
    name, _ = QFileDialog.getOpenFileName(parent, "Import gifts", "", "Gift CSV (*.csv);;All files (*)")
    if name:
        import_file(parent, services, tasks, Path(name), on_imported)


def import_file(parent: QWidget, services: Services, tasks: TaskRunner, path: Path, on_imported: object) -> None:
    def done(result: ImportResult) -> None:
        QMessageBox.information(parent, "Import finished", f"{path.name}: {result.describe()}.")
        if callable(on_imported):
            on_imported()

    def failed(exc: BaseException) -> None:
        if not isinstance(exc, ImportRejected):
            tasks.report_error(exc)
            return
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Nothing was imported")
        box.setText(f"{path.name} has {len(exc.errors)} problem(s), so nothing was imported. Fix them and try again.")
        lines = [str(e) for e in exc.errors[:MAX_SHOWN]]
        if len(exc.errors) > MAX_SHOWN:
            lines.append(f"… and {len(exc.errors) - MAX_SHOWN} more")
        box.setDetailedText("\n".join(lines))
        box.setInformativeText(lines[0] if lines else "")
        box.open()

    tasks.run(lambda: services.gifts.import_csv(path), done, failed)
