"""Live capture window: connect to a LIVE by @handle, see what arrives, disconnect. Without the optional
TikTokLive package it says how to install it and everything else in the app works as before.

Gift events arrive on the capture thread and are stored there by the capture service (no Qt involved); this
window only shows status, and stores quiet streaks every few seconds through `tasks.run`."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from companion.domain.errors import CompanionError
from companion.services import Services
from companion.services.capture import (
    INSTALL_HINT,
    CaptureService,
    CaptureSession,
    CaptureStatus,
    LiveClient,
    capture_available,
)
from companion.ui.format import whole
from companion.ui.tasks import CATALOG, GIFTS, STREAMS, TaskRunner

#: How often the window refreshes its counts and stores streaks that went quiet.
REFRESH_MS = 3000
ClientFactory = Callable[[str, Callable[[dict[str, Any]], None], Callable[[str], None]], Any]


class _Relay(QObject):
    """Status text from the capture thread to the GUI thread (queued)."""

    status = Signal(str)


class LiveCaptureDialog(QDialog):
    """`client_factory(handle, on_record, on_status)` builds the connection (TikTokLive's, unless a test
    gives its own)."""

    captured = Signal()  # gifts were stored: pages may reload

    def __init__(
        self,
        services: Services,
        tasks: TaskRunner,
        parent: QWidget | None = None,
        client_factory: ClientFactory | None = None,
        installed: bool | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.client_factory: ClientFactory = client_factory or LiveClient
        self.installed = capture_available() if installed is None else installed
        self.capture = CaptureService(
            services.db, services.profile_id, services.context.clock, services.db.path.parent / "live-events"
        )
        self.session: CaptureSession | None = None
        self.client: Any = None
        self.setWindowTitle("Live capture")
        self.setMinimumWidth(520)

        intro = QLabel(
            "Connect to your LIVE by its @handle: every gift is written to an event log in your data folder and "
            "logged into the stream that is live. Streaks count once, when they end."
        )
        intro.setWordWrap(True)
        intro.setObjectName("muted")
        self.handle_edit = QLineEdit()
        self.handle_edit.setPlaceholderText("@yourhandle")
        self.connect_button = QPushButton("Connect")
        self.connect_button.setObjectName("primary")
        self.connect_button.clicked.connect(self.connect_live)
        self.disconnect_button = QPushButton("Disconnect")
        self.disconnect_button.clicked.connect(self.disconnect_live)
        self.state_label = QLabel("Not connected")
        self.state_label.setObjectName("sectionTitle")
        self.state_label.setWordWrap(True)
        self.counts_label = QLabel("No gifts yet")
        self.counts_label.setObjectName("muted")
        self.log_label = QLabel("— (written while connected)")
        self.log_label.setObjectName("muted")
        self.log_label.setWordWrap(True)
        self.install_label = QLabel(
            "Live capture needs the optional TikTokLive package, which the installed app does not include. "
            "It works when the app is run from its source with that package. Everything else works without it."
            if getattr(sys, "frozen", False)
            else "Live capture needs the optional TikTokLive package, which is not installed. Install it with:"
            f"<pre>{INSTALL_HINT}</pre>Everything else in the app works without it."
        )
        self.install_label.setWordWrap(True)
        self.install_label.setStyleSheet(
            "background: #fff4e5; border: 1px solid #f3d19e; border-radius: 8px; padding: 8px 10px;"
        )
        self.install_label.setVisible(not self.installed)

        row = QHBoxLayout()
        row.addWidget(self.handle_edit, 1)
        row.addWidget(self.connect_button)
        row.addWidget(self.disconnect_button)
        form = QFormLayout()
        form.addRow("Status", self.state_label)
        form.addRow("", self.counts_label)
        form.addRow("Event log", self.log_label)
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(intro)
        layout.addWidget(self.install_label)
        layout.addLayout(row)
        layout.addLayout(form)

        self._relay = _Relay(self)
        self._relay.status.connect(self._show_state)
        self._gifts_shown = 0
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self._update_buttons()

    @property
    def connected(self) -> bool:
        return self.session is not None

    def _update_buttons(self) -> None:
        self.connect_button.setEnabled(self.installed and not self.connected)
        self.handle_edit.setEnabled(self.installed and not self.connected)
        self.disconnect_button.setEnabled(self.connected)

    @Slot()
    def connect_live(self) -> None:
        try:
            session = self.capture.start(self.handle_edit.text())
        except CompanionError as exc:
            self._show_state(str(exc))
            return
        relay = self._relay

        def on_record(record: dict[str, Any]) -> None:  # capture thread
            session.receive(record)

        try:
            self.client = self.client_factory(session.handle, on_record, relay.status.emit)
            self.client.start()
        except CompanionError as exc:
            session.close()
            self._show_state(str(exc))
            return
        self.session = session
        self.log_label.setText(str(session.log_path))
        self.timer.start()
        self.refresh()
        self._update_buttons()

    @Slot()
    def disconnect_live(self) -> None:
        client, session = self.client, self.session
        self.client, self.session = None, None
        self.timer.stop()
        self._update_buttons()
        if client is not None:
            client.stop()
        if session is not None:
            self._show_state("Disconnected — open streaks stored at their highest count")
            self.tasks.run(lambda: (session.close(), session.status())[1], self._closed)

    @Slot()
    def refresh(self) -> None:
        session = self.session
        if session is None:
            return

        def stored(status: CaptureStatus) -> None:
            self._show_counts(status)
            if status.gifts != self._gifts_shown:  # pages reload only when something was logged
                self._gifts_shown = status.gifts
                self.captured.emit()
                self.tasks.announce(_CAPTURED)

        self.tasks.run(lambda: (session.flush_stale(), session.status())[1], stored)

    def _closed(self, status: CaptureStatus) -> None:
        self._show_counts(status)
        self.captured.emit()
        self.tasks.announce(_CAPTURED)

    def _show_counts(self, status: CaptureStatus) -> None:
        parts = [
            _count(status.events, "gift event"),
            _count(status.gifts, "gift") + " logged",
            _count(status.open_streaks, "streak") + " running",
        ]
        if status.skipped:
            parts.append(f"{whole(status.skipped)} not usable (see the app log)")
        self.counts_label.setText(" · ".join(parts))

    @Slot(str)
    def _show_state(self, text: str) -> None:
        self.state_label.setText(text[:1].upper() + text[1:])

    def reject(self) -> None:  # Escape and the window's close button both end here
        self.disconnect_live()
        super().reject()


#: What a capture writes: gifts, the live stream's totals, gifts new to the catalog.
_CAPTURED = (GIFTS, STREAMS, CATALOG)


def _count(n: int, noun: str) -> str:
    return f"{whole(n)} {noun}{'' if n == 1 else 's'}"
