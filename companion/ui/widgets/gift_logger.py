"""Log gifts into the live stream and undo the last one, off the GUI thread; shared by the Streams page and the
live-mode panel so Ctrl+Z in either undoes the gift logged last in either."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from companion.domain.models import GiftEvent
from companion.services import Services
from companion.ui.tasks import GIFTS, TaskRunner


class GiftLogger(QObject):
    """`log()` returns at once; `logged(event)` comes when the gift is saved, `undone(event)` when removed.
    Its writes name `source` (the Streams page, which shows them itself) so only the other pages reload."""

    logged = Signal(object)
    undone = Signal(object)
    undo_available = Signal(bool)

    def __init__(
        self, services: Services, tasks: TaskRunner, parent: QObject | None = None, source: object | None = None
    ) -> None:
        super().__init__(parent)
        self.source = source
        self.services = services
        self.tasks = tasks
        self.last: GiftEvent | None = None
        self.in_flight = 0
        self._undo_when_logged = False  # Ctrl+Z came while a gift was still being saved

    def log(self, gift: str, count: int, sender: str, stream_id: int) -> None:
        self.in_flight += 1
        log = self.services.gifts.log
        work = lambda: log(gift, count, sender, stream_id=stream_id)  # noqa: E731
        self.tasks.write(work, self._logged, (GIFTS,), self._failed, self.source)

    def _logged(self, event: GiftEvent) -> None:
        self.in_flight -= 1
        self.last = event
        self.undo_available.emit(True)
        self.logged.emit(event)
        if self._undo_when_logged and self.in_flight == 0:
            self._undo_when_logged = False
            self.undo()

    def _failed(self, exc: BaseException) -> None:
        self.in_flight -= 1
        self._undo_when_logged = False
        self.tasks.report_error(exc)

    def undo(self) -> None:
        """Remove the gift logged last (the one still being saved, if any)."""
        if self.in_flight:
            self._undo_when_logged = True  # undo the gift being saved, not the one before it
            return
        event = self.last
        if event is None:
            return
        self.last = None
        self.undo_available.emit(False)
        undo = self.services.gifts.undo
        self.tasks.write(lambda: undo(event.id), lambda _: self.undone.emit(event), (GIFTS,), source=self.source)

    def forget(self) -> None:
        """The stream ended or was deleted: nothing left to undo from here."""
        self.last = None
        self.undo_available.emit(False)
