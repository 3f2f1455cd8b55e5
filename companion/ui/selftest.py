"""`companion --self-test`: the window opens, the database writes and reads, resources and keyring answer."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QElapsedTimer
from PySide6.QtWidgets import QApplication

from companion import __version__
from companion.services import Services
from companion.ui.main_window import MainWindow

MIN_CATALOG = 40


def run_self_test(app: QApplication, window: MainWindow, services: Services, screenshot: Path | None) -> int:
    from companion.credentials.health import keyring_health
    from companion.store.db import current_revision, head_revision

    problems: list[str] = []
    timer = QElapsedTimer()
    timer.start()
    while (window.tasks.pending or not window.isVisible()) and timer.elapsed() < 10_000:
        app.processEvents()
    if window.tasks.pending:
        problems.append("the window did not finish loading within 10 s")

    stored = services.profiles.write_check("self_test.last_run")
    revision = current_revision(services.db.engine)
    if revision != head_revision():
        problems.append(f"database schema at {revision}, expected {head_revision()}")
    gifts = len(services.catalog.all())
    if gifts < MIN_CATALOG:
        problems.append(f"gift catalog has {gifts} gifts, expected at least {MIN_CATALOG}")
    health = keyring_health()

    if screenshot is not None:
        for _ in range(5):
            app.processEvents()
        if not window.grab().save(str(screenshot)):
            problems.append(f"could not save the screenshot to {screenshot}")

    print(f"Creator Companion {__version__} self-test")
    print(f"  window:   {window.width()}x{window.height()} on platform '{app.platformName()}'")
    print(f"  database: {services.db.path} (schema {revision}; wrote and read back {stored})")
    print(f"  catalog:  {gifts} gifts")
    print(f"  keyring:  {health.backend} ({'secure' if health.secure else 'NOT secure'}: {health.detail})")
    if screenshot is not None:
        print(f"  screenshot: {screenshot}")
    window.close()
    for problem in problems:
        print(f"  FAILED: {problem}", file=sys.stderr)
    print("self-test " + ("failed" if problems else "passed"))
    return 1 if problems else 0
