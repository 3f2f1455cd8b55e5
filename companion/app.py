"""Composition root: excepthook, args, logging, instance lock, database, services, Qt, window — in that order."""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from companion import APP_NAME, __version__
from companion.faults import lock_file_failure, storage_problem
from companion.paths import PRIVATE_FILE, AppPaths, app_paths, resource_path

if TYPE_CHECKING:
    from companion.services import Services

log = logging.getLogger("companion")

#: Set once the GUI exists: shows an unexpected error to the user without ending the app.
_error_dialog: list[object] = []


def _excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    """Log every uncaught exception with its traceback; in the GUI also show it, and keep running."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, tb)
        return
    log.critical("unexpected error\n%s", "".join(traceback.format_exception(kind, value, tb)))
    if _error_dialog:
        show = _error_dialog[0]
        try:
            show(value)  # type: ignore[operator]
        except Exception:  # the hook must never raise
            log.exception("could not show the error dialog")
    else:
        sys.__excepthook__(kind, value, tb)


def install_excepthook() -> None:
    sys.excepthook = _excepthook


class _LogFile(RotatingFileHandler):
    """The app's log: created readable by this user only, and quiet when it cannot be written (a full disk):
    the standard handler would print a `--- Logging error ---` traceback to stderr for every message."""

    _warned = False

    def _open(self):  # type: ignore[no-untyped-def]
        handle = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
        if os.name == "posix":
            os.fchmod(handle, PRIVATE_FILE)
        return open(handle, self.mode, encoding=self.encoding, errors=self.errors)

    @staticmethod
    def failing() -> bool:
        """Whether the app's log could not be written (so pointing the user at it would not help)."""
        return any(isinstance(h, _LogFile) and h._warned for h in logging.getLogger().handlers)

    def close(self) -> None:
        with contextlib.suppress(OSError):  # flushing the last lines to a full disk
            super().close()

    def handleError(self, record: logging.LogRecord) -> None:
        failure = sys.exc_info()[1]
        if not isinstance(failure, OSError):
            super().handleError(record)
            return
        if not self._warned:  # one line on stderr, not one per message
            self._warned = True
            print(f"warning: cannot write the log {self.baseFilename} ({failure.strerror or failure})", file=sys.stderr)


