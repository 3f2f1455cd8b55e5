"""Run service calls off the GUI thread, one at a time, with results delivered back on the GUI thread.

Never touch a widget inside `work`: it runs on the worker thread. `on_done` / `on_error` run on the GUI
thread. A single worker keeps database writes in order (SQLite has one writer anyway).

Reads go through `run`; every write goes through `write(work, done, touches=...)`, which says what it changed. Once
it is done the runner emits one `changed(Changes)` the window hands to every page, so a page learns of every write
(a gift logged in live mode, a rate noted in a dialog) without wiring of its own — Anki's operations-return-changes
pattern."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from companion.domain.errors import CompanionError

log = logging.getLogger(__name__)

# What a write may touch. A page reloads when a write touches what it shows.
GIFTS = "gifts"
STREAMS = "streams"
CATALOG = "catalog"
PAYOUTS = "payouts"  # payouts, goals, balance checks
METHODS = "methods"
BACKUPS = "backups"
PROFILE = "profile"  # name, zone or display currency: the profile's context changes
ECONOMICS = "economics"  # level, rates, rules, fees: the share or the display rate may change
EVERYTHING = "everything"  # a restore replaced the data: every service is rebuilt
#: Touches after which the profile's context (zone, share, display rate) is read again.
CONTEXT_TOUCHES = frozenset({PROFILE, ECONOMICS, EVERYTHING})


@dataclass(frozen=True)
class Changes:
    """What one write changed, and who wrote it (`source`: a page that showed the result itself may skip it)."""

    touches: frozenset[str]
    source: object | None = None

    def touched(self, watched: Iterable[str]) -> bool:
        return EVERYTHING in self.touches or not self.touches.isdisjoint(watched)


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
    changed = Signal(object)  # Changes: a write finished

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

    def write(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        touches: Iterable[str] = (),
        on_error: Callable[[BaseException], None] | None = None,
        source: object | None = None,
    ) -> None:
        """Run a write; after `on_done`, tell every page what it `touches` (nothing is announced on failure)."""

        def done(result: Any) -> None:
            if on_done is not None:
                on_done(result)
            self.announce(touches, source)

        self.run(work, done, on_error)

    def announce(self, touches: Iterable[str], source: object | None = None) -> None:
        """Tell every page of data written outside `write` (live capture stores gifts from its own connection)."""
        self.changed.emit(Changes(frozenset(touches), source))

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
