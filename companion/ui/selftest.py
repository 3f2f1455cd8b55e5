"""`companion --self-test`: the window opens, the database writes and reads, resources and keyring answer."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QElapsedTimer
from PySide6.QtWidgets import QApplication

from companion import __version__
from companion.services import Services
from companion.services.diagnostics import diagnose
from companion.ui.main_window import MainWindow


def run_self_test(app: QApplication, window: MainWindow, services: Services, screenshot: Path | None) -> int:
    problems: list[str] = []
    timer = QElapsedTimer()
    timer.start()
    while (window.tasks.pending or not window.isVisible()) and timer.elapsed() < 10_000:
        app.processEvents()
    if window.tasks.pending:
        problems.append("the window did not finish loading within 10 s")

    report = diagnose(services.db, services.profiles, services.catalog)
    problems += report.problems()
    if screenshot is not None:
        for _ in range(5):
            app.processEvents()
        if not window.grab().save(str(screenshot)):
            problems.append(f"could not save the screenshot to {screenshot}")

    keyring = report.keyring
    print(f"Creator Companion {__version__} self-test")
    print(f"  window:   {window.width()}x{window.height()} on platform '{app.platformName()}'")
    print(f"  database: {report.database} (schema {report.schema}; wrote and read back {report.wrote_and_read})")
    print(f"  catalog:  {report.catalog_gifts} gifts")
    print(f"  keyring:  {keyring.backend} ({'secure' if keyring.secure else 'NOT secure'}: {keyring.detail})")
    if screenshot is not None:
        print(f"  screenshot: {screenshot}")
    window.close()
    for problem in problems:
        print(f"  FAILED: {problem}", file=sys.stderr)
    print("self-test " + ("failed" if problems else "passed"))
    return 1 if problems else 0