def setup_logging(logs: Path, verbose: bool = False) -> Path:
    logs.mkdir(parents=True, exist_ok=True)
    path = logs / "companion.log"
    handler = _LogFile(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_companion", False)]:
        root.removeHandler(old)
        old.close()
    handler._companion = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    return path


def open_services(paths: AppPaths, locale: str = "C") -> Services:
    """The one place services are built (the profile switcher rebuilds through `Services.reopen`): the OS keyring
    for secrets, the real clock, and the locale numbers read in ("C" on the command line: dot decimal). The daily
    backup is not made here: the GUI makes it once the data is on screen, a command after its work."""
    from companion.credentials.keyring_store import KeyringCredentialStore
    from companion.services import build_services
    from companion.store.db import open_database

    db = open_database(paths.database, paths.backups)
    return build_services(
        db, resource_path("gifts.json"), backup_dir=paths.backups, credentials=KeyringCredentialStore(), locale=locale
    )


def daily_backup(services: Services) -> None:
    try:
        services.backups.auto_backup_if_due()
    except Exception:  # a failed backup must not fail the command or keep the data closed
        log.exception("the daily backup failed")


def _open_for_gui(paths: AppPaths) -> Services:
    """Runs on a worker thread while the start-up frame is painted: open the data, pre-import the window."""
    from PySide6.QtCore import QLocale

    services = open_services(paths, QLocale().name())  # the GUI reads and shows numbers in the user's locale
    import companion.ui.main_window  # noqa: F401  (its imports cost a few hundred ms; pay them off the GUI thread)

    return services


def run(argv: list[str]) -> int:
    install_excepthook()
    from companion import cli

    args = cli.build_parser().parse_args(argv)
    try:
        paths = app_paths(args.data_dir).create()
        log_file = setup_logging(paths.logs)
    except OSError as exc:
        print(f"error: cannot use the data folder: {exc}", file=sys.stderr)
        return cli.EXIT_FAILED
    log.info("%s %s starting (%s)", APP_NAME, __version__, args.command or "gui")
    if args.command:
        from companion.domain.errors import CompanionError

        args.paths = paths  # e.g. `export` refuses to write over the app's own files
        try:
            if not getattr(args, "needs_services", True):
                # e.g. `backup restore`: must work when the database cannot be opened
                return cli.run_command(args, None, sys.stdout, sys.stderr)  # type: ignore[arg-type]
            services = open_services(paths)
            try:
                code = cli.run_command(args, services, sys.stdout, sys.stderr)
                sys.stdout.flush()  # the answer first; the daily backup (once a day) after it
                daily_backup(services)
                return code
            finally:
                services.db.dispose()  # closing checkpoints the WAL into the database file
        except CompanionError as exc:  # the database is damaged, or of a newer version: nothing was written
            print(f"error: {exc}", file=sys.stderr)
            return cli.EXIT_REFUSED
        except Exception as exc:
            log.exception("command failed")
            details = "" if _LogFile.failing() else f" (details in {log_file})"
            print(f"error: {storage_problem(exc, paths.data) or exc}{details}", file=sys.stderr)
            return cli.EXIT_FAILED
    return run_gui(paths, self_test=args.self_test, screenshot=args.screenshot)


def _no_display() -> bool:
    return (
        sys.platform.startswith("linux")
        and not os.environ.get("QT_QPA_PLATFORM")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    )


def run_gui(paths: AppPaths, self_test: bool = False, screenshot: Path | None = None) -> int:
    if _no_display():
        if not self_test:
            print(
                f"{APP_NAME} needs a graphical desktop, and no display was found (DISPLAY and WAYLAND_DISPLAY "
                "are not set). The command line works without one: run `companion --help`.",
                file=sys.stderr,
            )
            return 1
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    try:
        from PySide6.QtCore import QLockFile
        from PySide6.QtWidgets import QApplication
    except ImportError as exc:
        from companion.qtdeps import explain_import_error

        print(explain_import_error(exc) or f"Qt could not be loaded: {exc}", file=sys.stderr)
        return 1

    from companion.ui.application import already_open_message, create_application, show_unexpected_error

    lock = QLockFile(str(paths.lock_file))
    lock.setStaleLockTime(0)  # never expire a live lock by age; a dead owner's lock is still recovered
    app = QApplication.instance() or create_application()
    if not lock.tryLock(200):
        if lock.error() != QLockFile.LockError.LockFailedError:  # not another instance: full disk or unwritable
            message = storage_problem(lock_file_failure(paths.lock_file), paths.data)
            log.error("cannot create %s (%s)", paths.lock_file, lock.error().name)
            print(f"{APP_NAME} cannot start: {message}", file=sys.stderr)
            if not self_test:
                from PySide6.QtWidgets import QMessageBox

                QMessageBox.critical(None, APP_NAME, f"{APP_NAME} cannot start.\n\n{message}")
            return 1
        log.warning("another instance holds %s", paths.lock_file)
        already_open_message(paths.data, interactive=not self_test)
        return 1
    try:
        # Paint the window's frame first, then load the database libraries and open the data off the GUI
        # thread (about a second with SQLModel + Alembic); the main window replaces the frame when ready.
        from companion.ui.startup import StartupShell, run_while_painting

        shell = StartupShell(paths.data)
        shell.show()
        services, failure, finished = run_while_painting(lambda: _open_for_gui(paths), stop=shell.closed)
        from companion.store.db import DatabaseDamaged

        if isinstance(failure, DatabaseDamaged) and not self_test:
            from companion.ui.damaged import offer_restore

            print(failure, file=sys.stderr)
            from companion.domain.timeutil import utc_now

            if not offer_restore(shell, failure, paths.backups, utc_now):
                return 1
            services, failure, finished = run_while_painting(lambda: _open_for_gui(paths), stop=shell.closed)
        if failure is None and not finished:
            log.info("closed while opening the data folder")
            return 0
        if failure is not None:
            log.error("could not open the database", exc_info=failure)
            from companion.domain.errors import CompanionError

            reason = storage_problem(failure, paths.data) or (
                str(failure) if isinstance(failure, CompanionError) else f"{type(failure).__name__}: {failure}"
            )
            message = (
                f"{APP_NAME} could not open its data in {paths.data}.\n\n{reason}\n\n"
                f"Nothing was changed. Details are in the log folder: {paths.logs}"
            )
            print(message, file=sys.stderr)
            if not self_test:
                from PySide6.QtWidgets import QMessageBox

                QMessageBox.critical(shell, APP_NAME, message)
            return 1
        from companion.ui.main_window import MainWindow

        if self_test:  # an error logged from here on fails the self-test; tracebacks go to stderr, not dialogs
            from companion.ui.selftest import ErrorLog, run_self_test

            with ErrorLog.attached() as errors:
                window = MainWindow(services, paths.logs)
                shell.hand_over(window)
                return run_self_test(app, window, services, screenshot, errors)
        window = MainWindow(services, paths.logs)
        _error_dialog[:] = [lambda exc: show_unexpected_error(window, exc, paths.logs)]
        shell.hand_over(window)
        from companion.ui.startup import Upkeep

        upkeep = Upkeep(window, services)  # the scheduled full check and the daily backup, once data is shown
        code = app.exec()
        upkeep.wait()
        window.services.db.dispose()  # a clean close: the next start can skip the full-file check
        return code
    finally:
        _error_dialog.clear()
        lock.unlock()
