"""Run service calls off the GUI thread, one at a time, with results delivered back on the GUI thread.

Never touch a widget inside `work`: it runs on the worker thread. `on_done` / `on_error` run on the GUI
thread. A single worker keeps database writes in order (SQLite has one writer anyway)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from companion.domain.errors import CompanionError

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the GUI thread; the worker emits its signals, Qt queues them, its slots run here."""

    done = Signal(object)
    failed = Signal(object)

    def __init__(
        self, on_done: Callable[[Any], None], on_failed: Callable[[BaseException], None], parent: QObject
    ) -> None:
        super().__init__(parent)
        self._on_done = on_done
        self._on_failed = on_failed
        self.done.connect(self._deliver)
        self.failed.connect(self._fail)

    @Slot(object)
    def _deliver(self, result: Any) -> None:
        self._on_done(result)

    @Slot(object)
    def _fail(self, exc: BaseException) -> None:
        self._on_failed(exc)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self.work = work
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.work()
        except Exception as exc:  # handed to the GUI thread, which decides how to show it
            if isinstance(exc, CompanionError):
                log.info("refused: %s", exc)  # the user's input, not a bug
            else:
                log.error("background task failed", exc_info=True)
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


class TaskRunner(QObject):
    """`tasks.run(work, on_done, on_error)`; `pending` counts jobs not yet delivered."""

    idle = Signal()

    def __init__(self, on_error: Callable[[BaseException], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._default_error = on_error
        self._relays: set[_Relay] = set()

    @property
    def pending(self) -> int:
        return len(self._relays)

    def run(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        relay: _Relay

        def finished(result: Any) -> None:
            self._release(relay)
            if on_done is not None:
                on_done(result)

        def failed(exc: BaseException) -> None:
            self._release(relay)
            (on_error or self._default_error)(exc)

        relay = _Relay(finished, failed, self)  # created on the GUI thread: its slots run there
        self._relays.add(relay)
        self._pool.start(_Job(work, relay))

    def report_error(self, exc: BaseException) -> None:
        """Show an error the usual way (for callers that handled a failure partly themselves)."""
        self._default_error(exc)

    def _release(self, relay: _Relay) -> None:
        self._relays.discard(relay)
        relay.deleteLater()
        if not self._relays:
            self.idle.emit()

    def shutdown(self, timeout_ms: int = 10_000) -> bool:
        """Wait for running work to finish (called on quit so no write is cut off)."""
        return self._pool.waitForDone(timeout_ms)
