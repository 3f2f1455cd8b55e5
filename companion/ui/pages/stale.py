"""Pages that read everything in one background task: reload when shown after the data changed, or at once when
the data changes while they are on screen."""

from __future__ import annotations

from typing import Protocol


class _Page(Protocol):
    _stale: bool

    def refresh(self) -> None: ...

    def isVisible(self) -> bool: ...


class ReloadsWhenStale:
    """Mixed in after QWidget by a page whose `refresh()` reloads it and sets `_stale = False`."""

    def on_shown(self: _Page) -> None:
        if self._stale:
            self.refresh()

    def data_changed(self: _Page) -> None:
        self._stale = True
        if self.isVisible():
            self.refresh()
