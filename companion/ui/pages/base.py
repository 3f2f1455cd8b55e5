"""The page skeleton every page shares: services, task runner and profile context in; a title; stale/reload."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtWidgets import QLabel, QWidget

from companion.services import Services
from companion.services.context import ProfileContext
from companion.ui.tasks import Changes, TaskRunner


class Page(QWidget):
    """A page is built as `PageClass(services, tasks, context)` the first time it is shown.

    It reads everything through `refresh()` (one background task or a few). It is *stale* when a write touched
    what it `WATCHES` (or its context changed): on screen it reloads at once, out of sight when next shown — so
    logging a gift live never queues the queries of pages nobody looks at. A page that showed the result of its
    own write passes itself as the write's `source` and is not reloaded for it."""

    TITLE: ClassVar[str] = ""
    #: Touches (see `companion.ui.tasks`) after which this page reloads.
    WATCHES: ClassVar[frozenset[str]] = frozenset()

    def __init__(
        self, services: Services, tasks: TaskRunner, context: ProfileContext, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.services = services
        self.tasks = tasks
        self._context = context
        self._stale = True

    def title_label(self) -> QLabel:
        label = QLabel(self.TITLE)
        label.setObjectName("pageTitle")
        return label

    # ---- context -------------------------------------------------------------------------------------------

    @property
    def context(self) -> ProfileContext:
        """The profile's zone, today, share, display rate and locale: every figure and time is shown through it."""
        return self._context

    @context.setter
    def context(self, context: ProfileContext) -> None:
        """A new context (a rate noted, the level or zone changed): show everything again through it."""
        self._context = context
        self.context_changed()
        self.mark_stale()

    def context_changed(self) -> None:
        """Hand the new context to the models and widgets that format with it (they may cache texts)."""

    # ---- loading -------------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read what the page shows (off the GUI thread) and show it."""
        raise NotImplementedError

    def on_shown(self) -> None:
        """The page came on screen (the first time included)."""
        if self._stale:
            self._stale = False
            self.refresh()

    def data_changed(self, changes: Changes) -> None:
        """A write finished somewhere in the window."""
        if changes.source is not self and changes.touched(self.WATCHES):
            self.mark_stale()

    def mark_stale(self) -> None:
        self._stale = True
        if self.isVisible():
            self._stale = False
            self.refresh()

    def shutdown(self) -> None:
        """The window is closing or the services are replaced: stop timers, let go of resources."""
