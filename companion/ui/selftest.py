"""`companion --self-test`: the window opens and every page builds, the database is migrated to head and writes,
the bundled resources and migrations are all there, and the keyring is a secure one that really stores a secret.

Prints one line per check and exits non-zero on any miss. Frozen builds carry `companion_build.json` (written by
build/companion.spec) listing every resource and migration the build meant to bundle; each one is checked."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QElapsedTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from companion import __version__
from companion.paths import resource_path
from companion.services import Services
from companion.services.diagnostics import (
    REQUIRED_RESOURCES,
    build_manifest,
    diagnose,
    keyring_round_trip,
    library_data,
    migration_problems,
    resource_problems,
)
from companion.ui.main_window import MainWindow
from companion.ui.pages import PAGES

log = logging.getLogger(__name__)

#: Drawn through Qt's image plugins (SVG needs the qsvg plugin in the bundle).
IMAGES = ("icons/app.svg", "icons/app.png")
WAIT_MS = 10_000


class ErrorLog(logging.Handler):
    """Collects ERROR and worse log records while the self-test runs: an exception in a page or a background
    task is logged (app.py's excepthook, ui/tasks.py) rather than raised, and must still fail the self-test."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    @classmethod
    @contextmanager
    def attached(cls) -> Iterator[ErrorLog]:
        handler = cls()
        logging.getLogger().addHandler(handler)
        try:
            yield handler
        finally:
            logging.getLogger().removeHandler(handler)

    def problems(self) -> list[str]:
        return [f"error logged: {r.getMessage().splitlines()[0]}" for r in self.records]


def image_problems() -> list[str]:
    found = []
    for name in IMAGES:
        path = resource_path(*name.split("/"))
        if path.is_file() and QImage(str(path)).isNull():
            found.append(f"cannot draw {name}: Qt's image plugin for {path.suffix} is missing")
    return found


def _wait_idle(app: QApplication, window: MainWindow) -> bool:
    timer = QElapsedTimer()
    timer.start()
    while (window.tasks.pending or not window.isVisible()) and timer.elapsed() < WAIT_MS:
        app.processEvents()
    return not window.tasks.pending


def page_problems(app: QApplication, window: MainWindow) -> list[str]:
    """Show every page once (pages are imported lazily: a frozen build must have bundled each module)."""
    found = []
    for spec in PAGES:
        try:
            window.show_page(spec.key)
        except Exception as exc:
            log.exception("page %s could not be built", spec.key)
            found.append(f"page {spec.title!r} could not be built: {type(exc).__name__}: {exc}")
            continue
        if not _wait_idle(app, window):
            found.append(f"page {spec.title!r} did not finish loading within {WAIT_MS // 1000} s")
    window.show_page(PAGES[0].key)
    _wait_idle(app, window)
    return found


def run_self_test(
    app: QApplication, window: MainWindow, services: Services, screenshot: Path | None, errors: ErrorLog | None = None
) -> int:
    problems: list[str] = []
    if not _wait_idle(app, window):
        problems.append(f"the window did not finish loading within {WAIT_MS // 1000} s")
    if not window.isVisible():
        problems.append("the main window did not open")
    problems += page_problems(app, window)

    report = diagnose(services.db, services.profiles, services.catalog)
    problems += report.problems()
    manifest = build_manifest()
    problems += resource_problems(manifest) + migration_problems(manifest) + image_problems()
    libraries, library_problems = library_data()
    problems += library_problems
    keyring = report.keyring
    if not keyring.secure:
        problems.append(f"keyring {keyring.backend} cannot hold secrets")
    else:
        failed = keyring_round_trip(services.methods.store)
        if failed:
            problems.append(failed)
    if screenshot is not None:
        for _ in range(5):
            app.processEvents()
        if not window.grab().save(str(screenshot)):
            problems.append(f"could not save the screenshot to {screenshot}")
    if errors is not None:
        problems += errors.problems()

    lines = [
        f"Creator Companion {__version__} self-test ({'frozen build' if manifest else 'from source'})",
        f"  window:    {window.width()}x{window.height()} on platform '{app.platformName()}'",
        f"  pages:     {', '.join(spec.title for spec in PAGES)}",
        f"  database:  {report.database} (schema {report.schema}; wrote and read back {report.wrote_and_read})",
        f"  catalog:   {report.catalog_gifts} gifts",
        f"  resources: {len({*REQUIRED_RESOURCES, *(manifest or {}).get('resources', [])})} checked"
        + (f", {len(manifest.get('migrations', []))} migrations checked" if manifest else ""),
        f"  libraries: {libraries}",
        f"  keyring:   {keyring.backend} ({'secure' if keyring.secure else 'NOT secure'}: {keyring.detail})",
    ]
    if screenshot is not None:
        lines.append(f"  screenshot: {screenshot}")
    window.close()
    for line in lines:
        print(line)
        log.info("self-test: %s", line.strip())
    for problem in problems:
        print(f"  FAILED: {problem}", file=sys.stderr)
        log.warning("self-test failed: %s", problem)
    verdict = "self-test " + ("failed" if problems else "passed")
    print(verdict)
    log.info(verdict)
    return 1 if problems else 0
