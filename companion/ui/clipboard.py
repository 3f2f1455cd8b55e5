"""Copy a secret to the clipboard the way password managers do: marked concealed (clipboard managers and
history skip it), cleared after a while if it still holds that secret, and cleared on quit."""

from __future__ import annotations

import hashlib

from PySide6.QtCore import QByteArray, QMimeData, QObject, QTimer, Slot
from PySide6.QtGui import QClipboard, QGuiApplication

CLEAR_AFTER_MS = 30_000

#: KDE Klipper and other Linux clipboard managers skip data with this hint.
KDE_HINT = "x-kde-passwordManagerHint"
#: macOS: the nspasteboard.org convention for concealed data.
MAC_CONCEALED = "application/x-nspasteboard-concealed-type"
#: Windows: keep it out of clipboard history and cloud clipboard (DWORD 0).
WIN_NO_HISTORY = 'application/x-qt-windows-mime;value="CanIncludeInClipboardHistory"'
WIN_NO_CLOUD = 'application/x-qt-windows-mime;value="CanUploadToCloudClipboard"'


def concealed_mime(text: str) -> QMimeData:
    mime = QMimeData()
    mime.setText(text)
    mime.setData(KDE_HINT, QByteArray(b"secret"))
    mime.setData(MAC_CONCEALED, QByteArray(text.encode("utf-8")))
    mime.setData(WIN_NO_HISTORY, QByteArray(b"\x00\x00\x00\x00"))
    mime.setData(WIN_NO_CLOUD, QByteArray(b"\x00\x00\x00\x00"))
    return mime


def _digest(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


class ConcealedClipboard(QObject):
    """Remembers only a hash of what it copied, so it can tell whether the clipboard still holds it."""

    def __init__(self, clear_after_ms: int = CLEAR_AFTER_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._copied: bytes | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(clear_after_ms)
        self._timer.timeout.connect(self.clear_if_unchanged)
        app = QGuiApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.clear_if_unchanged)

    @property
    def clear_after_ms(self) -> int:
        return self._timer.interval()

    @property
    def holding(self) -> bool:
        """True while a secret we copied may still be on the clipboard."""
        return self._copied is not None

    def copy(self, text: str) -> None:
        clipboard = QGuiApplication.clipboard()
        clipboard.setMimeData(concealed_mime(text), QClipboard.Mode.Clipboard)
        self._copied = _digest(text)
        self._timer.start()

    @Slot()
    def clear_if_unchanged(self) -> None:
        """Clear the clipboard if it still holds our secret; something the user copied since is left alone."""
        self._timer.stop()
        if self._copied is None:
            return
        clipboard = QGuiApplication.clipboard()
        if _digest(clipboard.text(QClipboard.Mode.Clipboard)) == self._copied:
            clipboard.clear(QClipboard.Mode.Clipboard)
        self._copied = None
