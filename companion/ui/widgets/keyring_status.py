"""Which keyring holds the payment-method secrets, and whether it is safe (shown on Payment methods and Settings)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from companion.services import Services
from companion.services.methods import KeyringHealth
from companion.ui.tasks import TaskRunner

_FRIENDLY = {
    "keyring.backends.SecretService.Keyring": "Secret Service (GNOME Keyring or KDE Wallet)",
    "keyring.backends.kwallet.DBusKeyring": "KDE Wallet",
    "keyring.backends.macOS.Keyring": "macOS Keychain",
    "keyring.backends.Windows.WinVaultKeyring": "Windows Credential Manager",
    "keyring.backends.fail.Keyring": "none found",
    "keyring.backends.null.Keyring": "none (disabled)",
}


def friendly_name(backend: str) -> str:
    """`keyring.backends.macOS.Keyring` → `macOS Keychain`; an unknown backend shows its module's last part."""
    parts = backend.split(" + ")
    return " + ".join(_FRIENDLY.get(part, part.rsplit(".", 2)[-2] if "." in part else part) for part in parts)


class KeyringStatus(QFrame):
    """`KeyringStatus(services, tasks)`; `refresh()` asks the service in the background. `checked(health)` fires
    with the result, so a page can enable or disable what needs a keyring."""

    checked = Signal(object)

    def __init__(self, services: Services, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.tasks = tasks
        self.health: KeyringHealth | None = None
        self.setObjectName("keyringStatus")
        self.icon = QLabel("…")
        self.icon.setObjectName("keyringIcon")
        self.icon.setFixedWidth(22)
        self.icon.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.title = QLabel("Checking the keyring…")
        self.title.setObjectName("sectionTitle")
        self.detail = QLabel("")
        self.detail.setObjectName("muted")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.title)
        text.addWidget(self.detail)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.icon)
        layout.addLayout(text, 1)

    def refresh(self) -> None:
        self.tasks.run(self.services.methods.keyring_health, self.show_health)

    def show_health(self, health: KeyringHealth) -> None:
        self.health = health
        self.setProperty("secure", health.secure)
        self.icon.setText("✓" if health.secure else "!")
        self.icon.setStyleSheet(f"color: {'#1a7f37' if health.secure else '#c62828'}; font-weight: 700;")
        name = friendly_name(health.backend)
        if health.secure:
            self.title.setText(f"Secrets are kept in: {name}")
            self.detail.setText(f"Secure: {health.detail}. Backend {health.backend}.")
        else:
            self.title.setText(f"No secure keyring — payment methods cannot be saved ({name})")
            self.detail.setText(health.detail)
        self.setToolTip(health.backend)
        self.checked.emit(health)
